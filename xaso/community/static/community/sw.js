/* The workspace's service worker: the field log and its files open without signal. Pages are
   fetched from the network first and kept for offline use; nothing but GET is touched (entries
   go to the API through the page's own queue, workspace.js). */
var CACHE = "xaso-community-v1";
var SHELL = [
  "/to-cong-nghe-so/nhat-ky/",
  "/static/portal/site.css",
  "/static/community/community.css",
  "/static/community/workspace.js",
  "/static/portal/favicon.svg"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (response.ok && !response.redirected) return cache.put(url, response);
      }).catch(function () {});
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) {
      return caches.delete(key);
    }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  var mine = url.pathname.indexOf("/to-cong-nghe-so/") === 0 || url.pathname.indexOf("/static/") === 0;
  if (!mine || url.pathname.indexOf("/api/") === 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && url.pathname === "/to-cong-nghe-so/nhat-ky/") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
  }));
});
