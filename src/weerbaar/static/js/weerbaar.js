// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // Forms marked data-warn-unsaved ask before leaving with unsaved edits.
  var dirty = false;
  document.addEventListener("input", function (event) {
    if (event.target.closest("form[data-warn-unsaved]")) {
      dirty = true;
    }
  });
  document.addEventListener("submit", function () {
    dirty = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Copy buttons (API token shown once).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    if (target && navigator.clipboard) {
      navigator.clipboard.writeText(target.textContent.trim());
      button.textContent = button.getAttribute("data-copied-label") || button.textContent;
    }
  });
  // The risk form: score (likelihood x impact) and its place against the acceptance level, live.
  function showScore(impact) {
    var form = impact.form;
    var likelihood = form && form.elements[impact.getAttribute("data-score-with")];
    if (!likelihood) return;
    var out = document.getElementById(impact.id + "-score");
    if (!out) {
      out = document.createElement("output");
      out.id = impact.id + "-score";
      out.className = "weerbaar-score";
      out.setAttribute("for", likelihood.id + " " + impact.id);
      out.setAttribute("aria-live", "polite");
      impact.insertAdjacentElement("afterend", out);
    }
    var l = parseInt(likelihood.value, 10);
    var i = parseInt(impact.value, 10);
    if (!l || !i) {
      out.textContent = "";
      return;
    }
    var score = l * i;
    var acceptance = parseInt(impact.getAttribute("data-acceptance"), 10);
    var critical = parseInt(impact.getAttribute("data-critical"), 10);
    var level = score >= critical ? "critical" : score > acceptance ? "high" : "acceptable";
    out.textContent = impact.getAttribute("data-score-label") + ": " + l + " × " + i + " = " + score +
      " (" + impact.getAttribute("data-text-" + level) + ")";
    out.setAttribute("data-level", level);
  }
  function scoreFields() {
    return document.querySelectorAll("select[data-score-with]");
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLSelectElement) || !target.form) return;
    scoreFields().forEach(function (impact) {
      if (impact === target || impact.getAttribute("data-score-with") === target.name) showScore(impact);
    });
  });
  document.addEventListener("DOMContentLoaded", function () {
    scoreFields().forEach(showScore);
  });
})();
