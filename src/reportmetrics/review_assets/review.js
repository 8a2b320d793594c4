// reportmetrics review page. Report text only ever reaches the page through textContent
// and text nodes, never as HTML. Everything is built once at load; filters only toggle
// `hidden` on the table's rows, and a report's text is rendered when it is shown.
(function () {
  "use strict";
  var started = performance.now();
  var $ = function (id) { return document.getElementById(id); };
  var docs = JSON.parse($("rm-data").textContent);
  var meta = JSON.parse($("rm-meta").textContent);
  var PALETTE = 12;
  var UNIT_MARK = { percent: "%", points: " pt" };
  var names = meta.names || [];  // the indicators' Chinese names, by the number rows use
  var famIndex = {};
  meta.families.forEach(function (f, k) { famIndex[f] = k; });
  var familyOf = function (ind) { var k = ind.indexOf("."); return k < 0 ? ind : ind.slice(0, k); };
  var famClass = function (ind) { return "f" + (famIndex[familyOf(ind)] % PALETTE); };

  // ---- rows -------------------------------------------------------------------------
  var rows = [];
  docs.forEach(function (doc, d) {
    doc.ids = [];
    doc.rows.forEach(function (r) {
      var ind = meta.indicators[r[0]];
      var row = {
        id: rows.length, d: d, ind: ind, name: names[r[0]] || "", fam: famClass(ind), value: r[1], unit: r[2],
        qualifier: r[3], raw: r[4], start: r[5], end: r[6], rs: r[7], re: r[8], pattern: r[9]
      };
      doc.ids.push(row.id);
      rows.push(row);
    });
  });

  // Marks are kept in the browser under each row's document, span and indicator, not its
  // place in this page, so that a page written again (more reports, changed packs) shows
  // the marks of the rows it still has.
  var storeKey = "reportmetrics-review:marks";
  var markKey = function (r) { return [docs[r.d].doc, r.start, r.end, r.ind].join("|"); };
  var stored = function () {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { return {}; }
  };
  var verdicts = {};
  var kept = stored();
  rows.forEach(function (r) { if (kept[markKey(r)]) verdicts[r.id] = kept[markKey(r)]; });
  var save = function (id) {
    var all = stored();  // as other pages may have left it
    if (verdicts[id]) all[markKey(rows[id])] = verdicts[id]; else delete all[markKey(rows[id])];
    try { localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* file:// may refuse */ }
  };

  var state = { doc: "", ind: "", ver: "", shown: -1, row: -1 };

  var cellOf = function (cls, text) {
    var cell = el("div", cls ? "td " + cls : "td", text);
    cell.setAttribute("role", "cell");
    return cell;
  };
  var el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  // ---- header, legend, filters ------------------------------------------------------
  document.title = meta.title;
  $("title").textContent = meta.title;
  var nErr = docs.filter(function (x) { return x.error; }).length;
  $("summary").textContent = docs.length + " documents · " + rows.length + " rows" +
    (nErr ? " · " + nErr + " with errors" : "");

  var legend = $("legend");
  meta.families.forEach(function (f) {
    if (!meta.indicators.some(function (i) { return familyOf(i) === f; })) return;
    legend.appendChild(el("span", "f" + (famIndex[f] % PALETTE), f));
  });

  var counts = {};
  rows.forEach(function (r) { counts[r.ind] = (counts[r.ind] || 0) + 1; });
  var fInd = $("f-ind");
  var groups = {};
  meta.order.forEach(function (ind) {
    var fam = familyOf(ind);
    if (!groups[fam]) { groups[fam] = document.createElement("optgroup"); groups[fam].label = fam; fInd.appendChild(groups[fam]); }
    var name = names[meta.indicators.indexOf(ind)];
    var option = el("option", null, ind + (name ? " " + name : "") + " (" + counts[ind] + ")");
    option.value = ind;
    groups[fam].appendChild(option);
  });

  var fDoc = $("f-doc");
  var docButtons = [];
  var list = $("doc-list");
  docs.forEach(function (doc, d) {
    var label = doc.doc + (doc.error ? " (error)" : " (" + doc.ids.length + ")");
    var option = el("option", null, label);
    option.value = String(d);
    fDoc.appendChild(option);
    var li = el("li");
    var button = el("button");
    button.type = "button";
    button.dataset.d = String(d);
    button.title = doc.path + (doc.error ? "\n" + doc.error : "");
    button.appendChild(el("span", "name", doc.doc));
    var count = doc.error ? el("span", "count error", "error") :
      el("span", doc.ids.length ? "count" : "count zero", doc.ids.length);
    button.appendChild(count);
    li.appendChild(button);
    list.appendChild(li);
    docButtons.push(button);
  });
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-d]");
    if (!button) return;
    var d = Number(button.dataset.d);
    fDoc.value = String(d);
    setFilter("doc", String(d));
  });

  // ---- the side table -----------------------------------------------------------------
  var body = $("row-body");
  var trs = [];
  var verdictButtons = [];
  var fixInputs = [];
  var frag = document.createDocumentFragment();
  rows.forEach(function (r) {
    var tr = el("div", "tr");
    tr.setAttribute("role", "row");
    tr.dataset.r = String(r.id);
    tr.tabIndex = 0;
    var doc = docs[r.d];
    var cell = cellOf("doc", doc.doc);
    cell.title = doc.path;
    tr.appendChild(cell);
    var ind = cellOf("ind");
    ind.appendChild(el("span", r.fam, r.ind));
    ind.title = r.ind + (r.name ? " " + r.name : "");
    tr.appendChild(ind);
    var zh = cellOf("zh", r.name);
    zh.lang = "zh";
    zh.title = r.name;
    tr.appendChild(zh);
    var value = cellOf("num", r.value + (UNIT_MARK[r.unit] || ""));
    value.title = r.value + " " + r.unit;
    tr.appendChild(value);
    var qualifier = cellOf("qual", r.qualifier === "exact" ? "" : r.qualifier);
    qualifier.title = r.qualifier;
    tr.appendChild(qualifier);
    tr.appendChild(cellOf("raw", r.raw));
    var verdict = cellOf("verdict");
    var ok = el("button", "ok", "✓");
    ok.type = "button"; ok.dataset.v = "right"; ok.title = "Right"; ok.setAttribute("aria-label", "right");
    var no = el("button", "no", "✗");
    no.type = "button"; no.dataset.v = "wrong"; no.title = "Wrong"; no.setAttribute("aria-label", "wrong");
    verdict.appendChild(ok); verdict.appendChild(no);
    tr.appendChild(verdict);
    var fix = cellOf("fix");
    var input = el("input");
    input.type = "text"; input.placeholder = "value"; input.setAttribute("aria-label", "right value");
    fix.appendChild(input);
    tr.appendChild(fix);
    trs.push(tr);
    verdictButtons.push([ok, no]);
    fixInputs.push(input);
    frag.appendChild(tr);
  });
  body.appendChild(frag);

  var showVerdict = function (id) {
    var v = verdicts[id];
    var mark = v ? v.v : "";
    var pair = verdictButtons[id];
    pair[0].setAttribute("aria-pressed", mark === "right" ? "true" : "false");
    pair[1].setAttribute("aria-pressed", mark === "wrong" ? "true" : "false");
    trs[id].classList.toggle("right", mark === "right");
    trs[id].classList.toggle("wrong", mark === "wrong");
    if (fixInputs[id].value !== ((v && v.c) || "")) fixInputs[id].value = (v && v.c) || "";
  };
  var countMarked = function () {
    var right = 0, wrong = 0;
    Object.keys(verdicts).forEach(function (k) {
      if (verdicts[k].v === "right") right++; else if (verdicts[k].v === "wrong") wrong++;
    });
    $("marked").textContent = (right + wrong) + " marked (" + right + " right, " + wrong + " wrong)";
  };
  var setVerdict = function (id, mark, corrected) {
    var v = verdicts[id] || { v: "", c: "" };
    if (mark !== null) v.v = mark;
    if (corrected !== null) {
      v.c = corrected;
      if (corrected && !v.v) v.v = "wrong";
    }
    if (!v.v && !v.c) delete verdicts[id]; else verdicts[id] = v;
    save(id);
    showVerdict(id);
    countMarked();
    if (state.ver) trs[id].hidden = !matches(rows[id]);
  };
  rows.forEach(function (r) { if (verdicts[r.id]) showVerdict(r.id); });
  countMarked();

  body.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-v]");
    var tr = event.target.closest(".tr");
    if (!tr) return;
    var id = Number(tr.dataset.r);
    if (button) {
      var current = verdicts[id] && verdicts[id].v;
      setVerdict(id, current === button.dataset.v ? "" : button.dataset.v, null);
      return;
    }
    if (event.target.closest("input")) return;
    jumpTo(id);
  });
  body.addEventListener("input", function (event) {
    var tr = event.target.closest(".tr");
    if (tr) setVerdict(Number(tr.dataset.r), null, event.target.value.trim());
  });
  body.addEventListener("keydown", function (event) {
    if (event.target.tagName === "INPUT") return;
    var tr = event.target.closest(".tr");
    if (!tr || event.target !== tr) return;
    var id = Number(tr.dataset.r);
    if (event.key === "Enter") { jumpTo(id); event.preventDefault(); }
    else if (event.key === "r") setVerdict(id, "right", null);
    else if (event.key === "w") setVerdict(id, "wrong", null);
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var step = event.key === "ArrowDown" ? 1 : -1;
      for (var k = id + step; k >= 0 && k < trs.length; k += step) {
        if (!trs[k].hidden) { trs[k].focus(); break; }
      }
      event.preventDefault();
    }
  });

  // ---- filters --------------------------------------------------------------------------
  var matches = function (r) {
    if (state.doc !== "" && r.d !== Number(state.doc)) return false;
    if (state.ind !== "" && r.ind !== state.ind) return false;
    if (state.ver !== "") {
      var v = verdicts[r.id] ? verdicts[r.id].v : "";
      if (state.ver === "none" ? v !== "" : v !== state.ver) return false;
    }
    return true;
  };
  var applyFilters = function () {
    var t0 = performance.now();
    var visible = 0;
    for (var k = 0; k < rows.length; k++) {
      var show = matches(rows[k]);
      if (trs[k].hidden === show) trs[k].hidden = !show;
      if (show) visible++;
    }
    $("no-rows").hidden = visible > 0;
    var withInd = null;
    if (state.ind !== "") {
      withInd = {};
      rows.forEach(function (r) { if (r.ind === state.ind) withInd[r.d] = true; });
    }
    docButtons.forEach(function (button, d) {
      button.setAttribute("aria-current", String(state.doc !== "" && Number(state.doc) === d));
      button.parentNode.classList.toggle("dim", withInd !== null && !withInd[d]);
    });
    if (state.doc !== "") showDoc(Number(state.doc));
    dimText();
    document.body.dataset.visibleRows = String(visible);
    document.body.dataset.filterMs = (performance.now() - t0).toFixed(1);
  };
  var setFilter = function (key, value) { state[key] = value; applyFilters(); };
  fDoc.addEventListener("change", function () { setFilter("doc", fDoc.value); });
  fInd.addEventListener("change", function () { setFilter("ind", fInd.value); });
  $("f-ver").addEventListener("change", function () { setFilter("ver", $("f-ver").value); });

  // ---- the text of one report -------------------------------------------------------------
  var textBox = $("text");
  var spansOf = {};      // row id -> its value's spans (its evidence's if no value span)
  var segments = [];     // [span, row ids] of the shown report

  var renderText = function (doc) {
    spansOf = {};
    segments = [];
    var text = doc.text || "";
    var out = document.createDocumentFragment();
    if (!text) {
      if (!doc.error) out.appendChild(el("span", "none", "(no text)"));
      textBox.replaceChildren(out);
      return;
    }
    if (!doc.ids.length) {
      out.appendChild(el("p", "none", "No indicator found in this report."));
    }
    var bounds = [0, text.length];
    var mine = doc.ids.map(function (id) { return rows[id]; });
    mine.forEach(function (r) { bounds.push(r.start, r.end, r.rs, r.re); });
    bounds = bounds.filter(function (b) { return b >= 0 && b <= text.length; })
      .sort(function (a, b) { return a - b; });
    var position = 0;
    for (var k = 1; k < bounds.length; k++) {
      var a = bounds[k - 1], b = bounds[k];
      if (b <= a) continue;
      var ev = [], val = [];
      for (var j = 0; j < mine.length; j++) {
        var r = mine[j];
        if (r.re > r.rs && r.rs <= a && r.re >= b) val.push(r);
        else if (r.end > r.start && r.start <= a && r.end >= b) ev.push(r);
      }
      if (!ev.length && !val.length) continue;
      if (a > position) out.appendChild(document.createTextNode(text.slice(position, a)));
      var depth = ev.length + val.filter(function (x) { return x.start <= a && x.end >= b; }).length;
      var lead = val.length ? val[0] : ev.reduce(function (p, x) { return x.end - x.start < p.end - p.start ? x : p; });
      var cls = lead.fam + (depth ? " ev" : "") + (depth >= 2 ? " d2" : "") +
        (val.length ? " val" : "") + (val.length > 1 ? " multi" : "");
      var span = el("span", cls, text.slice(a, b));
      var ids = val.concat(ev).map(function (x) { return x.id; });
      span.dataset.r = ids.join(",");
      if (val.length) {
        span.tabIndex = 0;
        val.forEach(function (x) { (spansOf[x.id] = spansOf[x.id] || []).push(span); });
      }
      segments.push([span, ids]);
      out.appendChild(span);
      position = b;
    }
    if (position < text.length) out.appendChild(document.createTextNode(text.slice(position)));
    mine.forEach(function (r) {
      if (spansOf[r.id]) return;
      segments.forEach(function (s) { if (s[1].indexOf(r.id) >= 0) (spansOf[r.id] = spansOf[r.id] || []).push(s[0]); });
    });
    textBox.replaceChildren(out);
  };

  var dimText = function () {
    segments.forEach(function (s) {
      var on = state.ind === "" || s[1].some(function (id) { return rows[id].ind === state.ind; });
      s[0].classList.toggle("off", !on);
    });
  };

  var showDoc = function (d) {
    if (state.shown === d) return;
    state.shown = d;
    var doc = docs[d];
    var head = $("doc-head");
    head.replaceChildren();
    head.appendChild(el("div", "doc-name", doc.doc));
    var bits = [doc.path];
    if (doc.region) bits.push(doc.region);
    if (doc.year) bits.push(String(doc.year));
    bits.push(doc.error ? "error" : doc.ids.length + " rows");
    head.appendChild(el("div", "doc-meta", bits.join(" · ")));
    var error = $("doc-error");
    error.hidden = !doc.error;
    error.textContent = doc.error || "";
    renderText(doc);
    dimText();
    textBox.scrollTop = 0;
    docButtons.forEach(function (button, k) { button.classList.toggle("shown", k === d); });
    document.body.dataset.shownDoc = doc.doc;
  };

  // ---- jumping between mentions ---------------------------------------------------------
  var currentMarks = [];
  var jumpTo = function (id) {
    var r = rows[id];
    showDoc(r.d);
    currentMarks.forEach(function (node) { node.classList.remove("current"); });
    if (state.row >= 0) trs[state.row].classList.remove("current");
    state.row = id;
    currentMarks = spansOf[id] || [];
    currentMarks.forEach(function (node) {
      node.classList.remove("current");
      void node.offsetWidth;  // restart the flash
      node.classList.add("current");
    });
    if (currentMarks.length) currentMarks[0].scrollIntoView({ block: "center" });
    trs[id].classList.add("current");
    if (!trs[id].hidden) trs[id].scrollIntoView({ block: "nearest" });
    document.body.dataset.currentRow = String(id);
  };
  var step = function (direction) {
    var n = rows.length;
    if (!n) return;
    var k = state.row < 0 ? (direction > 0 ? -1 : n) : state.row;
    for (var tries = 0; tries < n; tries++) {
      k = (k + direction + n) % n;
      if (!trs[k].hidden) { jumpTo(k); return; }
    }
  };
  $("next").addEventListener("click", function () { step(1); });
  $("prev").addEventListener("click", function () { step(-1); });
  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("#row-body")) return;
    if (event.key === "n" || event.key === "j") step(1);
    else if (event.key === "p" || event.key === "k") step(-1);
  });

  // ---- details on hover, focus and click ------------------------------------------------
  var tip = $("tip");
  var showTip = function (span, x, y) {
    tip.replaceChildren();
    span.dataset.r.split(",").forEach(function (s, k) {
      var r = rows[Number(s)];
      if (k) tip.appendChild(el("hr"));
      var dl = el("dl");
      var v = verdicts[r.id];
      [["indicator", r.ind], ["name", r.name || "—"], ["value", r.value], ["unit", r.unit], ["qualifier", r.qualifier],
        ["raw", r.raw], ["pattern", r.pattern], ["verdict", v ? v.v + (v.c ? " → " + v.c : "") : "—"]]
        .forEach(function (pair) { dl.appendChild(el("dt", null, pair[0])); dl.appendChild(el("dd", null, pair[1])); });
      tip.appendChild(dl);
    });
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    tip.style.left = Math.max(4, Math.min(x + 12, window.innerWidth - w - 8)) + "px";
    tip.style.top = (y + 18 + h > window.innerHeight ? Math.max(4, y - h - 10) : y + 18) + "px";
  };
  textBox.addEventListener("mouseover", function (event) {
    var span = event.target.closest("[data-r]");
    if (span) showTip(span, event.clientX, event.clientY);
  });
  textBox.addEventListener("mousemove", function (event) {
    if (tip.hidden) return;
    var span = event.target.closest("[data-r]");
    if (span) showTip(span, event.clientX, event.clientY);
  });
  textBox.addEventListener("mouseout", function (event) {
    if (!event.relatedTarget || !event.relatedTarget.closest || !event.relatedTarget.closest("[data-r]")) tip.hidden = true;
  });
  textBox.addEventListener("focusin", function (event) {
    var span = event.target.closest("[data-r]");
    if (!span) return;
    var box = span.getBoundingClientRect();
    showTip(span, box.left, box.bottom - 10);
  });
  textBox.addEventListener("focusout", function () { tip.hidden = true; });
  var pick = function (span) {
    var id = Number(span.dataset.r.split(",")[0]);
    jumpTo(id);
    if (!trs[id].hidden) trs[id].scrollIntoView({ block: "nearest" });
  };
  textBox.addEventListener("click", function (event) {
    var span = event.target.closest("[data-r]");
    if (span) pick(span);
  });
  textBox.addEventListener("keydown", function (event) {
    var span = event.target.closest && event.target.closest("[data-r]");
    if (span && event.key === "Enter") pick(span);
  });

  // ---- export ---------------------------------------------------------------------------
  // One CSV cell. Text that Excel would take for a formula (starting with = + - @, a
  // tab or CR) gets a leading ' (OWASP's advice); numbers are written as they are.
  var csvCell = function (value, isText) {
    var s = value === null || value === undefined ? "" : String(value);
    if (isText && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  };
  var NUMBER = /^-?\d+(\.\d+)?$/;
  var cell = function (value, k) {
    // value, start and end are numbers; a corrected value is one when it reads as one
    var isText = k !== 2 && k !== 3 && k !== 4 && !(k === 6 && NUMBER.test(String(value)));
    return csvCell(value, isText);
  };
  var verdictCsv = function () {
    var lines = [["doc", "path", "indicator", "value", "start", "end", "verdict", "corrected_value", "evidence"].join(",")];
    rows.forEach(function (r) {
      var v = verdicts[r.id];
      if (!v || (!v.v && !v.c)) return;
      var doc = docs[r.d];
      var evidence = (doc.text || "").slice(r.start, r.end);
      lines.push([doc.doc, doc.path, r.ind, r.value, r.start, r.end, v.v, v.c, evidence].map(cell).join(","));
    });
    // The byte-order mark tells Excel the file is UTF-8, so Chinese shows as Chinese.
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  };
  $("export").addEventListener("click", function () {
    var blob = new Blob([verdictCsv()], { type: "text/csv;charset=utf-8" });
    var link = $("download");
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(blob);
    link.download = "verdicts.csv";
    link.click();
  });

  // ---- start ----------------------------------------------------------------------------
  var first = 0;
  for (var k = 0; k < docs.length; k++) { if (docs[k].ids.length) { first = k; break; } }
  if (docs.length) showDoc(first); else textBox.appendChild(el("span", "none", "No documents."));
  applyFilters();
  window.reportmetricsReview = { verdictCsv: verdictCsv, jumpTo: jumpTo, rows: rows.length };
  document.body.dataset.loadMs = (performance.now() - started).toFixed(1);
  document.body.dataset.readyAt = performance.now().toFixed(1);
  document.body.dataset.ready = "1";
})();
