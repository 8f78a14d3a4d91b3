// The kiosk goes back to its start screen after a while without a touch, so the next visitor
// never sees the last one's dossier. The delay comes from <body data-idle-seconds>.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.getAttribute("data-idle-seconds"), 10) || 90;
  var start = body.getAttribute("data-start-url") || "/kiosk/";
  var timer = null;
  function restart() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () { window.location.replace(start); }, seconds * 1000);
  }
  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    window.addEventListener(name, restart, { passive: true });
  });
  restart();
})();
