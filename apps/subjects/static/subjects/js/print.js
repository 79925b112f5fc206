// The record page's "In hồ sơ" button (no inline script: the CSP forbids it).
document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
