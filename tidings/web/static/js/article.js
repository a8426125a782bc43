// Article page: clicking an evidence highlight shows the coding of its event(s) in the side
// panel. Only classes and scrolling change here; no article text is ever parsed as HTML.
"use strict";
(function () {
  var text = document.getElementById("doctext");
  var list = document.querySelector(".evlist");
  var hint = document.getElementById("coding-hint");
  if (!text || !list) return;

  function clear() {
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
  }

  function select(ids, mark) {
    clear();
    ids.forEach(function (id) {
      var card = document.getElementById(id);
      if (card) card.classList.add("selected");
      text.querySelectorAll("mark.ev").forEach(function (m) {
        if ((m.getAttribute("data-events") || "").split(" ").indexOf(id) >= 0) m.classList.add("selected");
      });
    });
    if (mark) mark.classList.add("selected");
    list.classList.add("filtered");
    if (hint) hint.textContent = ids.length + " event" + (ids.length === 1 ? "" : "s") + " for this passage. Click again to show all.";
    var first = document.getElementById(ids[0]);
    if (first) first.scrollIntoView({ block: "nearest" });
  }

  function showAll() {
    clear();
    list.classList.remove("filtered");
    if (hint) hint.textContent = "Select a highlight in the text, or an event below.";
  }

  function activate(mark) {
    var ids = (mark.getAttribute("data-events") || "").split(" ").filter(Boolean);
    if (mark.classList.contains("selected") && list.classList.contains("filtered")) { showAll(); return; }
    select(ids, mark);
  }

  text.addEventListener("click", function (e) {
    var mark = e.target.closest("mark.ev");
    if (mark) activate(mark);
  });
  text.addEventListener("keydown", function (e) {
    var mark = e.target.closest("mark.ev");
    if (mark && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); activate(mark); }
  });
  list.addEventListener("click", function (e) {
    if (e.target.closest("a")) return;
    var card = e.target.closest(".evcard");
    if (!card) return;
    clear();
    card.classList.add("selected");
    var first = null;
    text.querySelectorAll("mark.ev").forEach(function (m) {
      if ((m.getAttribute("data-events") || "").split(" ").indexOf(card.id) >= 0) {
        m.classList.add("selected");
        if (!first) first = m;
      }
    });
    if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  });
  if (location.hash && location.hash.indexOf("#ev-") === 0) {
    var id = decodeURIComponent(location.hash.slice(1));
    if (document.getElementById(id)) select([id], null);
  }
})();
