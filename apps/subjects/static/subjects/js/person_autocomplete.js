// The person picker (apps/subjects/widgets.py): Tom Select over a <select>, options asked from the scoped
// /subjects/autocomplete/ as the user types (no inline script or style: the CSP forbids them).
// Keyboard: type to search, arrows to move, Enter to choose, Backspace/Delete to clear.
(function () {
  "use strict";
  var MIN_LENGTH = 2;

  function init(select) {
    if (select.tomselect || select.closest("template")) {
      return;
    }
    var url = select.getAttribute("data-autocomplete-url");
    var picker = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],          // the server searches (folded, in scope); keep its order and its page
      maxOptions: null,
      loadThrottle: 250,
      closeAfterSelect: true,
      plugins: ["clear_button"],
      shouldLoad: function (query) {
        return query.trim().length >= MIN_LENGTH;
      },
      score: function () {
        return function () { return 1; };
      },
      load: function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: {"Accept": "application/json"}
        }).then(function (response) {
          return response.json();
        }).then(function (data) {
          self.clearOptions();
          callback(data.results || []);
        }).catch(function () {
          callback();
        });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + select.getAttribute("data-no-results") + "</div>";
        },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm m-2" role="status"></div>';
        },
        not_loading: function (query) {
          if (query.trim().length < MIN_LENGTH) {
            return '<div class="no-results">' + select.getAttribute("data-type-more") + "</div>";
          }
        }
      }
    });
    // The original select stays in the page for the form (out of the tab order, its label now names the
    // picker's input): hidden from assistive technology, so that a screen reader meets one control.
    select.setAttribute("aria-hidden", "true");
    return picker;
  }

  function initAll(root) {
    root.querySelectorAll("select.js-person-autocomplete").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
    // Rows added by the formset's "Thêm dòng" (apps/cases/static/cases/formset.js) get their picker too.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            if (node.matches("select.js-person-autocomplete")) {
              init(node);
            } else {
              initAll(node);
            }
          }
        });
      });
    }).observe(document.body, {childList: true, subtree: true});
  });
})();
