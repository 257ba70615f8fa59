// A step form re-rendered with text that is not saved yet (an inserted example, a conflict)
// counts as unsaved from the start, so weerbaar.js warns before leaving it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-warn-unsaved][data-unsaved-on-load]");
    if (form) {
      form.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
})();
