/* The team member's workspace. Registers the service worker (the workspace opens without
   signal), and on the field log keeps every entry in IndexedDB first, then sends it to the API:
   once the signal returns, each entry once (its id is made here; the server answers a repeat
   "already recorded", 200, and the entry leaves the queue). Photos are downscaled first, as the
   portal's uploads are (portal/apply.js). Without JavaScript the form posts to the page. */

// "2026-11-25" → "25/11/2026": dates as the rest of xaso prints them (dd/mm/yyyy).
function dayMonthYear(iso) {
  var parts = String(iso || "").split("-");
  return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : String(iso || "");
}

(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/to-cong-nghe-so/sw.js", { scope: "/to-cong-nghe-so/" })
      .catch(function () { /* the workspace works without it, online */ });
  }
  var form = document.getElementById("field-log-form");
  if (!form || !window.indexedDB || !window.fetch) return;

  var MAX_SIDE = 1600;
  var JPEG_QUALITY = 0.8;
  var STORE = "outbox";
  var box = document.getElementById("outbox");
  var countNode = document.getElementById("outbox-count");
  var stateNode = document.getElementById("outbox-state");
  var listNode = document.getElementById("outbox-list");
  var sending = false;

  function msg(name) { return box.getAttribute("data-msg-" + name) || ""; }

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("xaso-field-log", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "entry.id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(record) { return run("readwrite", function (store) { store.put(record); }); }
  function remove(id) { return run("readwrite", function (store) { store.delete(id); }); }

  function shrink(file) {
    if (!file || !/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file || null);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 1024 * 1024) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", JPEG_QUALITY);
      });
    }, function () { return file; });
  }

  function show(records, state) {
    countNode.textContent = String(records.length);
    box.hidden = records.length === 0 && !state;
    stateNode.textContent = state || "";
    listNode.textContent = "";
    records.forEach(function (record) {
      var item = document.createElement("li");
      item.textContent = record.entry.resident.name + " — " + dayMonthYear(record.entry.at) +
        (record.error ? " — " + record.error : "");
      listNode.appendChild(item);
    });
  }

  function refresh(state) { return all().then(function (records) { show(records, state); return records; }); }

  function sendPhoto(record) {
    if (!record.photo || record.entry.photo) return Promise.resolve(record);
    var data = new FormData();
    data.append("file", record.photo, "photo.jpg");
    return fetch(form.getAttribute("data-uploads"), {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (!response.ok) throw new Error("upload " + response.status);
      return response.json();
    }).then(function (upload) {
      record.entry.photo = upload.token;
      return put(record).then(function () { return record; });
    });
  }

  function sendOne(record) {
    return sendPhoto(record).then(function () {
      return fetch(form.getAttribute("data-api"), {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(record.entry)
      });
    }).then(function (response) {
      if (response.status === 200 || response.status === 201) return remove(record.entry.id);
      if (response.status >= 400 && response.status < 500 && response.status !== 401 &&
          response.status !== 403 && response.status !== 429) {
        // Refused as it is (a bad value): kept, with the reason, for the member to see.
        return response.json().then(function (body) {
          record.error = (body.error && body.error.message) || String(response.status);
          record.refused = true;
          return put(record);
        });
      }
      throw new Error("retry later " + response.status);
    });
  }

  function sync() {
    if (sending) return Promise.resolve();
    if (navigator.onLine === false) return refresh(msg("offline"));
    sending = true;
    return all().then(function (records) {
      var queue = records.filter(function (record) { return !record.refused; });
      return queue.reduce(function (chain, record) {
        return chain.then(function () { return sendOne(record); });
      }, Promise.resolve());
    }).then(function () {
      sending = false;
      return refresh("");
    }, function () {
      sending = false;
      return refresh(msg("retry"));
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!form.reportValidity()) return;
    var value = function (name) { return (form.elements[name].value || "").trim(); };
    var entry = {
      id: newId(),
      resident: { name: value("resident_name"), phone: value("resident_phone"),
                  household: value("resident_household"), consent: form.elements.consent.checked },
      skill: value("skill"), outcome: value("outcome"), dossier: value("dossier"),
      minutes: parseInt(value("minutes") || "0", 10), at: value("at"), note: value("note")
    };
    var file = form.elements.photo.files && form.elements.photo.files[0];
    shrink(file).then(function (photo) {
      return put({ entry: entry, photo: photo, saved: Date.now() });
    }).then(function () {
      ["resident_name", "resident_phone", "resident_household", "dossier", "note"].forEach(function (name) {
        form.elements[name].value = "";
      });
      form.elements.consent.checked = false;
      form.elements.photo.value = "";
      form.elements.resident_name.focus();
      return refresh(msg("saved"));
    }).then(sync);
  });

  window.addEventListener("online", sync);
  window.addEventListener("offline", function () { refresh(msg("offline")); });
  window.setInterval(sync, 30000);
  sync();
})();
