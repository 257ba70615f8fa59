// Pickers (core/widgets.py Picker): a filter box that narrows a list of checkboxes.
// Progressive enhancement only: without this file every checkbox is shown and works.
(function () {
  "use strict";
  if (window.weerbaarPicker) return;
  window.weerbaarPicker = true;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setup(root) {
    var box = root.querySelector("[data-picker-filter]");
    var input = box && box.querySelector("input");
    var count = root.querySelector("[data-picker-count]");
    var items = Array.prototype.slice.call(root.querySelectorAll("[data-picker-item]"));
    if (!input || !items.length) return;
    var texts = items.map(function (item) {
      return fold(item.textContent);
    });
    var template = root.getAttribute("data-count-text") || "{shown} / {total}";

    function update() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var chosen = 0;
      items.forEach(function (item, i) {
        var match = words.every(function (word) {
          return texts[i].indexOf(word) !== -1;
        });
        item.hidden = !match;
        if (match) shown += 1;
        if (item.querySelector("input").checked) chosen += 1;
      });
      count.textContent = template
        .replace("{shown}", shown)
        .replace("{total}", items.length)
        .replace("{chosen}", chosen);
    }

    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault(); // filtering, not submitting the form
      } else if (event.key === "Escape" && input.value) {
        event.preventDefault();
        input.value = "";
        update();
      }
    });
    root.addEventListener("change", update);
    box.hidden = false;
    update();
  }

  function start() {
    document.querySelectorAll("[data-picker]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
