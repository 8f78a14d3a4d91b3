// The desk's chip ID card field: the USB scanner types the QR text and presses Enter. Read it
// at once and fill the applicant (and the form's first person) instead of submitting the form.
// Without JavaScript, the card is read when the form is submitted: nothing depends on this.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fillIfBlank(element, value) {
    if (element && !element.value && value) {
      element.value = value;
    }
  }

  function fill(form, card) {
    ["full_name", "personal_id", "date_of_birth", "sex", "address"].forEach(function (part) {
      fillIfBlank(form.querySelector("#a-" + part), card[part]);
    });
    var person = form.querySelector("fieldset.field-person");
    if (person) {
      ["full_name", "personal_id", "sex"].forEach(function (part) {
        fillIfBlank(person.querySelector("[data-part=" + part + "]"), card[part]);
      });
      // The form's dates are three boxes (day, month, year); the card gives YYYY-MM-DD.
      var born = (card.date_of_birth || "").split("-");
      var boxes = person.querySelectorAll("[data-part=date_of_birth] input");
      if (born.length === 3 && boxes.length === 3) {
        fillIfBlank(boxes[0], String(Number(born[2])));
        fillIfBlank(boxes[1], String(Number(born[1])));
        fillIfBlank(boxes[2], born[0]);
      }
    }
  }

  function nextBlank(form) {
    var fields = form.querySelectorAll("input:not([type=hidden]):not([data-cccd]), select, textarea");
    for (var i = 0; i < fields.length; i += 1) {
      if (!fields[i].value && !fields[i].disabled && fields[i].type !== "checkbox" && fields[i].type !== "file") {
        return fields[i];
      }
    }
    return null;
  }

  function readCard(field) {
    var form = field.form;
    var status = document.getElementById("cccd-status");
    var body = new URLSearchParams();
    body.append("text", field.value);
    fetch(form.dataset.cccdUrl, {
      method: "POST",
      headers: {"X-CSRFToken": csrfToken(form), "Content-Type": "application/x-www-form-urlencoded"},
      body: body.toString(),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return {ok: response.ok, data: data}; });
    }).then(function (answer) {
      if (!answer.ok) {
        status.textContent = answer.data.error ? answer.data.error.message : "";
        status.className = "error";
        field.select();
        return;
      }
      fill(form, answer.data);
      status.className = "ok";
      status.textContent = (answer.data.warnings || []).join(" ") || field.dataset.readText || "✓";
      field.value = "";
      var next = nextBlank(form);
      if (next) {
        next.focus();
      }
    });
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key === "Enter" && field.matches && field.matches("[data-cccd]")) {
      event.preventDefault();
      if (field.value.trim()) {
        readCard(field);
      }
    }
  });
}());
