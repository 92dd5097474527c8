// Parley what-if explorer: controls from the scenario schema, a debounced
// what-if request on every change, and SVG charts drawn by hand. No
// dependencies; everything comes from the parley binary.
"use strict";

const $ = (sel) => document.querySelector(sel);
const SVGNS = "http://www.w3.org/2000/svg";
// Phase and group colours come from the server (window.PALETTE, the same
// palette as the PNG charts); the what-if/baseline colours are the page's own.
const C = Object.assign({ whatif: "#0072B2", base: "#8a8f98", baseBand1: "#e9eaed", baseBand2: "#d6d8dd", obs: "#000000" },
  window.PALETTE || {});

const state = { s: "", runs: 0, seed: "", sets: {}, off: new Set() };
let schema = null, last = null, ruleSummary = {}, inflight = null, timer = null, explainFor = "";

// ---------- URL <-> state ----------

function query(withDefaults) {
  const q = new URLSearchParams();
  q.set("s", state.s);
  if (withDefaults || state.runs !== schema.runs) q.set("runs", state.runs);
  if (withDefaults || String(state.seed) !== String(schema.seed)) q.set("seed", state.seed);
  if (state.off.size) q.set("off", [...state.off].sort((a, b) => a - b).join(","));
  for (const k of Object.keys(state.sets).sort()) q.set(k, state.sets[k]);
  return q;
}

function readHash() {
  const q = new URLSearchParams(location.hash.slice(1));
  const out = { s: q.get("s") || "", runs: q.get("runs"), seed: q.get("seed"), off: new Set(), sets: {} };
  for (const x of (q.get("off") || "").split(",")) if (x !== "") out.off.add(Number(x));
  for (const [k, v] of q) if (!["s", "runs", "seed", "off"].includes(k)) out.sets[k] = v;
  return out;
}

// ---------- formatting ----------

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  if (digits === undefined) digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return v.toLocaleString("en-GB", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}
function fmtKind(v, kind) {
  if (v === null || v === undefined) return "–";
  if (kind === "share") return fmt(100 * v, 0) + "%";
  if (kind === "days") return fmt(v, 0) + " d";
  return fmt(v, 0);
}
function fmtDiff(v, kind) {
  if (v === null || v === undefined) return "–";
  const s = v > 0 ? "+" : v < 0 ? "−" : "±";
  const a = Math.abs(v);
  if (kind === "share") return s + fmt(100 * a, 1) + " pp";
  if (kind === "days") return s + fmt(a, a < 10 ? 1 : 0) + " d";
  return s + fmt(a, a < 10 ? 1 : 0);
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function monthLabel(iso) { return MONTHS[Number(iso.slice(5, 7)) - 1] + " " + iso.slice(0, 4); }
function prettyKey(key) {
  const p = key.split(".");
  const last = p[p.length - 1].replace(/_/g, " ");
  if (p[0] === "rules") return [p[1].replace(/_/g, " "), last];
  if (p[0] === "insurgent" && p.length > 2) return [p[2], last];
  return [p[0], last];
}
function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const k in attrs || {}) {
    if (k === "class") e.className = attrs[k]; else e.setAttribute(k, attrs[k]);
  }
  if (text !== undefined) e.textContent = text;
  return e;
}

// ---------- controls ----------

function controlFor(p) {
  const box = el("div", { class: "param", "data-key": p.key });
  const [grp, name] = prettyKey(p.key);
  const row = el("div", { class: "row" });
  const label = el("span", { class: "name", title: p.key });
  label.append(el("span", { class: "group" }, grp + " · "), document.createTextNode(name));
  row.append(label);
  const undo = el("button", { class: "undo", type: "button", title: "Back to the scenario's value" }, "↺");
  let input, slider;
  if (p.kind === "bool") {
    input = el("input", { type: "checkbox" });
    input.checked = valueOf(p) === "true";
    input.addEventListener("change", () => change(p, String(input.checked)));
    row.append(undo, input);
  } else {
    input = el("input", { type: "number", step: "any" });
    if (p.min !== undefined) input.min = p.min;
    if (p.max !== undefined) input.max = p.max;
    input.value = valueOf(p);
    slider = el("input", { type: "range", min: p.slider_min, max: p.slider_max, step: p.step, "aria-label": p.key });
    slider.value = valueOf(p);
    slider.addEventListener("input", () => { input.value = slider.value; change(p, slider.value); });
    input.addEventListener("input", () => { slider.value = input.value; change(p, input.value); });
    row.append(undo, input, el("span", { class: "unit" }, p.unit || ""));
  }
  undo.addEventListener("click", () => {
    delete state.sets[p.key];
    const v = String(p.value);
    if (p.kind === "bool") input.checked = v === "true"; else { input.value = v; slider.value = v; }
    mark(box, p);
    schedule();
  });
  box.append(row);
  if (slider) box.append(slider);
  if (p.key_param) box.append(el("div", { class: "doc" }, p.doc));
  box.title = p.doc + (p.min !== undefined ? ` (allowed: ${p.min} to ${p.max}${p.unit ? " " + p.unit : ""})` : "");
  mark(box, p);
  return box;
}
function valueOf(p) { return p.key in state.sets ? state.sets[p.key] : String(p.value); }
function mark(box, p) { box.classList.toggle("changed", p.key in state.sets); }

