// SVG charts drawn in the browser (no chart library): a trend line with a
// confidence band, and the key-driver importance-vs-performance quadrant.
// Every label is a text node; data never becomes markup.

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  }
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function svgRoot(width, height, label) {
  return s('svg', {
    class: 'chart', viewBox: `0 0 ${width} ${height}`, width, height,
    role: 'img', 'aria-label': label,
  });
}

// Round "nice" tick step for a span and a wanted number of ticks.
function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const norm = raw / mag;
  const step = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
  return step * mag;
}

function ticks(min, max, count) {
  const step = niceStep(max - min, count);
  const out = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toFixed(10));
  return out;
}

// Trend line.
// points: [{label, value (number|null), ci: [lo, hi] | null, n, note}]
// opts: {color, band, min, max (hard limits of the scale), fmt, height, label, width}
export function lineChart(points, opts) {
  const width = Math.max(320, opts.width || 640);
  const height = opts.height || 220;
  const pad = { top: 14, right: 16, bottom: 28, left: 44 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const svg = svgRoot(width, height, opts.label);

  const shown = points.filter((p) => p.value !== null && p.value !== undefined);
  let lo = Infinity, hi = -Infinity;
  for (const p of shown) {
    const a = p.ci ? p.ci[0] : p.value, b = p.ci ? p.ci[1] : p.value;
    lo = Math.min(lo, a, p.value); hi = Math.max(hi, b, p.value);
  }
  if (!shown.length) { lo = opts.min; hi = opts.max; }
  const span = Math.max(hi - lo, (opts.max - opts.min) / 10);
  lo = Math.max(opts.min, lo - span * 0.15);
  hi = Math.min(opts.max, hi + span * 0.15);
  const yTicks = ticks(lo, hi, 4);
  const step = yTicks.length > 1 ? yTicks[1] - yTicks[0] : span;
  lo = Math.max(opts.min, Math.min(lo, Math.floor(lo / step) * step));
  hi = Math.min(opts.max, Math.max(hi, Math.ceil(hi / step) * step));

  const n = points.length;
  const x = (i) => pad.left + (n <= 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const y = (v) => pad.top + innerH - ((v - lo) / (hi - lo || 1)) * innerH;

  // grid + y labels
  for (const t of ticks(lo, hi, 4)) {
    svg.append(s('line', { class: 'grid-line', x1: pad.left, x2: width - pad.right, y1: y(t), y2: y(t) }));
    svg.append(s('text', { x: pad.left - 8, y: y(t) + 4, 'text-anchor': 'end' }, opts.tick ? opts.tick(t) : t));
  }
  if (opts.zero && lo < 0 && hi > 0) {
    svg.append(s('line', { class: 'zero-line', x1: pad.left, x2: width - pad.right, y1: y(0), y2: y(0) }));
  }
  svg.append(s('line', { class: 'axis-line', x1: pad.left, x2: width - pad.right, y1: pad.top + innerH, y2: pad.top + innerH }));

  // x labels, thinned to fit
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(innerW / 64))));
  points.forEach((p, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    if (i === n - 1 && i % every !== 0 && (n - 1) % every < every / 2 && n > every) return;
    svg.append(s('text', { x: x(i), y: height - 8, 'text-anchor': 'middle' }, p.label));
  });

  // runs of consecutive shown points: band + line
  const runs = [];
  let run = [];
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) { if (run.length) runs.push(run); run = []; }
    else run.push(i);
  });
  if (run.length) runs.push(run);

  for (const r of runs) {
    if (opts.band) {
      const withCi = r.filter((i) => points[i].ci);
      if (withCi.length) {
        const up = withCi.map((i) => `${x(i)},${y(points[i].ci[1])}`);
        const down = withCi.slice().reverse().map((i) => `${x(i)},${y(points[i].ci[0])}`);
        if (withCi.length === 1) {
          const i = withCi[0];
          svg.append(s('rect', { class: 'band', x: x(i) - 3, width: 6, y: y(points[i].ci[1]),
            height: Math.max(1, y(points[i].ci[0]) - y(points[i].ci[1])), fill: opts.color, 'fill-opacity': 0.15 }));
        } else {
          svg.append(s('polygon', { class: 'band', points: up.concat(down).join(' '), fill: opts.color, 'fill-opacity': 0.13 }));
        }
      }
    }
    if (r.length > 1) {
      svg.append(s('polyline', { class: 'series', stroke: opts.color, points: r.map((i) => `${x(i)},${y(points[i].value)}`).join(' ') }));
    }
  }

  // points, with a tooltip each; suppressed periods get a hollow grey marker on the axis
  points.forEach((p, i) => {
    const g = s('g');
    if (p.value === null || p.value === undefined) {
      g.append(s('circle', { cx: x(i), cy: pad.top + innerH, r: 3.5, fill: '#FFFFFF', stroke: '#A9B1BC', 'stroke-width': 1.5 }));
    } else {
      g.append(s('circle', { class: 'pt', cx: x(i), cy: y(p.value), r: n > 40 ? 2.5 : 3.5, fill: opts.color }));
    }
    g.append(s('circle', { class: 'pt-hit', cx: x(i), cy: p.value === null || p.value === undefined ? pad.top + innerH : y(p.value), r: 9 }));
    g.append(s('title', {}, p.note));
    svg.append(g);
  });
  return svg;
}

