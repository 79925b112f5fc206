// Import progress: while a preview or confirm request runs, poll the batch's counter and show it.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("[data-progress-bar]");
  var text = box.querySelector("[data-progress-text]");
  var template = text ? text.textContent : "";

  function show(done, total) {
    var percent = total ? Math.round(100 * done / total) : 0;
    if (bar) { bar.style.width = percent + "%"; }
    box.querySelector("[role=progressbar]").setAttribute("aria-valuenow", done);
    if (text) {
      // Replace the two numbers of the server-rendered sentence, whatever the language.
      var i = 0;
      text.textContent = template.replace(/\d+/g, function (m) { i += 1; return i === 1 ? done : (i === 2 ? total : m); });
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { show(data.done, data.total); } })
      .catch(function () {});
  }

  var bound = box.querySelector("[role=progressbar]");
  show(Number(bound.getAttribute("aria-valuenow")) || 0, Number(bound.getAttribute("aria-valuemax")) || 0);

  document.querySelectorAll("form[data-progress-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      window.setInterval(poll, 1000);
    });
    if (form.hasAttribute("data-autosubmit")) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
})();