function change(p, v) {
  if (String(p.value) === v || (p.kind !== "bool" && Number(v) === Number(p.value) && v !== "")) delete state.sets[p.key];
  else state.sets[p.key] = v;
  for (const box of document.querySelectorAll(`.param[data-key="${CSS.escape(p.key)}"]`)) {
    mark(box, p);
    if (box.querySelector("input[type=checkbox]") && p.kind === "bool") box.querySelector("input[type=checkbox]").checked = v === "true";
  }
  schedule();
}

function buildControls() {
  $("#desc").textContent = schema.description;
  const keyBox = $("#key-params"), allBox = $("#all-params"), evBox = $("#events");
  keyBox.replaceChildren(); allBox.replaceChildren(); evBox.replaceChildren();
  for (const p of schema.params) if (p.key_param) keyBox.append(controlFor(p));
  $("#nall").textContent = schema.params.length;
  let grp = "";
  for (const p of schema.params) {
    if (p.group !== grp) { grp = p.group; allBox.append(el("div", { class: "subgroup" }, grp)); }
    allBox.append(controlFor(p));
  }
  for (const e of schema.events) {
    const row = el("label", { class: "event" + (state.off.has(e.index) ? " off" : "") });
    const cb = el("input", { type: "checkbox" });
    cb.checked = !state.off.has(e.index);
    cb.addEventListener("change", () => {
      if (cb.checked) state.off.delete(e.index); else state.off.add(e.index);
      row.classList.toggle("off", !cb.checked);
      schedule();
    });
    const what = el("div");
    let t = e.type.replace(/_/g, " ");
    if (e.target) t += " · " + e.target;
    if (e.key) t += " · " + e.key + " = " + e.value;
    if (e.days) t += ` · ${e.days} d`;
    what.append(el("div", { class: "type" }, t), el("div", { class: "note" }, e.note));
    row.append(cb, el("span", { class: "date" }, e.date), what);
    row.title = e.note;
    evBox.append(row);
  }
  $("#runs").max = schema.max_runs;
  $("#runs").value = state.runs;
  $("#seed").value = state.seed;
}

function filterAll() {
  const f = $("#filter").value.trim().toLowerCase();
  for (const box of $("#all-params").children) {
    if (box.classList.contains("subgroup")) { box.hidden = f !== ""; continue; }
    box.hidden = f !== "" && !box.dataset.key.toLowerCase().includes(f);
  }
}

// ---------- requests ----------

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 180);
  setStatus("…", true);
}

function setStatus(text, busy) {
  const s = $("#status");
  s.textContent = text;
  s.classList.toggle("busy", !!busy);
}

function showError(msg) {
  const e = $("#error");
  e.hidden = !msg;
  e.textContent = msg || "";
  for (const b of document.querySelectorAll(".param.bad")) b.classList.remove("bad");
  if (msg) for (const k of Object.keys(state.sets)) {
    if (msg.includes(k)) for (const b of document.querySelectorAll(`.param[data-key="${CSS.escape(k)}"]`)) b.classList.add("bad");
  }
}