// Importance (share of explained variance) vs performance (mean 1-5).
// survey: one entry of GET /api/drivers "surveys".
const QUAD_CLASS = {
  'key strength': 'strength', 'priority to fix': 'fix', 'maintain': 'maintain', 'low priority': 'low',
};
export const QUAD_COLOR = {
  'key strength': '#2E9E5B', 'priority to fix': '#D94F3D', 'maintain': '#5B6778',
  'low priority': '#6F93BF', 'no variation': '#A9B1BC',
};

export function quadrantChart(survey, { width = 640, height = 380, label, name = (d) => d.id } = {}) {
  width = Math.max(360, width);
  const pad = { top: 18, right: 24, bottom: 46, left: 58 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const svg = svgRoot(width, height, label);
  const drivers = survey.drivers.filter((d) => !d.constant && d.mean !== null && d.share !== null);

  const means = drivers.map((d) => d.mean).concat([survey.mean_performance]);
  let xLo = Math.max(1, Math.floor((Math.min(...means) - 0.2) * 2) / 2);
  let xHi = Math.min(5, Math.ceil((Math.max(...means) + 0.2) * 2) / 2);
  if (xHi - xLo < 1) { xLo = Math.max(1, xLo - 0.5); xHi = Math.min(5, xHi + 0.5); }
  const shares = drivers.map((d) => d.share).concat([survey.mean_importance]);
  const yHi = Math.min(1, Math.max(0.1, Math.ceil(Math.max(...shares) * 1.2 * 20) / 20));
  const yLo = 0;

  const x = (v) => pad.left + ((v - xLo) / (xHi - xLo)) * innerW;
  const y = (v) => pad.top + innerH - ((v - yLo) / (yHi - yLo)) * innerH;
  const mx = x(survey.mean_performance), my = y(survey.mean_importance);

  // quadrant backgrounds: top-left fix, top-right strength, bottom-right maintain, bottom-left low
  svg.append(s('rect', { class: 'quad-bg-fix', x: pad.left, y: pad.top, width: mx - pad.left, height: my - pad.top }));
  svg.append(s('rect', { class: 'quad-bg-strength', x: mx, y: pad.top, width: pad.left + innerW - mx, height: my - pad.top }));
  svg.append(s('rect', { class: 'quad-bg-low', x: pad.left, y: my, width: mx - pad.left, height: pad.top + innerH - my }));
  svg.append(s('rect', { class: 'quad-bg-maintain', x: mx, y: my, width: pad.left + innerW - mx, height: pad.top + innerH - my }));
  svg.append(s('text', { class: 'quad-label fix', x: pad.left + 10, y: pad.top + 18 }, 'Priority to fix'));
  svg.append(s('text', { class: 'quad-label strength', x: pad.left + innerW - 10, y: pad.top + 18, 'text-anchor': 'end' }, 'Key strengths'));
  svg.append(s('text', { class: 'quad-label low', x: pad.left + 10, y: pad.top + innerH - 10 }, 'Low priority'));
  svg.append(s('text', { class: 'quad-label maintain', x: pad.left + innerW - 10, y: pad.top + innerH - 10, 'text-anchor': 'end' }, 'Maintain'));

  // axes and ticks
  for (const t of ticks(xLo, xHi, 6)) {
    svg.append(s('line', { class: 'grid-line', x1: x(t), x2: x(t), y1: pad.top + innerH, y2: pad.top + innerH + 4 }));
    svg.append(s('text', { x: x(t), y: pad.top + innerH + 17, 'text-anchor': 'middle' }, t.toFixed(1)));
  }
  for (const t of ticks(yLo, yHi, 5)) {
    svg.append(s('line', { class: 'grid-line', x1: pad.left - 4, x2: pad.left, y1: y(t), y2: y(t) }));
    svg.append(s('text', { x: pad.left - 8, y: y(t) + 4, 'text-anchor': 'end' }, `${Math.round(t * 100)}%`));
  }
  svg.append(s('line', { class: 'axis-line', x1: pad.left, x2: pad.left + innerW, y1: pad.top + innerH, y2: pad.top + innerH }));
  svg.append(s('line', { class: 'axis-line', x1: pad.left, x2: pad.left, y1: pad.top, y2: pad.top + innerH }));
  svg.append(s('line', { class: 'mean-line', x1: mx, x2: mx, y1: pad.top, y2: pad.top + innerH }));
  svg.append(s('line', { class: 'mean-line', x1: pad.left, x2: pad.left + innerW, y1: my, y2: my }));
  svg.append(s('text', { class: 'axis-title', x: pad.left + innerW / 2, y: height - 6, 'text-anchor': 'middle' },
    'Performance: mean rating (1–5) →'));
  const yt = s('text', { class: 'axis-title', x: 0, y: 0, 'text-anchor': 'middle',
    transform: `translate(16 ${pad.top + innerH / 2}) rotate(-90)` }, 'Importance: share of explained variance →');
  svg.append(yt);

  // points + labels; labels are nudged apart vertically when they would overlap
  const placed = [];
  const sorted = drivers.slice().sort((a, b) => b.share - a.share);
  for (const d of sorted) {
    const cx = x(d.mean), cy = y(d.share);
    const right = cx < pad.left + innerW - 150;
    let ly = cy + 4;
    for (let tries = 0; tries < 8; tries++) {
      const clash = placed.find((p) => Math.abs(p.y - ly) < 14 && Math.abs(p.x - cx) < 150 && p.right === right);
      if (!clash) break;
      ly = clash.y + 14;
    }
    placed.push({ x: cx, y: ly, right });
    const g = s('g');
    g.append(s('circle', { cx, cy, r: 7, fill: QUAD_COLOR[d.quadrant] || '#5B6778', stroke: '#FFFFFF', 'stroke-width': 2 }));
    g.append(s('text', { class: 'dot-label', x: right ? cx + 12 : cx - 12, y: ly, 'text-anchor': right ? 'start' : 'end' }, name(d)));
    g.append(s('title', {}, `${d.label}\nmean ${d.mean.toFixed(2)}, importance ${(d.share * 100).toFixed(1)}%, r = ${d.correlation === null ? '–' : d.correlation.toFixed(2)} (${d.quadrant})`));
    svg.append(g);
  }
  return svg;
}

export { QUAD_CLASS };
