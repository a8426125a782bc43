// Tidings charts in plain SVG, no library: timelines (stacked quad-class bars, a dyad's two
// directions above and below the line, the corpus-volume strip, a brush for the date range),
// the country network and the event map. Every mark is a link to the events it counts, so it
// is reachable by keyboard; every page also lists the chart's numbers in a table.
// Charts are drawn at the width of their box (and again when it changes), so text stays
// legible on a phone. Data arrive as JSON in <script type="application/json">; every label
// is set with textContent.
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
  function link(parent, href, label, cls) {
    var a = el("a", { href: href, "aria-label": label, class: cls || "mark" }, parent);
    title(a, label);
    return a;
  }
  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }
  function clear(box) { while (box.firstChild) box.removeChild(box.firstChild); }
  function note(box, s) { var p = document.createElement("p"); p.className = "muted"; p.textContent = s; box.appendChild(p); }
  function q(base, extra) { return base ? base + "&" + extra : extra; }
  function enc(s) { return encodeURIComponent(s); }
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
  function fmt(v, share) { return share ? (Math.round(v * 10) / 10).toString() : String(v); }
  // Draw now, and again when the box's width changes (a phone turned, a window resized).
  function responsive(box, draw) {
    var last = 0;
    function go() { var w = box.clientWidth; if (w && Math.abs(w - last) > 8) { last = w; draw(w); } }
    go();
    if (window.ResizeObserver) new ResizeObserver(go).observe(box);
  }

  // ---------------------------------------------------------------- timeline
  function cellsOf(period, opt) {
    // The cells a bar shows: [dir, cell, sign] (a dyad in both directions: a→b up, b→a down)
    if (opt.dyad && opt.dir === "both") return [["ab", period.ab, 1], ["ba", period.ba, -1]];
    if (opt.dyad) return [[opt.dir, period[opt.dir], 1]];
    return [["all", period.all, 1]];
  }
  function valueOf(cell, quad, opt, articles) {
    if (!cell) return 0;
    var n = opt.count === "mentions" ? cell["m" + quad] || 0 : cell["q" + quad] || 0;
    if (!opt.share) return n;
    return articles ? 100 * n / articles : 0;
  }
  function dirLabel(d, opt) {
    if (d === "ab") return opt.a + " → " + opt.b;
    if (d === "ba") return opt.b + " → " + opt.a;
    return "";
  }

  function drawTimeline(box, data, opt, W) {
    clear(box);
    var periods = (data && data.periods) || [];
    if (!periods.length) { note(box, "No dated events in this range."); return; }
    var narrow = W < 600;
    var H = narrow ? 260 : 320, STRIP = 46;
    var m = { l: narrow ? 36 : 48, r: opt.mirror ? 12 : (narrow ? 36 : 52), t: 12, b: narrow ? 50 : 58 };
    var iw = W - m.l - m.r, ih = H - m.t - m.b;
    var svg = el("svg", { width: W, height: H + STRIP + 10, viewBox: "0 0 " + W + " " + (H + STRIP + 10), role: "group", "aria-label": "Timeline: each bar links to its events; drag to choose a date range", class: "timeline" }, box);
    var mirror = opt.dyad && opt.dir === "both";
    var rows = periods.map(function (p) {
      var r = { period: p.period, articles: p.articles || 0, up: 0, down: 0, score: 0, cells: cellsOf(p, opt) };
      r.cells.forEach(function (c) {
        var sum = 0;
        for (var k = 1; k <= 4; k++) sum += valueOf(c[1], k, opt, r.articles);
        if (c[2] > 0) r.up += sum; else r.down += sum;
        if (c[1]) r.score += c[1].score || 0;
      });
      return r;
    });
    var top = niceMax(Math.max.apply(null, rows.map(function (r) { return Math.max(r.up, r.down); }).concat([opt.share ? 0.1 : 1])));
    var zero = mirror ? m.t + ih / 2 : m.t + ih, span = mirror ? ih / 2 : ih;
    var step = iw / rows.length, bw = Math.max(1, Math.min(38, step * 0.72));
    function x(i) { return m.l + step * i + step / 2; }
    function y(v, sign) { return zero - sign * (v / top) * span; }
    var grid = el("g", { class: "grid", "aria-hidden": "true" }, svg), axis = el("g", { class: "axis", "aria-hidden": "true" }, svg);
    [0, 0.5, 1].forEach(function (f) {
      [1, -1].forEach(function (sign) {
        if (sign < 0 && !mirror) return;
        var yy = y(top * f, sign);
        el("line", { x1: m.l, x2: W - m.r, y1: yy, y2: yy }, grid);
        text(axis, m.l - 5, yy + 4, fmt(top * f, opt.share), { "text-anchor": "end" });
      });
    });
    var unit = (opt.count === "mentions" ? "mentions" : "events") + (opt.share ? " per 100 articles" : "");
    text(axis, 10, m.t + ih / 2, unit, { transform: "rotate(-90 10 " + (m.t + ih / 2) + ")", "text-anchor": "middle" });
    var brushLayer = el("rect", { x: m.l, y: m.t, width: iw, height: ih, class: "brusharea" }, svg);
    var labelEvery = Math.ceil(rows.length / Math.max(4, Math.floor(iw / 48)));
    var bars = el("g", { class: "bars" }, svg);
    rows.forEach(function (r, i) {
      r.cells.forEach(function (c) {
        var base = 0;
        for (var k = 1; k <= 4; k++) {
          var v = valueOf(c[1], k, opt, r.articles);
          if (!v) continue;
          var n = opt.count === "mentions" ? c[1]["m" + k] : c[1]["q" + k];
          var href = "/events?" + q(opt.base, "since=" + enc(r.period) + "&until=" + enc(r.period) + "&quad=" + k + (opt.dyad ? "&dir=" + c[0] : ""));
          var label = r.period + (opt.dyad ? " · " + dirLabel(c[0], opt) : "") + " · " + QUAD_NAMES[k] + ": " + n + " " + (opt.count === "mentions" ? "mention" : "event") + (n === 1 ? "" : "s") + (opt.share ? " (" + fmt(v, true) + " per 100 articles)" : "");
          var a = link(bars, href, label);
          var y0 = y(base, c[2]), y1 = y(base + v, c[2]);
          el("rect", { x: x(i) - bw / 2, y: Math.min(y0, y1), width: bw, height: Math.max(1, Math.abs(y1 - y0)), fill: QUAD_COLOURS[k] }, a);
          base += v;
        }
      });
      if (i % labelEvery === 0) text(axis, x(i), H - m.b + 16, r.period, { "text-anchor": "end", transform: "rotate(-40 " + x(i) + " " + (H - m.b + 16) + ")" });
    });
    el("line", { x1: m.l, x2: W - m.r, y1: zero, y2: zero, class: "zero" }, svg);
    if (!mirror) drawScore(svg, rows, x, m, ih, W);
    drawVolume(svg, rows, x, bw, H, STRIP, m, W, opt);
    brush(svg, brushLayer, rows, x, step, m, ih);
  }

  function drawScore(svg, rows, x, m, ih, W) {
    var maxS = niceMax(Math.max.apply(null, rows.map(function (r) { return Math.abs(r.score); }).concat([1])));
    function ys(s) { return m.t + ih / 2 - (s / maxS) * (ih / 2); }
    var axis = el("g", { class: "axis score", "aria-hidden": "true" }, svg);
    [-maxS, 0, maxS].forEach(function (v) { text(axis, W - m.r + 4, ys(v) + 4, (v > 0 ? "+" : "") + v, { "text-anchor": "start", fill: SCORE_COLOUR }); });
    var d = rows.map(function (r, i) { return (i ? "L" : "M") + x(i).toFixed(1) + "," + ys(r.score).toFixed(1); }).join("");
    el("path", { d: d, fill: "none", stroke: SCORE_COLOUR, "stroke-width": 1.5, class: "scoreline", "aria-hidden": "true" }, svg);
  }

  function drawVolume(svg, rows, x, bw, H, STRIP, m, W, opt) {
    var g = el("g", { class: "volume" }, svg);
    var top = Math.max.apply(null, rows.map(function (r) { return r.articles; }).concat([1]));
    var y0 = H + STRIP;
    text(g, m.l - 5, H + 12, "articles", { "text-anchor": "end", class: "striplabel", "aria-hidden": "true" });
    rows.forEach(function (r, i) {
      if (!r.articles) return;
      var h = Math.max(1, (STRIP - 14) * r.articles / top);
      var a = link(g, "/?" + q(opt.search, "since=" + enc(r.period) + "&until=" + enc(r.period)), r.period + ": " + r.articles + " articles published", "mark vol");
      el("rect", { x: x(i) - bw / 2, y: y0 - h, width: bw, height: h }, a);
    });
  }

  // Drag across the plot to set since/until to the periods covered; a plain click still
  // follows the bar's link.
  function brush(svg, area, rows, x, step, m, ih) {
    var start = null, sel = null, moved = false, swallow = false;
    function px(e) { var r = svg.getBoundingClientRect(); return e.clientX - r.left; }
    function index(v) { return Math.max(0, Math.min(rows.length - 1, Math.floor((v - m.l) / step))); }
    svg.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      start = px(e); moved = false;
    });
    svg.addEventListener("pointermove", function (e) {
      if (start === null) return;
      var now = px(e);
      if (!moved && Math.abs(now - start) < 6) return;
      if (!moved) { moved = true; svg.setPointerCapture(e.pointerId); sel = el("rect", { y: m.t, height: ih, class: "brush" }, svg); }
      var a = Math.min(start, now), b = Math.max(start, now);
      sel.setAttribute("x", a); sel.setAttribute("width", Math.max(1, b - a));
    });
    function end(e) {
      if (start === null) return;
      if (moved) {
        var i = index(Math.min(start, px(e))), j = index(Math.max(start, px(e)));
        var params = new URLSearchParams(window.location.search);
        params.set("since", rows[i].period); params.set("until", rows[j].period); params.delete("offset");
        swallow = true;
        window.location.search = params.toString();
      }
      start = null;
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", function () { start = null; if (sel) sel.remove(); });
    svg.addEventListener("click", function (e) { if (swallow) { e.preventDefault(); e.stopPropagation(); swallow = false; } }, true);
  }

  var tbox = document.getElementById("timeline");
  if (tbox) {
    var tdata = readJSON("timeline-data");
    var topt = { base: tbox.getAttribute("data-base") || "", search: tbox.getAttribute("data-search") || "", count: tbox.getAttribute("data-count"), share: !!tbox.getAttribute("data-share"), dir: tbox.getAttribute("data-dir"), dyad: !!tbox.getAttribute("data-dyad"), a: tbox.getAttribute("data-a"), b: tbox.getAttribute("data-b") };
    responsive(tbox, function (w) { drawTimeline(tbox, tdata, topt, w); });
  }

  // ---------------------------------------------------------------- network
  function layout(nodes, edges, W, H) {
    var index = {};
    nodes.forEach(function (n, i) {
      var a = 2 * Math.PI * i / nodes.length;
      n.x = W / 2 + Math.cos(a) * W * 0.3; n.y = H / 2 + Math.sin(a) * H * 0.3;
      index[n.id] = n;
    });
    var maxW = Math.max.apply(null, edges.map(function (e) { return e.weight; }).concat([1]));
    var kk = Math.sqrt(W * H / nodes.length) * 0.55;
    // Fruchterman-Reingold-like, a fixed number of steps so the picture is stable.
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
        n.x = Math.max(30, Math.min(W - 30, n.x + n.dx / d * s));
        n.y = Math.max(20, Math.min(H - 20, n.y + n.dy / d * s));
      });
    }
    return index;
  }

  function drawNetwork(box, g, base, W) {
    clear(box);
    var nodes = ((g && g.nodes) || []).map(function (n) { return Object.assign({}, n); });
    if (!nodes.length) { note(box, "No events between two countries under these filters."); return; }
    var H = Math.round(Math.min(560, Math.max(320, W * 0.75)));
    var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "group", "aria-label": "Network of countries: every node and edge is a link" }, box);
    var index = {};
    nodes.forEach(function (n) { index[n.id] = n; });
    var edges = ((g && g.edges) || []).filter(function (e) { return index[e.source] && index[e.target]; });
    layout(nodes, edges, W, H);
    var maxW = Math.max.apply(null, edges.map(function (e) { return e.weight; }).concat([1]));
    var maxE = Math.max.apply(null, nodes.map(function (n) { return n.events || 1; }));
    var eg = el("g", { class: "edges" }, svg);
    edges.forEach(function (e) {
      var a = index[e.source], b = index[e.target];
      var label = a.label + " – " + b.label + ": " + e.weight + " events, mean score " + (e.mean_score === null ? "n/a" : e.mean_score);
      var l = link(eg, "/events?" + q(base, "a=" + enc(e.source) + "&b=" + enc(e.target)), label, "edge");
      el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: scoreColour(e.mean_score), "stroke-width": 1 + 7 * Math.sqrt(e.weight / maxW), "stroke-opacity": 0.75, "stroke-linecap": "round" }, l);
    });
    var ng = el("g", { class: "nodes" }, svg);
    nodes.forEach(function (n) {
      var r = 5 + 14 * Math.sqrt((n.events || 1) / maxE);
      var a = link(ng, "/events?" + q(base, "actor=" + enc(n.id)), n.label + " (" + n.id + "): " + (n.events || 0) + " events with the other countries", "node");
      el("circle", { cx: n.x, cy: n.y, r: r, fill: "#3d6a96" }, a);
      text(a, n.x, n.y - r - 4, n.label, { "text-anchor": "middle" });
    });
  }
  var nbox = document.getElementById("network");
  if (nbox) {
    var ndata = readJSON("network-data");
    responsive(nbox, function (w) { drawNetwork(nbox, ndata, nbox.getAttribute("data-base") || "", w); });
  }

  // ---------------------------------------------------------------- map
  var MW = 1000, MH = 500;
  function project(p) { return [(p.lon + 180) / 360 * MW, (90 - p.lat) / 180 * MH]; }

  function placeList(box, places) {
    var list = document.getElementById("place-events"), head = document.getElementById("place-title");
    var pager = document.getElementById("place-pager");
    var base = box.getAttribute("data-base") || "", size = parseInt(box.getAttribute("data-page"), 10) || 10;
    function show(p, offset) {
      var filter = q(base, "place=" + enc(p.place) + "&geo=" + enc(p.precision));
      head.textContent = p.name + " (" + p.precision + ") — " + p.events + " event" + (p.events === 1 ? "" : "s");
      // The previous place's list goes at once: never a new title over another place's events.
      clear(list); clear(pager); list.setAttribute("aria-busy", "true");
      fetch("/api/events?" + q(filter, "limit=" + size + "&offset=" + offset), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { events: [], total: 0 }; })
        .then(function (got) { render(p, filter, got, offset); })
        .catch(function () { head.textContent = "Could not load the events of " + p.name; });
    }
    function render(p, filter, got, offset) {
      clear(list); clear(pager); list.removeAttribute("aria-busy");
      list.setAttribute("start", offset + 1);
      got.events.forEach(function (ev) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "/articles/" + enc(ev.doc_id) + "#ev-" + enc(ev.id);
        var who = function (s) { return s ? s.label : "—"; };
        a.textContent = (ev.date || ev.published || "undated") + " · " + who(ev.source_actor) + " → " + ev.event_type + " → " + who(ev.target_actor);
        li.appendChild(a); list.appendChild(li);
      });
      if (offset > 0) pager.appendChild(button("← Previous", function () { show(p, Math.max(0, offset - size)); }));
      var span = document.createElement("span");
      span.textContent = (got.total ? offset + 1 : 0) + "–" + (offset + got.events.length) + " of " + got.total;
      pager.appendChild(span);
      if (offset + got.events.length < got.total) pager.appendChild(button("Next →", function () { show(p, offset + size); }));
      var all = document.createElement("a");
      all.href = "/events?" + filter; all.textContent = "All " + got.total + " on the events page →";
      pager.appendChild(all);
    }
    function button(label, fn) { var b = document.createElement("button"); b.type = "button"; b.textContent = label; b.addEventListener("click", fn); return b; }
    return show;
  }

  function drawMap(box, places) {
    var svg = el("svg", { viewBox: "0 0 " + MW + " " + MH, role: "group", "aria-label": "Event map: every circle is a link to the events at that place", preserveAspectRatio: "xMidYMid meet" }, box);
    el("image", { href: box.getAttribute("data-world"), x: 0, y: 0, width: MW, height: MH, preserveAspectRatio: "none", "aria-hidden": "true" }, svg);
    var maxC = Math.max.apply(null, places.map(function (p) { return p.events; }).concat([1]));
    var dots = el("g", { class: "dots" }, svg);
    var show = placeList(box, places), base = box.getAttribute("data-base") || "";
    var marks = [];
    // Largest first, so every smaller circle lies on top of the larger ones; view() then
    // moves a smaller circle off any larger one's centre, so every circle keeps its centre
    // (and some of itself) to click.
    var order = places.map(function (p, i) { return i; }).sort(function (a, b) { return places[b].events - places[a].events; });
    order.forEach(function (i) {
      var p = places[i], xy = project(p);
      var size = 3 + 12 * Math.sqrt(p.events / maxC);
      var label = p.name + " (" + p.precision + "): " + p.events + " event" + (p.events === 1 ? "" : "s");
      var a = link(dots, "/events?" + q(base, "place=" + enc(p.place) + "&geo=" + enc(p.precision)), label, "place geo-" + p.precision);
      var c = el("circle", { cx: xy[0], cy: xy[1], fill: scoreColour(p.mean_goldstein) }, a);
      marks[i] = { a: a, c: c, x: xy[0], y: xy[1], size: size };
      a.addEventListener("click", function (e) {
        e.preventDefault();
        select(i);
      });
    });
    // In screen pixels: push each circle (in draw order) until no larger circle's centre is
    // under it, nor its own centre under... it lies on top, so only the larger ones matter.
    function declutter(k) {
      var placed = [];
      order.forEach(function (i) {
        var m = marks[i], x = m.x / k, y = m.y / k, r = m.size;
        for (var round = 0; round < 12; round++) {
          var clash = null;
          for (var j = 0; j < placed.length; j++) {
            var o = placed[j], dx = x - o.x, dy = y - o.y;
            if (dx * dx + dy * dy < (r + 2) * (r + 2)) { clash = o; break; }
          }
          if (!clash) break;
          var ddx = x - clash.x, ddy = y - clash.y, d = Math.sqrt(ddx * ddx + ddy * ddy);
          if (d < 0.01) { ddx = 0.7071; ddy = 0.7071; d = 1; }
          x = clash.x + ddx / d * (r + 2.5); y = clash.y + ddy / d * (r + 2.5);
        }
        placed.push({ x: x, y: y });
        m.c.setAttribute("cx", (x * k).toFixed(2)); m.c.setAttribute("cy", (y * k).toFixed(2));
        m.c.setAttribute("r", (r * k).toFixed(2));
      });
    }
    function select(i) {
      dots.querySelectorAll(".selected").forEach(function (x) { x.classList.remove("selected"); });
      marks[i].a.classList.add("selected");
      show(places[i], 0);
    }
    document.querySelectorAll("a[data-place]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        select(parseInt(a.getAttribute("data-place"), 10));
        document.getElementById("place-title").scrollIntoView({ block: "nearest" });
      });
    });
    // "Fit": the events' bounding box with a margin, at least 120 x 60 units, kept 2:1.
    function fit() {
      if (!places.length) return "0 0 " + MW + " " + MH;
      var xs = places.map(function (p) { return project(p)[0]; }), ys = places.map(function (p) { return project(p)[1]; });
      var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
      var w = Math.max(120, (x1 - x0) * 1.3, (y1 - y0) * 1.3 * 2), h = w / 2;
      if (w >= MW) return "0 0 " + MW + " " + MH;
      var vx = Math.max(0, Math.min(MW - w, (x0 + x1) / 2 - w / 2)), vy = Math.max(0, Math.min(MH - h, (y0 + y1) / 2 - h / 2));
      return [vx, vy, w, h].map(function (v) { return v.toFixed(1); }).join(" ");
    }
    // Circles keep their size on screen whatever the zoom and the box's width.
    var current = fit();
    function view(v) {
      current = v;
      svg.setAttribute("viewBox", v);
      declutter(parseFloat(v.split(" ")[2]) / Math.max(1, box.clientWidth));
    }
    responsive(box, function () { view(current); });
    document.querySelectorAll(".zoom button").forEach(function (b) {
      b.addEventListener("click", function () { var v = b.getAttribute("data-view"); view(v === "fit" ? fit() : v); });
    });
  }
  var mbox = document.getElementById("map");
  if (mbox) drawMap(mbox, readJSON("map-data") || []);
})();