async function run() {
  const q = query(false);
  history.replaceState(null, "", "#" + q.toString());
  $("#dl-toml").href = "/api/toml?" + query(true);
  $("#dl-csv").href = "/api/csv?" + query(true);
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  setStatus("simulating " + Number(state.runs).toLocaleString("en-GB") + " runs…", true);
  const t0 = performance.now();
  let resp, data;
  try {
    resp = await fetch("/api/whatif?" + query(true), { signal: ctl.signal });
    data = await resp.json();
  } catch (err) {
    if (err.name === "AbortError") return;
    showError("The server did not answer: " + err.message);
    setStatus("");
    return;
  }
  if (inflight === ctl) inflight = null;
  if (!resp.ok) {
    showError(data.error || resp.statusText);
    setStatus("not simulated");
    return;
  }
  showError("");
  last = data;
  render(data);
  const t = data.timing;
  setStatus(`${data.runs.toLocaleString("en-GB")} runs · ${fmt(t.total_ms, 0)} ms` +
    (t.whatif_cached ? " (cached)" : t.baseline_cached ? "" : " incl. baseline"));
  $("#status").title = `Server: ${fmt(t.whatif_ms, 0)} ms simulating the what-if, ${fmt(t.total_ms, 0)} ms in all` +
    (t.baseline_cached ? " (baseline from the cache)" : "") + `; ${fmt(performance.now() - t0, 0)} ms round trip with drawing. Seed ${data.seed}.`;
  document.body.dataset.ready = String(Number(document.body.dataset.ready || 0) + 1);
  if (!$("#tab-explain").hidden) loadExplain();
}

// ---------- rendering ----------

function render(d) {
  const ch = $("#changes");
  ch.replaceChildren();
  if (d.changes.length === 0) ch.append(el("span", {}, "No change yet: move a control or untick an event. What-if = baseline."));
  else { ch.append(el("b", {}, "What-if: ")); for (const c of d.changes) ch.append(el("span", { class: "chip" }, c)); }
  renderHeadline(d);
  drawAttacks(d);
  fillGroups(d);
  drawSurvival(d);
  drawPhase(d);
  drawFighters(d);
  renderStory(d);
}

function renderHeadline(d) {
  const box = $("#headline");
  box.replaceChildren();
  for (const h of d.headline) {
    const card = el("div", { class: "card", "data-key": h.key });
    card.append(el("div", { class: "label" }, h.label + (h.kind === "share" ? "" : " (mean per run)")));
    const vals = el("div", { class: "vals" });
    vals.append(el("span", { class: "from" }, fmtKind(h.base, h.kind)), el("span", { class: "arrow" }, "→"),
      el("span", { class: "to" }, fmtKind(h.whatif, h.kind)));
    card.append(vals);
    let cls = "none", verdict = "no clear effect";
    if (h.n > 1 && h.lo95 !== null) {
      if (h.lo95 > 0 || h.hi95 < 0) {
        const up = h.diff > 0;
        cls = up === h.higher_is_better ? "good" : "bad";
        verdict = up ? "higher" : "lower";
      }
    }
    if (h.diff === 0 && h.lo95 === 0) verdict = "identical runs";
    const diff = el("div", { class: "diff " + cls });
    diff.textContent = `${fmtDiff(h.diff, h.kind)} · ${verdict}`;
    card.append(diff);
    const ci = el("div", { class: "ci" });
    ci.textContent = h.n > 1 ? `95% CI ${fmtDiff(h.lo95, h.kind)} to ${fmtDiff(h.hi95, h.kind)} · 90% ${fmtDiff(h.lo90, h.kind)} to ${fmtDiff(h.hi90, h.kind)}`
      : "too few runs to compare";
    card.append(ci);
    card.title = `Paired over ${h.n} runs with the same random streams. What-if better in ${fmt(100 * (h.better || 0), 0)}% of them, worse in ${fmt(100 * (h.worse || 0), 0)}%.`;
    box.append(card);
  }
}

