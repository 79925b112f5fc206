// Commitment signing form: choosing a khóm fills the households total from the khóm's record, unless
// the user typed another number. Served by the app (CSP: scripts from 'self' only, no inline code).
(function () {
  "use strict";
  document.querySelectorAll("select[data-households-target]").forEach(function (select) {
    var target = document.getElementById(select.getAttribute("data-households-target"));
    if (!target) { return; }
    var filled = target.value;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var households = option ? option.getAttribute("data-households") : null;
      if (households !== null && (target.value === "" || target.value === filled)) {
        target.value = households;
        filled = households;
      }
    });
  });
})();
