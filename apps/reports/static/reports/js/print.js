// The report page's "Print" button (no inline script: the CSP forbids it).
document.querySelectorAll(".js-print").forEach(function (link) {
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.print();
  });
});