// A chart frame: scales, axes, gridlines.
function frame(svg, xDomain, yDomain, opt) {
  opt = opt || {};
  svg.replaceChildren();
  const W = svg.clientWidth || 560, H = svg.clientHeight || 250;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const m = { l: 44, r: 12, t: opt.legend ? 26 : 10, b: 26 };
  const x = (v) => m.l + (v - xDomain[0]) / (xDomain[1] - xDomain[0] || 1) * (W - m.l - m.r);
  const y = (v) => H - m.b - (v - yDomain[0]) / (yDomain[1] - yDomain[0] || 1) * (H - m.t - m.b);
  const g = (cls) => { const e = document.createElementNS(SVGNS, "g"); if (cls) e.setAttribute("class", cls); svg.append(e); return e; };
  const grid = g();
  for (const t of opt.yTicks || niceTicks(yDomain[0], yDomain[1], 5)) {
    line(grid, m.l, y(t), W - m.r, y(t), "grid");
    text(grid, m.l - 6, y(t) + 4, opt.yFmt ? opt.yFmt(t) : fmt(t), "end");
  }
  line(grid, m.l, H - m.b, W - m.r, H - m.b, "axis");
  return { svg, x, y, W, H, m, g };
}
function niceTicks(lo, hi, n) {
  const span = hi - lo || 1, raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(Math.round(t * 1e9) / 1e9);
  return out;
}
function niceMax(v) { const t = niceTicks(0, v || 1, 4); return t[t.length - 1] < v ? t[t.length - 1] + (t[1] - t[0]) : t[t.length - 1]; }
function line(g, x1, y1, x2, y2, cls, stroke, dash) {
  const e = document.createElementNS(SVGNS, "line");
  e.setAttribute("x1", x1); e.setAttribute("y1", y1); e.setAttribute("x2", x2); e.setAttribute("y2", y2);
  if (cls) e.setAttribute("class", cls);
  if (stroke) e.setAttribute("stroke", stroke);
  if (dash) e.setAttribute("stroke-dasharray", dash);
  g.append(e);
  return e;
}
function text(g, x, y, s, anchor, cls) {
  const e = document.createElementNS(SVGNS, "text");
  e.setAttribute("x", x); e.setAttribute("y", y);
  if (anchor) e.setAttribute("text-anchor", anchor);
  if (cls) e.setAttribute("class", cls);
  e.textContent = s;
  g.append(e);
  return e;
}
function path(g, d, attrs) {
  const e = document.createElementNS(SVGNS, "path");
  e.setAttribute("d", d);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  g.append(e);
  return e;
}
function linePath(f, xs, ys, step) {
  let d = "", pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] === null || ys[i] === undefined) { pen = false; continue; }
    const X = f.x(xs[i]).toFixed(1), Y = f.y(ys[i]).toFixed(1);
    if (pen && step) d += `H${X}V${Y}`; else d += (pen ? "L" : "M") + X + "," + Y;
    pen = true;
  }
  return d;
}
function areaPath(f, xs, lo, hi, step) {
  let up = "", down = "";
  const pts = [];
  for (let i = 0; i < xs.length; i++) if (lo[i] !== null && hi[i] !== null) pts.push(i);
  if (!pts.length) return "";
  pts.forEach((i, k) => {
    const X = f.x(xs[i]).toFixed(1);
    if (step && k > 0) up += `H${X}`;
    up += (k ? "L" : "M") + X + "," + f.y(hi[i]).toFixed(1);
  });
  for (let k = pts.length - 1; k >= 0; k--) {
    const i = pts[k], X = f.x(xs[i]).toFixed(1);
    down += "L" + X + "," + f.y(lo[i]).toFixed(1);
    if (step && k > 0) down += `H${f.x(xs[pts[k - 1]]).toFixed(1)}`;
  }
  return up + down + "Z";
}
function dateAxis(f, dates) {
  const g = f.g();
  const n = dates.length, every = n > 40 ? 6 : n > 18 ? 3 : 1;
  dates.forEach((d, i) => {
    const mo = Number(d.slice(5, 7));
    if ((mo - 1) % every !== 0) return;
    line(g, f.x(i), f.H - f.m.b, f.x(i), f.H - f.m.b + 4, "axis");
    text(g, f.x(i), f.H - f.m.b + 16, mo === 1 || i === 0 ? monthLabel(d) : MONTHS[mo - 1], "middle");
  });
}
function xsOf(n) { return Array.from({ length: n }, (_, i) => i); }

