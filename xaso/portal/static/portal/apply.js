/* The application form, improved when JavaScript runs (everything works without it):
   photos shrunk to about 1600 px before upload, with a progress bar; the chip ID card's QR code
   read by the camera to fill the applicant; one click on "send". Texts come from data-msg-*
   attributes of the form, already translated by the server. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("apply-form");
  var MAX_SIDE = 1600;
  var JPEG_QUALITY = 0.8;

  function msg(name, values) {
    var text = (form && form.getAttribute("data-msg-" + name)) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Errors: the summary at the top takes the focus, so a screen reader reads it first.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // --- One click on "send" ----------------------------------------------------------------
  var review = document.getElementById("review-form");
  if (review) {
    review.addEventListener("submit", function () {
      var button = review.querySelector("[data-once]");
      // After this event the browser still sends the form; a second click sends nothing.
      window.setTimeout(function () { if (button) button.disabled = true; }, 0);
    });
  }
  if (!form) return;

  // --- Addresses: choosing a province or commune shows its communes or villages ------------
  Array.prototype.forEach.call(form.querySelectorAll("select[data-refresh]"), function (select) {
    select.addEventListener("change", function () {
      var refresh = form.querySelector("button[name=_action][value=refresh]");
      if (refresh) refresh.click();
    });
  });

  // --- Uploads ---------------------------------------------------------------------------
  function shrink(file) {
    // Photos only; a PDF, or a browser without these APIs, sends the file as it is.
    if (!/^image\/(jpeg|png)$/.test(file.type) || !window.createImageBitmap) {
      return Promise.resolve(file);
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

  function send(blob, progress) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      data.append("file", blob, blob.type === "application/pdf" ? "file.pdf" : "photo.jpg");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/uploads");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) progress.value = Math.round(100 * event.loaded / event.total);
      });
      xhr.onload = function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (error) { /* not JSON */ }
        if (xhr.status === 201) resolve(answer);
        else reject((answer.error && answer.error.message) || msg("upload-failed"));
      };
      xhr.onerror = function () { reject(msg("upload-failed")); };
      xhr.send(data);
    });
  }

  function addUploaded(group, answer) {
    var name = group.getAttribute("data-upload");
    var list = group.querySelector("[data-uploaded]");
    var item = document.createElement("li");
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = name + ".token";
    hidden.value = answer.id;
    var label = document.createElement("span");
    label.textContent = msg("file", {
      number: list.children.length + 1,
      kind: answer.kind.toUpperCase(),
      kb: Math.max(1, Math.round(answer.size / 1024)),
    });
    var remove = document.createElement("button");
    remove.type = "submit";
    remove.className = "link-button";
    remove.name = name + ".remove";
    remove.value = answer.id;
    remove.textContent = msg("remove");
    item.appendChild(hidden);
    item.appendChild(label);
    item.appendChild(remove);
    list.appendChild(item);
  }

  Array.prototype.forEach.call(form.querySelectorAll("[data-upload]"), function (group) {
    var input = group.querySelector("input[type=file]");
    var progress = group.querySelector(".upload-progress");
    var status = group.querySelector("[data-upload-status]");
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      input.disabled = true;
      progress.hidden = false;
      status.classList.remove("field-error");
      var chain = Promise.resolve();
      files.forEach(function (file) {
        chain = chain.then(function () {
          progress.value = 0;
          status.textContent = msg("uploading");
          return shrink(file).then(function (blob) { return send(blob, progress); })
            .then(function (answer) {
              addUploaded(group, answer);
              status.textContent = msg("uploaded");
            });
        });
      });
      chain.catch(function (message) {
        status.textContent = String(message);
        status.classList.add("field-error");
      }).then(function () {
        input.value = ""; // sent already: the form must not send the big original again
        input.disabled = false;
        progress.hidden = true;
      });
    });
  });

  // --- The chip ID card's QR code, by the camera ----------------------------------------------
  var scan = document.getElementById("cccd-scan");
  var media = navigator.mediaDevices;
  if (!scan || !media || !media.getUserMedia) return;
  scan.hidden = false;
  var view = document.getElementById("cccd-scan-view");
  var video = document.getElementById("cccd-video");
  var scanStatus = document.getElementById("cccd-scan-status");
  var stream = null;
  var timer = null;
  var canvas = document.createElement("canvas");

  function stop() {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    view.hidden = true;
  }

  function loadDecoder() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = scan.getAttribute("data-decoder");
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function makeDecoder() {
    // BarcodeDetector where the browser has it (Android Chrome); the vendored jsQR elsewhere.
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function () {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : "";
        });
      });
    }
    return loadDecoder().then(function (jsQR) {
      return function () {
        var scale = Math.min(1, 960 / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(pixels.data, pixels.width, pixels.height);
        return Promise.resolve(code ? code.data : "");
      };
    });
  }

  function setValue(name, value) {
    var input = form.querySelector('[name="' + name + '"]');
    if (input && value) input.value = value;
  }

  function fill(card) {
    var person = scan.getAttribute("data-person");
    setValue(person + ".full_name", card.full_name);
    setValue(person + ".personal_id", card.personal_id);
    var born = (card.date_of_birth || "").split("-");
    if (born.length === 3) {
      setValue(person + ".date_of_birth.day", String(Number(born[2])));
      setValue(person + ".date_of_birth.month", String(Number(born[1])));
      setValue(person + ".date_of_birth.year", born[0]);
    }
    var sex = form.querySelector('[name="' + person + '.sex"][value="' + card.sex + '"]');
    if (sex) sex.checked = true;
  }

  function parse(text) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/cccd/parse");
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (error) { /* not JSON */ }
      if (xhr.status === 200) {
        fill(answer);
        scanStatus.textContent = msg("scan-done");
        var name = form.querySelector('[name="' + scan.getAttribute("data-person") + '.full_name"]');
        if (name) name.focus();
      } else {
        scanStatus.textContent = (answer.error && answer.error.message) || msg("scan-failed");
      }
    };
    xhr.onerror = function () { scanStatus.textContent = msg("scan-failed"); };
    xhr.send(JSON.stringify({ text: text }));
  }

  document.getElementById("cccd-scan-button").addEventListener("click", function () {
    stop();
    view.hidden = false;
    scanStatus.textContent = msg("scanning");
    media.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (camera) {
        stream = camera;
        video.srcObject = camera;
        return video.play().then(makeDecoder);
      })
      .then(function (decode) {
        function tick() {
          if (!stream) return;
          var ready = video.readyState >= 2 && video.videoWidth;
          (ready ? decode() : Promise.resolve("")).then(function (text) {
            if (text) {
              stop();
              parse(text);
            } else if (stream) {
              timer = window.setTimeout(tick, 250);
            }
          }, function () { timer = window.setTimeout(tick, 500); });
        }
        tick();
      })
      .catch(function () {
        stop();
        scanStatus.textContent = msg("no-camera");
      });
  });
  document.getElementById("cccd-scan-stop").addEventListener("click", stop);
})();
