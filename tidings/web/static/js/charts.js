// Tidings charts in plain SVG, no library: the dyad/actor timeline (stacked quad-class bars with
// the summed score as a line), the actor network (a small force layout) and the event map.
// Data arrive as JSON in <script type="application/json">; every label is set with textContent.
"use strict";
(function () {
  var NS = "http://www.w3.org/2000/svg";
  var QUAD_COLOURS = { 1: "#7fbf7b", 2: "#1b7837", 3: "#f4a35a", 4: "#c8312b" };
  var QUAD_NAMES = { 1: "Verbal cooperation", 2: "Material cooperation", 3: "Verbal conflict", 4: "Material conflict" };
  var SCORE_COLOUR = "#253858";

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function title(parent, s) { var t = el("title", {}, parent); t.textContent = s; return t; }
  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }
  // Diverging colour for a Goldstein-like score in [-10, 10]: red - grey - green.
  function scoreColour(s) {
    if (s === null || s === undefined || isNaN(s)) return "#9aa5b1";
    var t = Math.max(-1, Math.min(1, s / 6));
    var grey = [187, 187, 187], red = [200, 49, 43], green = [27, 120, 55];
    var to = t < 0 ? red : green, k = Math.abs(t);
    var c = grey.map(function (g, i) { return Math.round(g + (to[i] - g) * k); });
    return "rgb(" + c.join(",") + ")";
  }
  function niceMax(v) {
    if (v <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  // ---------------------------------------------------------------- timeline
  function drawTimeline(box, data, dir) {
    while (box.firstChild) box.removeChild(box.firstChild);
    var periods = (data && data.periods) || [];
    if (!periods.length) { var p = document.createElement("p"); p.className = "muted"; p.textContent = "No dated events for this selection."; box.appendChild(p); return; }
    var W = 960, H = 340, m = { l: 48, r: 56, t: 14, b: 58 };
    var iw = W - m.l - m.r, ih = H - m.t - m.b;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Events over time by quad class", class: "timeline" }, box);
    function pick(row) {
      var r = { q1: 0, q2: 0, q3: 0, q4: 0, score: 0 };
      ["ab", "ba"].forEach(function (d) {
        if (dir !== "both" && dir !== d) return;
        var x = row[d] || {};
        r.q1 += x.q1 || 0; r.q2 += x.q2 || 0; r.q3 += x.q3 || 0; r.q4 += x.q4 || 0; r.score += x.score || 0;
      });
      return r;
    }
    var rows = periods.map(function (p) { var r = pick(p); r.period = p.period; return r; });
    // Count axis: whole-number ticks of 1, 2 or 5 x 10^k.
    var top = Math.max.apply(null, rows.map(function (r) { return r.q1 + r.q2 + r.q3 + r.q4; }).concat([1]));
    var stepN = Math.max(1, niceMax(top / 4)), ticksN = Math.ceil(top / stepN), maxN = stepN * ticksN;
    var maxS = niceMax(Math.max.apply(null, rows.map(function (r) { return Math.abs(r.score); }).concat([1])));
    var step = iw / rows.length, bw = Math.max(1, Math.min(38, step * 0.72));
    function x(i) { return m.l + step * i + step / 2; }
    function y(n) { return m.t + ih - (n / maxN) * ih; }
    function ys(s) { return m.t + ih / 2 - (s / maxS) * (ih / 2); }
    var grid = el("g", { class: "grid" }, svg), axis = el("g", { class: "axis" }, svg);
    for (var k = 0; k <= ticksN; k++) {
      var v = stepN * k, yy = y(v);
      el("line", { x1: m.l, x2: W - m.r, y1: yy, y2: yy }, grid);
      text(axis, m.l - 6, yy + 4, String(v), { "text-anchor": "end" });
    }
    for (k = 0; k <= 4; k++) {
      var sv = -maxS + 2 * maxS * k / 4;
      text(axis, W - m.r + 6, ys(sv) + 4, (sv > 0 ? "+" : "") + Math.round(sv * 10) / 10, { "text-anchor": "start", fill: SCORE_COLOUR });
    }
    el("line", { x1: m.l, x2: W - m.r, y1: ys(0), y2: ys(0), stroke: SCORE_COLOUR, "stroke-dasharray": "2 3", "stroke-opacity": 0.5 }, svg);
    text(axis, 12, m.t + ih / 2, "events", { transform: "rotate(-90 12 " + (m.t + ih / 2) + ")", "text-anchor": "middle" });
    text(axis, W - 8, m.t + ih / 2, "summed score", { transform: "rotate(90 " + (W - 8) + " " + (m.t + ih / 2) + ")", "text-anchor": "middle", fill: SCORE_COLOUR });
    var labelEvery = Math.ceil(rows.length / 16);
    var bars = el("g", { class: "bars" }, svg);
    rows.forEach(function (r, i) {
      var base = 0, g = el("g", { class: "bar" }, bars);
      [1, 2, 3, 4].forEach(function (q) {
        var n = r["q" + q];
        if (!n) return;
        var rect = el("rect", { x: x(i) - bw / 2, y: y(base + n), width: bw, height: Math.max(0.5, y(base) - y(base + n)), fill: QUAD_COLOURS[q], class: "q" + q }, g);
        title(rect, r.period + " · " + QUAD_NAMES[q] + ": " + n);
        base += n;
      });
      if (i % labelEvery === 0) text(axis, x(i), H - m.b + 16, r.period, { "text-anchor": "end", transform: "rotate(-40 " + x(i) + " " + (H - m.b + 16) + ")" });
    });
    var d = rows.map(function (r, i) { return (i ? "L" : "M") + x(i).toFixed(1) + "," + ys(r.score).toFixed(1); }).join("");
    el("path", { d: d, fill: "none", stroke: SCORE_COLOUR, "stroke-width": 2, class: "scoreline" }, svg);
    rows.forEach(function (r, i) {
      if (!(r.q1 + r.q2 + r.q3 + r.q4)) return;  // no dot on empty periods
      var c = el("circle", { cx: x(i), cy: ys(r.score), r: 3, fill: SCORE_COLOUR }, svg);
      title(c, r.period + " · summed score " + (Math.round(r.score * 10) / 10));
    });
  }
  var tbox = document.getElementById("timeline");
  if (tbox) {
    var tdata = readJSON("timeline-data");
    drawTimeline(tbox, tdata, "both");
    document.querySelectorAll("input[name=dir]").forEach(function (r) {
      r.addEventListener("change", function () { drawTimeline(tbox, tdata, r.value); });
    });
  }

  // ---------------------------------------------------------------- network
  function drawNetwork(box, g) {
    var nodes = (g && g.nodes) || [], edges = (g && g.edges) || [];
    if (!nodes.length) { var p = document.createElement("p"); p.className = "muted"; p.textContent = "No actor pairs yet."; box.appendChild(p); return; }
    var W = 960, H = 560;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Actor network" }, box);
    var index = {};
    nodes.forEach(function (n, i) {
      var a = 2 * Math.PI * i / nodes.length;
      n.x = W / 2 + Math.cos(a) * W * 0.3; n.y = H / 2 + Math.sin(a) * H * 0.3; n.vx = 0; n.vy = 0;
      index[n.id] = n;
    });
    edges = edges.filter(function (e) { return index[e.source] && index[e.target]; });
    var maxW = Math.max.apply(null, edges.map(function (e) { return e.weight; }).concat([1]));
    var maxE = Math.max.apply(null, nodes.map(function (n) { return n.events || 1; }));
    nodes.forEach(function (n) { n.r = 5 + 16 * Math.sqrt((n.events || 1) / maxE); });
    // Fruchterman-Reingold-like layout, a fixed number of steps so the picture is stable.
    var kk = Math.sqrt(W * H / nodes.length) * 0.55;
    for (var it = 0; it < 300; it++) {
      var temp = 30 * (1 - it / 300) + 0.5;
      nodes.forEach(function (a) { a.dx = 0; a.dy = 0; });
      for (var i = 0; i < nodes.length; i++) for (var j = i + 1; j < nodes.length; j++) {
        var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = a.y - b.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var f = kk * kk / dist;
        a.dx += dx / dist * f; a.dy += dy / dist * f; b.dx -= dx / dist * f; b.dy -= dy / dist * f;
      }
      edges.forEach(function (e) {
        var a = index[e.source], b = index[e.target], dx = a.x - b.x, dy = a.y - b.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var f = dist * dist / kk * (0.5 + 0.5 * e.weight / maxW);
        a.dx -= dx / dist * f; a.dy -= dy / dist * f; b.dx += dx / dist * f; b.dy += dy / dist * f;
      });
      nodes.forEach(function (n) {
        n.dx += (W / 2 - n.x) * 0.02 * kk; n.dy += (H / 2 - n.y) * 0.02 * kk;
        var d = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 0.01, s = Math.min(d, temp);
        n.x = Math.max(40, Math.min(W - 40, n.x + n.dx / d * s));
        n.y = Math.max(24, Math.min(H - 24, n.y + n.dy / d * s));
      });
    }
    var eg = el("g", { class: "edges" }, svg);
    edges.forEach(function (e) {
      var a = index[e.source], b = index[e.target];
      var line = el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: scoreColour(e.mean_score), "stroke-width": 1 + 7 * Math.sqrt(e.weight / maxW), "stroke-opacity": 0.75, "stroke-linecap": "round" }, eg);
      title(line, a.label + " – " + b.label + ": " + e.weight + " events, mean score " + (e.mean_score === null ? "n/a" : e.mean_score));
    });
    var ng = el("g", { class: "nodes" }, svg);
    nodes.forEach(function (n) {
      var link = el("a", { class: "node", href: "/actors/" + encodeURIComponent(n.id) }, ng);
      el("circle", { cx: n.x, cy: n.y, r: n.r, fill: "#3d6a96" }, link);
      title(link, n.label + " (" + n.id + "): " + (n.events || 0) + " events");
      text(link, n.x, n.y - n.r - 4, n.label, { "text-anchor": "middle" });
    });
  }
  var nbox = document.getElementById("network");
  if (nbox) drawNetwork(nbox, readJSON("network-data"));

  // ---------------------------------------------------------------- map
  function drawMap(box, places) {
    var W = 1000, H = 500;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Event locations" }, box);
    el("image", { href: box.getAttribute("data-world"), x: 0, y: 0, width: W, height: H, preserveAspectRatio: "none" }, svg);
    var maxC = Math.max.apply(null, places.map(function (p) { return p.count; }).concat([1]));
    var dots = el("g", { class: "dots" }, svg);
    var list = document.getElementById("place-events"), head = document.getElementById("place-title");
    places.slice().sort(function (a, b) { return b.count - a.count; }).forEach(function (p) {
      var cx = (p.lon + 180) / 360 * W, cy = (90 - p.lat) / 180 * H;
      var c = el("circle", { cx: cx, cy: cy, fill: scoreColour(p.mean_score), class: "place" }, dots);
      c.setAttribute("data-size", 3 + 12 * Math.sqrt(p.count / maxC));
      title(c, (p.name || "?") + (p.country ? " (" + p.country + ")" : "") + ": " + p.count + " events");
      c.addEventListener("click", function () {
        dots.querySelectorAll(".selected").forEach(function (x) { x.classList.remove("selected"); });
        c.classList.add("selected");
        head.textContent = (p.name || "?") + (p.country ? " (" + p.country + ")" : "") + " — " + p.count + " event" + (p.count === 1 ? "" : "s");
        while (list.firstChild) list.removeChild(list.firstChild);
        (p.events || []).forEach(function (ev) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = "/articles/" + encodeURIComponent(ev.doc_id) + "#ev-" + encodeURIComponent(ev.id);
          a.textContent = (ev.date || "undated") + " · " + ev.source + " → " + ev.event_type + " → " + ev.target;
          li.appendChild(a);
          list.appendChild(li);
        });
        if (p.count > (p.events || []).length) {
          var more = document.createElement("li"); more.className = "muted";
          more.textContent = "… and " + (p.count - p.events.length) + " more"; list.appendChild(more);
        }
      });
    });
    // "Fit": the events' bounding box with a margin, at least 120 x 60 units, kept 2:1.
    function fit() {
      if (!places.length) return "0 0 " + W + " " + H;
      var xs = places.map(function (p) { return (p.lon + 180) / 360 * W; });
      var ys = places.map(function (p) { return (90 - p.lat) / 180 * H; });
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
      var y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var w = Math.max(120, (x1 - x0) * 1.3, (y1 - y0) * 1.3 * 2), h = w / 2;
      var vx = Math.max(0, Math.min(W - w, (x0 + x1) / 2 - w / 2));
      var vy = Math.max(0, Math.min(H - h, (y0 + y1) / 2 - h / 2));
      if (w >= W) return "0 0 " + W + " " + H;
      return [vx, vy, w, h].map(function (v) { return v.toFixed(1); }).join(" ");
    }
    // Circles keep their size on screen whatever the zoom.
    function view(v) {
      svg.setAttribute("viewBox", v);
      var k = parseFloat(v.split(" ")[2]) / W;
      dots.querySelectorAll("circle").forEach(function (c) {
        c.setAttribute("r", (parseFloat(c.getAttribute("data-size")) * k).toFixed(2));
        c.setAttribute("stroke-width", (1.2 * k).toFixed(2));
      });
    }
    view(fit());
    document.querySelectorAll(".zoom button").forEach(function (b) {
      b.addEventListener("click", function () {
        var v = b.getAttribute("data-view");
        view(v === "fit" ? fit() : v);
      });
    });
  }
  var mbox = document.getElementById("map");
  if (mbox) drawMap(mbox, readJSON("map-data") || []);
})();