// hover shows a tooltip with the values at the nearest period.
function hover(f, n, describe) {
  const rect = document.createElementNS(SVGNS, "rect");
  rect.setAttribute("x", f.m.l); rect.setAttribute("y", f.m.t);
  rect.setAttribute("width", f.W - f.m.l - f.m.r); rect.setAttribute("height", f.H - f.m.t - f.m.b);
  rect.setAttribute("fill", "transparent");
  const guide = line(f.g(), 0, f.m.t, 0, f.H - f.m.b, null, "#9aa0a8", "2,3");
  guide.setAttribute("visibility", "hidden");
  f.svg.append(rect);
  const tip = $("#tip");
  rect.addEventListener("mousemove", (ev) => {
    const b = f.svg.getBoundingClientRect();
    const px = (ev.clientX - b.left) * f.W / b.width;
    let best = 0, bd = Infinity;
    for (let i = 0; i < n; i++) { const dd = Math.abs(f.x(i) - px); if (dd < bd) { bd = dd; best = i; } }
    guide.setAttribute("x1", f.x(best)); guide.setAttribute("x2", f.x(best)); guide.setAttribute("visibility", "visible");
    tip.replaceChildren(...describe(best));
    tip.hidden = false;
    tip.style.left = Math.min(ev.clientX + 14, window.innerWidth - 330) + "px";
    tip.style.top = (ev.clientY + 12) + "px";
  });
  rect.addEventListener("mouseleave", () => { tip.hidden = true; guide.setAttribute("visibility", "hidden"); });
}
function tipLines(lines) {
  const out = [];
  lines.forEach((l, i) => { if (i) out.push(el("br")); if (l.b) out.push(el("b", {}, l.b)); out.push(document.createTextNode(l.t || "")); });
  return out;
}

function fan(f, xs, b, base) {
  const g = f.g();
  if (base) {
    path(g, areaPath(f, xs, b.p10, b.p90), { fill: C.baseBand1 });
    path(g, areaPath(f, xs, b.p25, b.p75), { fill: C.baseBand2 });
  } else {
    path(g, areaPath(f, xs, b.p10, b.p90), { fill: C.whatif, "fill-opacity": 0.13 });
    path(g, areaPath(f, xs, b.p25, b.p75), { fill: C.whatif, "fill-opacity": 0.22 });
  }
}

function drawAttacks(d) {
  const n = d.dates.length, xs = xsOf(n), A = d.whatif.attacks, B = d.base.attacks;
  let top = 0;
  for (const s of [A.p90, B.p90, d.observed || []]) for (const v of s) if (v !== null && v > top) top = v;
  const f = frame($("#ch-attacks"), [0, n - 1], [0, niceMax(top)]);
  dateAxis(f, d.dates);
  // Event dates as faint ticks at the top.
  const ev = f.g();
  if (schema) for (const e of schema.events) {
    const i = d.dates.findIndex((x) => x.slice(0, 7) === e.date.slice(0, 7));
    if (i < 0) continue;
    const off = state.off.has(e.index);
    const t = line(ev, f.x(i), f.m.t, f.x(i), f.m.t + 7, null, off ? "#d0d3d8" : "#6b7280");
    t.setAttribute("stroke-width", 2);
  }
  fan(f, xs, B, true);
  fan(f, xs, A, false);
  const g = f.g();
  path(g, linePath(f, xs, B.p50), { fill: "none", stroke: C.base, "stroke-width": 1.6, "stroke-dasharray": "5,3" });
  path(g, linePath(f, xs, A.p50), { fill: "none", stroke: C.whatif, "stroke-width": 2.2, class: "median-whatif" });
  if (d.observed) d.observed.forEach((v, i) => {
    if (v === null) return;
    const c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("cx", f.x(i)); c.setAttribute("cy", f.y(v)); c.setAttribute("r", 3.2);
    c.setAttribute("fill", C.obs); c.setAttribute("stroke", "#fff"); c.setAttribute("stroke-width", 1);
    g.append(c);
  });
  hover(f, n, (i) => tipLines([{ b: monthLabel(d.dates[i]) + (d.full[i] ? "" : " (partial)") },
    { t: `what-if ${fmt(A.p50[i], 0)} [${fmt(A.p10[i], 0)}–${fmt(A.p90[i], 0)}]` },
    { t: `baseline ${fmt(B.p50[i], 0)} [${fmt(B.p10[i], 0)}–${fmt(B.p90[i], 0)}]` },
    ...(d.observed && d.observed[i] !== null ? [{ t: `documented ${fmt(d.observed[i], 0)}` }] : [])]));
}

function fillGroups(d) {
  const sel = $("#group"), keep = sel.value;
  const origins = [];
  for (const arm of [d.base, d.whatif]) for (const g of arm.survival || []) if (!origins.some((o) => o.origin === g.origin)) origins.push(g);
  sel.replaceChildren();
  for (const g of origins) sel.append(el("option", { value: g.origin }, g.label));
  // Keep the reader's choice while the what-if has that group; otherwise
  // show the what-if's first ceasefire group.
  const inWhatIf = (d.whatif.survival || []).map((g) => g.origin);
  if (inWhatIf.includes(keep) || (keep && !inWhatIf.length && origins.some((g) => g.origin === keep))) sel.value = keep;
  else if (inWhatIf.length) sel.value = inWhatIf[0];
}

