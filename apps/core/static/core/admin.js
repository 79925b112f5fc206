// Accessibility fix on top of Django's admin scripts, found by axe-core (tests/e2e/test_accessibility.py).
//
// The two-box picker (SelectFilter2.js, filter_horizontal) draws its search icon as a <span> with an
// aria-label and no role: ARIA prohibits a label on such an element and screen readers may drop it.
// Giving the icon role="img" makes the label valid, so it is read. This script is deferred, so its load
// handler is registered after SelectFilter2's and runs once the picker is built.
window.addEventListener('load', () => {
  document.querySelectorAll('.selector .help-tooltip[aria-label]:not([role])').forEach((icon) => {
    icon.setAttribute('role', 'img');
  });
});
