// Accessibility repairs of theme markup that CSS cannot reach (see book/tilgaengelighed.md).
//
// 1. English interface texts of the themes (sphinx-book-theme, pydata-sphinx-theme, myst-nb) are
//    put in Danish, so the page has one language (WCAG 3.1.2).
// 2. Buttons whose accessible name does not contain their visible text (WCAG 2.5.3, "label in
//    name") get the visible text as name.
// Runs when parsing ends and before the themes' deferred scripts set up their tooltips.
(function () {
  "use strict";
  var DA = {
    "Skip to main content": "Gå til hovedindholdet",
    "Back to top": "Til toppen",
    "Color mode": "Farvetilstand",
    "Toggle primary sidebar": "Vis eller skjul indholdsfortegnelsen",
    "Toggle secondary sidebar": "Vis eller skjul sidens indhold",
    "Site navigation": "Bogens indhold",
    "On this page": "På denne side",
    "Main": "Bogens indhold",
    "Page": "Sidenavigation",
    "Version warning": "Versionsadvarsel",
    "Search this book...": "Søg i bogen …",
    "Link to this heading": "Link til denne overskrift",
    "Link to this image": "Link til denne figur",
    "Link to this table": "Link til denne tabel",
    "Link to this code": "Link til denne kode",
    "Link to this definition": "Link til denne definition",
    "Contents": "Indhold",
    "previous page": "forrige side",
    "next page": "næste side",
    "Copy": "Kopiér",
    "Copy to clipboard": "Kopiér til udklipsholderen",
  };
  // sphinx-copybutton reads its click messages from a global table keyed by page language.
  if (typeof messages === "object" && typeof locale === "string" && !messages.da
      && document.documentElement.lang === "da") {
    messages.da = {copy: "Kopiér", copy_to_clipboard: "Kopiér til udklipsholderen",
                   copy_success: "Kopieret!", copy_failure: "Kunne ikke kopiere"};
    locale = "da"; // eslint-disable-line no-global-assign
  }
  var ATTRIBUTES = ["aria-label", "title", "placeholder", "data-bs-title"];

  function translate(root) {
    ATTRIBUTES.forEach(function (name) {
      root.querySelectorAll("[" + name + "]").forEach(function (el) {
        var value = el.getAttribute(name).trim();
        if (Object.prototype.hasOwnProperty.call(DA, value)) el.setAttribute(name, DA[value]);
      });
    });
    var walker = document.createTreeWalker(root.body || root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var text = node.nodeValue.trim();
      if (text && Object.prototype.hasOwnProperty.call(DA, text)) node.nodeValue = node.nodeValue.replace(text, DA[text]);
    }
  }

  function labelInName(root) {
    // myst-nb's code toggles: the name is the visible text ("Vis kode"), not "Toggle hidden content".
    root.querySelectorAll("details > summary[aria-label]").forEach(function (el) {
      if (el.textContent.trim()) el.removeAttribute("aria-label");
    });
    // The search button shows "Søg Ctrl+K": name it by its visible text.
    root.querySelectorAll(".search-button-field[aria-label]").forEach(function (el) {
      el.removeAttribute("aria-label");
    });
    // The colour-mode switch is an icon button: its icons' English tooltips are not its name.
    root.querySelectorAll(".theme-switch-button .theme-switch").forEach(function (el) {
      el.removeAttribute("title");
      el.setAttribute("aria-hidden", "true");
    });
  }

  function repair() {
    translate(document);
    labelInName(document);
  }

  // Copy buttons are added after parsing: one more pass when the page has loaded.
  window.addEventListener("load", repair);
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", function once() {
      document.removeEventListener("readystatechange", once);
      repair();
    });
  } else {
    repair();
  }
})();