function drawSurvival(d) {
  const origin = $("#group").value;
  const find = (arm) => (arm.survival || []).find((g) => g.origin === origin);
  const A = find(d.whatif), B = find(d.base);
  let days = 0;
  for (const g of [A, B]) if (g) {
    const last = g.s.findIndex((v) => v !== null && v <= 0.001);
    days = Math.max(days, (last < 0 ? g.s.length - 1 : last) * g.every);
  }
  days = Math.min(Math.max(days * 1.05, 120), d.horizon_days);
  const f = frame($("#ch-survival"), [0, days], [0, 1], { yTicks: [0, 0.25, 0.5, 0.75, 1], yFmt: (t) => fmt(100 * t, 0) + "%" });
  if (!A && !B) { text(f.g(), f.W / 2, f.H / 2, "no ceasefire in any run", "middle"); return; }
  const ax = f.g();
  for (const t of niceTicks(0, days, 6)) {
    line(ax, f.x(t), f.H - f.m.b, f.x(t), f.H - f.m.b + 4, "axis");
    text(ax, f.x(t), f.H - f.m.b + 16, t + (t === 0 ? " days" : ""), "middle");
  }
  line(ax, f.x(90), f.m.t, f.x(90), f.H - f.m.b, null, "#c9cdd4", "3,3");
  text(ax, f.x(90) + 4, f.m.t + 10, "90 days", "start");
  const g = f.g();
  const xsFor = (c) => c.s.map((_, i) => i * c.every);
  if (B) {
    path(g, areaPath(f, xsFor(B), B.lo, B.hi, true), { fill: C.baseBand1 });
  }
  if (A) path(g, areaPath(f, xsFor(A), A.lo, A.hi, true), { fill: C.whatif, "fill-opacity": 0.15 });
  if (B) path(g, linePath(f, xsFor(B), B.s, true), { fill: "none", stroke: C.base, "stroke-width": 1.6, "stroke-dasharray": "5,3" });
  if (A) path(g, linePath(f, xsFor(A), A.s, true), { fill: "none", stroke: C.whatif, "stroke-width": 2.2 });
  const info = f.g();
  const runs = (c) => c ? `${fmt(100 * c.runs / d.runs, 0)}% of runs, median ${c.median === null ? "> horizon" : c.median + " d"}` : "none";
  text(info, f.W - f.m.r, f.m.t + 10, "what-if: " + runs(A), "end", "lab");
  text(info, f.W - f.m.r, f.m.t + 24, "baseline: " + runs(B), "end");
}

const PHASES = ["ceasefire", "talks", "settlement", "operation", "conflict"];
function drawPhase(d) {
  const n = d.dates.length, xs = xsOf(n);
  const f = frame($("#ch-phase"), [0, n - 1], [0, 1], { legend: true, yTicks: [0, 0.25, 0.5, 0.75, 1], yFmt: (t) => fmt(100 * t, 0) + "%" });
  dateAxis(f, d.dates);
  const g = f.g();
  const cum = (arm) => {
    const out = [], acc = new Array(n).fill(0);
    for (const p of PHASES) {
      const lo = acc.slice();
      for (let i = 0; i < n; i++) acc[i] += arm.phase[p][i] || 0;
      out.push({ p, lo, hi: acc.slice() });
    }
    return out;
  };
  const A = cum(d.whatif), B = cum(d.base);
  for (const s of A) path(g, areaPath(f, xs, s.lo, s.hi), { fill: C[s.p], "fill-opacity": s.p === "conflict" ? 0.28 : 0.75 });
  for (const s of B.slice(0, -1)) path(g, linePath(f, xs, s.hi), { fill: "none", stroke: "#3b4250", "stroke-width": 1.2, "stroke-dasharray": "4,3" });
  const lg = f.g();
  let x = f.m.l + 6;
  for (const p of PHASES) {
    const r = document.createElementNS(SVGNS, "rect");
    r.setAttribute("x", x); r.setAttribute("y", 5); r.setAttribute("width", 10); r.setAttribute("height", 10);
    r.setAttribute("fill", C[p]); r.setAttribute("fill-opacity", p === "conflict" ? 0.4 : 0.85);
    lg.append(r);
    text(lg, x + 14, 14, p, "start", "lab");
    x += 26 + p.length * 6.2;
  }
  hover(f, n, (i) => tipLines([{ b: monthLabel(d.dates[i]) },
    ...PHASES.map((p) => ({ t: `${p}: ${fmt(100 * d.whatif.phase[p][i], 0)}%  (baseline ${fmt(100 * d.base.phase[p][i], 0)}%)` }))]));
}

