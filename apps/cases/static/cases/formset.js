// "Add a row" for the seized-item and participant rows of the case form (no inline script: CSP).
// Each fieldset[data-formset] holds a <template> with Django's empty form (prefix "__prefix__").
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-formset]").forEach(function (fieldset) {
    var prefix = fieldset.getAttribute("data-formset");
    var total = fieldset.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = fieldset.querySelector("template");
    var rows = fieldset.querySelector("[data-formset-rows]");
    var button = fieldset.querySelector("[data-formset-add]");
    if (!total || !template || !rows || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  });
});
