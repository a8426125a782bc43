// Tidings, every page: the actor typeahead of the filter bar and sortable tables.
// Plain JavaScript, no library; every text is set with textContent, never parsed as HTML.
"use strict";
(function () {
  // ------------------------------------------------------------ actor typeahead
  // The actor fields share one <datalist>; typing asks /api/actors/suggest (the knowledge
  // base's names and aliases, and the store's own) and fills it, so the browser's own
  // accessible suggestion list offers "Putin", "DPRK", "North Korea"...
  var list = document.getElementById("actor-suggest");
  var timer = null, asked = "";
  function suggest(q) {
    asked = q;
    fetch("/api/actors/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) {
        if (q !== asked) return;  // an older answer
        while (list.firstChild) list.removeChild(list.firstChild);
        items.forEach(function (s) {
          var o = document.createElement("option");
          o.value = s.value;
          o.label = s.label + (s.mentions ? " · " + s.mentions + " mentions" : " · no events yet");
          list.appendChild(o);
        });
      })
      .catch(function () { /* no suggestions: the field still works as typed */ });
  }
  if (list) {
    document.querySelectorAll("input.actor-input").forEach(function (input) {
      input.addEventListener("input", function () {
        var q = input.value.trim();
        clearTimeout(timer);
        if (q.length < 2 || q === asked) return;
        timer = setTimeout(function () { suggest(q); }, 120);
      });
    });
  }

  // ------------------------------------------------------------ sortable tables
  // A table.sortable lists every row of its data (no paging), so sorting it in the page is
  // sorting the data. Each header becomes a button; aria-sort tells the current order.
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    if (v === null) v = cell.textContent.trim();
    var n = parseFloat(v.replace(/[^0-9.+-]/g, ""));
    return (v !== "" && !isNaN(n) && /^[-+]?[\d.,\s]+$/.test(v)) ? n : v.toLowerCase();
  }
  function sortBy(table, i, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).filter(function (r) { return !r.querySelector(".empty"); });
    var asc = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i);
      if (x === y) return 0;
      if (typeof x === "number" && typeof y === "number") return asc ? x - y : y - x;
      return asc ? String(x).localeCompare(String(y)) : String(y).localeCompare(String(x));
    });
    rows.forEach(function (r) { body.appendChild(r); });
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, i) {
      if (!th.textContent.trim() || th.querySelector(".sr-only") === th.firstElementChild) return;
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sortbtn";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, i, th); });
    });
  });
})();