function drawFighters(d) {
  const n = d.dates.length, xs = xsOf(n);
  const groups = ["insurgent", "splinter", "rival"];
  let top = 0;
  for (const arm of [d.base, d.whatif]) for (const k of groups) for (const v of arm.fighters[k].p90) if (v > top) top = v;
  const f = frame($("#ch-fighters"), [0, n - 1], [0, niceMax(top)], { legend: true });
  dateAxis(f, d.dates);
  const g = f.g();
  for (const k of groups) {
    const A = d.whatif.fighters[k], B = d.base.fighters[k];
    path(g, areaPath(f, xs, A.p10, A.p90), { fill: C[k], "fill-opacity": 0.18 });
    path(g, linePath(f, xs, B.p50), { fill: "none", stroke: C.base, "stroke-width": 1.4, "stroke-dasharray": "5,3" });
    path(g, linePath(f, xs, A.p50), { fill: "none", stroke: C[k], "stroke-width": 2.2 });
  }
  const names = { insurgent: (d.names[1] || "insurgent") + " members", splinter: "splinters", rival: d.rival || "rival" };
  const lg = f.g();
  let x = f.m.l + 6;
  for (const k of groups) {
    line(lg, x, 10, x + 16, 10, null, C[k]).setAttribute("stroke-width", 3);
    text(lg, x + 20, 14, names[k], "start", "lab");
    x += 30 + names[k].length * 6.2;
  }
  hover(f, n, (i) => tipLines([{ b: monthLabel(d.dates[i]) },
    ...groups.map((k) => ({ t: `${names[k]}: ${fmt(d.whatif.fighters[k].p50[i], 0)} (baseline ${fmt(d.base.fighters[k].p50[i], 0)})` }))]));
}

function renderStory(d) {
  const box = $("#tab-story");
  box.replaceChildren();
  const key = (e) => e.date + "|" + e.rule + "|" + e.event;
  const A = d.whatif.story || [], B = d.base.story || [];
  const inB = new Set(B.map(key)), inA = new Set(A.map(key));
  const rows = A.map((e) => ({ e, cls: inB.has(key(e)) ? "" : "new" }))
    .concat(B.filter((e) => !inA.has(key(e))).map((e) => ({ e, cls: "gone" })));
  rows.sort((a, b) => (a.e.date < b.e.date ? -1 : a.e.date > b.e.date ? 1 : 0));
  const head = el("p", { class: "desc" });
  head.textContent = `Run #${d.whatif.story_run} of the what-if, day by day: every rule that fired and every scenario event, with the numbers behind it. ` +
    (d.changes.length ? "Marked: what happens only in the what-if, and what the baseline's same run had instead." : "Change something to see how this run's story changes.");
  box.append(head);
  const t = el("table", { class: "story" });
  for (const { e, cls } of rows) {
    const tr = el("tr", { class: cls });
    const who = el("td", { class: "who" });
    const roles = { [d.names[0]]: "state", [d.names[1]]: "insurgent", [d.names[2]]: "mediator", [d.rival]: "rival" };
    const agent = ["state", "insurgent", "mediator", "scenario", "rival"].includes(e.agent) ? e.agent : (roles[e.agent] || "faction");
    who.append(el("span", { class: "badge " + agent }, e.agent));
    const what = el("td");
    what.append(el("span", { class: "ev" }, e.event + " "));
    const rule = el("span", { class: "rule", title: ruleSummary[e.rule] || (e.agent === "scenario" ? "a dated event of the scenario" : "") }, e.rule.replace(/_/g, " "));
    what.append(rule);
    if (e.detail) what.append(el("div", { class: "why" }, e.detail));
    tr.append(el("td", { class: "date" }, e.date), who, what);
    t.append(tr);
  }
  if (!rows.length) box.append(el("p", {}, "Nothing happened in this run."));
  box.append(t);
}

