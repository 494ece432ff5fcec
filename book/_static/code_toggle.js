// One switch per page for the code behind figures and tables, off by default: the cells myst-nb
// folds ("hide-input") are hidden until the reader asks for code, then all of them open at once.
// The reader's choice is kept for the next page (localStorage).
(function () {
  "use strict";
  var KEY = "analysebog-vis-kode";
  var CELLS = "details.above-input";

  function remembered() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }

  function remember(shown) {
    try { window.localStorage.setItem(KEY, shown ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  function show(button, shown) {
    document.body.classList.toggle("code-shown", shown);
    document.querySelectorAll(CELLS).forEach(function (cell) { cell.open = shown; });
    button.textContent = shown ? "Skjul kode" : "Vis kode";
    button.setAttribute("aria-pressed", shown ? "true" : "false");
  }

  function install() {
    if (!document.querySelector(CELLS)) return;  // a page without code has no switch
    var button = document.createElement("button");
    button.type = "button";
    button.className = "code-toggle btn";
    button.addEventListener("click", function () {
      var shown = !document.body.classList.contains("code-shown");
      remember(shown);
      show(button, shown);
    });
    var place = document.querySelector(".article-header-buttons") || document.querySelector("main");
    place.insertBefore(button, place.firstChild);
    show(button, remembered());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();
})();
