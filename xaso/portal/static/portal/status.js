/* The status page, improved when JavaScript runs (everything works without it): copy buttons
   beside the account number, the amount and the transfer note (without JavaScript they are plain
   text to select), and one click on "send" for the supplement form. */
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function copied(button) {
    if (status) status.textContent = status.getAttribute("data-copied");
    button.focus();
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { copied(button); }, function () {
          selectText(source);
        });
      } else {  // plain http: select the text, and let the browser copy it
        selectText(source);
        try { if (document.execCommand("copy")) copied(button); } catch (error) { /* selected */ }
      }
    });
  });

  var errors = document.getElementById("supplement-errors");
  if (errors) errors.focus();
  var form = document.getElementById("supplement-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-once]");
      // After this event the browser still sends the form; a second click sends nothing.
      window.setTimeout(function () { if (button) button.disabled = true; }, 0);
    });
  }
})();