async function loadExplain() {
  const q = query(true).toString();
  if (explainFor === q) return;
  explainFor = q;
  const resp = await fetch("/api/explain?" + q);
  const data = await resp.json();
  if (!resp.ok) return;
  const box = $("#tab-explain");
  box.replaceChildren(el("p", { class: "desc" }, "Every rule of the model, in the order it is evaluated each day, with the current values of its parameters (values the what-if changes in blue, as baseline → what-if). The same text generates MODEL.md."));
  const grid = el("div", { class: "rules" });
  for (const r of data.rules) {
    ruleSummary[r.name] = r.summary;
    const c = el("div", { class: "rulecard" + (r.enabled === false ? " off" : "") });
    const h = el("h3");
    h.append(el("span", {}, r.name.replace(/_/g, " ")), el("span", { class: "badge " + r.agent }, r.agent));
    if (r.enabled === false) h.append(el("span", { class: "badge" }, "disabled"));
    c.append(h, el("div", {}, r.summary));
    const kv = (k, v) => { const p = el("div"); p.append(el("span", { class: "k" }, k + ": "), document.createTextNode(v)); return p; };
    c.append(kv("when", r.when), el("div", { class: "f" }, r.formula), kv("effect", r.effect), el("div", { class: "basis" }, r.fact));
    const vals = el("div", { class: "vals" });
    for (const p of r.params || []) {
      const s = el("span", { class: p.changed ? "chg" : "", title: p.key });
      s.textContent = p.changed ? `${p.short} = ${p.base} → ${p.whatif}` : `${p.short} = ${p.whatif}`;
      vals.append(s);
    }
    c.append(vals);
    grid.append(c);
  }
  box.append(grid);
}

// ---------- start ----------

async function loadScenario(name, fromHash) {
  const resp = await fetch("/api/schema?s=" + encodeURIComponent(name));
  const data = await resp.json();
  if (!resp.ok) { showError(data.error); return false; }
  schema = data;
  state.s = data.name;
  state.runs = data.runs;
  state.seed = String(data.seed);
  state.sets = {};
  state.off = new Set();
  if (fromHash) {
    if (fromHash.runs) state.runs = Number(fromHash.runs);
    if (fromHash.seed) state.seed = fromHash.seed;
    state.sets = fromHash.sets;
    state.off = fromHash.off;
  }
  explainFor = "";
  buildControls();
  filterAll();
  return true;
}

async function start() {
  const h = readHash();
  const resp = await fetch("/api/scenarios");
  const list = await resp.json();
  const sel = $("#scenario");
  for (const s of list.scenarios) sel.append(el("option", { value: s.name, title: s.description }, `${s.title} (${s.start.slice(0, 4)}–${s.end.slice(0, 4)})`));
  const name = list.scenarios.some((s) => s.name === h.s) ? h.s : list.scenarios[0].name;
  sel.value = name;
  if (!(await loadScenario(name, h))) return;
  sel.addEventListener("change", async () => { if (await loadScenario(sel.value)) run(); });
  $("#runs").addEventListener("input", () => { state.runs = Number($("#runs").value); schedule(); });
  $("#seed").addEventListener("input", () => { state.seed = $("#seed").value; schedule(); });
  $("#filter").addEventListener("input", filterAll);
  $("#group").addEventListener("change", () => last && drawSurvival(last));
  $("#reset").addEventListener("click", async () => { await loadScenario(state.s); run(); });
  $("#share").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(location.href); setStatus("link copied"); } catch (e) { setStatus("copy the address bar to share"); }
  });
  for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => {
    for (const x of document.querySelectorAll(".tab")) x.classList.toggle("on", x === b);
    $("#tab-story").hidden = b.dataset.tab !== "story";
    $("#tab-explain").hidden = b.dataset.tab !== "explain";
    if (b.dataset.tab === "explain") loadExplain();
  });
  let rs;
  window.addEventListener("resize", () => { clearTimeout(rs); rs = setTimeout(() => last && render(last), 150); });
  // Rule summaries for the story's tooltips.
  fetch("/api/explain?s=" + encodeURIComponent(state.s)).then((r) => r.json()).then((x) => {
    for (const r of x.rules || []) ruleSummary[r.name] = r.summary;
  }).catch(() => {});
  run();
}

start();
