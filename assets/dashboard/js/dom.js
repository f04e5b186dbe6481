// DOM and formatting helpers. Every piece of data reaches the page as a text
// node (textContent) - stories, comments and names are customer/user text and
// are never parsed as HTML.

// el('div', {class: 'x', text: 'hi', attrs: {...}, on: {click: fn}}, child...)
// Children may be nodes, strings (become text nodes), arrays, null/false (skipped).
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  applyProps(node, props);
  append(node, children);
  return node;
}

export function applyProps(node, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'on') for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
    else if (key === 'attrs') for (const [a, v] of Object.entries(value)) {
      if (v !== undefined && v !== null && v !== false) node.setAttribute(a, v === true ? '' : String(v));
    }
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node[key] = value;  // value, type, href, disabled, hidden, ...
  }
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// ---------- formatting ----------
const intFmt = new Intl.NumberFormat('en-US');
export function fmtInt(n) { return n === null || n === undefined ? '–' : intFmt.format(n); }
export function fmtFixed(v, digits) {
  return v === null || v === undefined ? '–' : Number(v).toFixed(digits);
}
export function fmtSigned(v, digits = 0) {
  if (v === null || v === undefined) return '–';
  const s = Number(v).toFixed(digits);
  return v > 0 ? '+' + s : s.replace('-', '\u2212');
}

// How each metric is shown: NPS in points with sign, CSAT in %, CES on 1-7.
export const METRICS = {
  nps: { label: 'NPS', digits: 1, fmt: (v) => fmtSigned(v, 1), unit: '', min: -100, max: 100 },
  csat: { label: 'CSAT', digits: 1, fmt: (v) => fmtFixed(v, 1), unit: '%', min: 0, max: 100 },
  ces: { label: 'CES', digits: 2, fmt: (v) => fmtFixed(v, 2), unit: '/7', min: 1, max: 7 },
};

export function isShown(figure) {
  return figure && !figure.suppressed && figure.value !== null && figure.value !== undefined;
}

export function fmtCi(metric, figure) {
  if (!isShown(figure) || !Array.isArray(figure.ci)) return '';
  const m = METRICS[metric];
  return `95% CI ${m.fmt(figure.ci[0])} to ${m.fmt(figure.ci[1])}`;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// "2024-05-06T14:03:00Z" -> "6 May 2024, 14:03" (UTC, as the API speaks UTC).
export function fmtTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${monthNames[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${hh}:${mm}`;
}
export function fmtDay(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getUTCDate()} ${monthNames[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

// Trend period keys: day/week "YYYY-MM-DD", month "YYYY-MM".
export function fmtPeriod(key, period) {
  if (!key) return '';
  const parts = String(key).split('-').map(Number);
  if (period === 'month' || parts.length === 2) return `${monthNames[parts[1] - 1]} ${String(parts[0]).slice(2)}`;
  return `${parts[2]} ${monthNames[parts[1] - 1]}`;
}

// Relative time: "in 5 h", "3 d ago".
export function fmtRelative(iso, now = Date.now()) {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const diff = t - now;
  const abs = Math.abs(diff);
  const h = abs / 3600e3;
  let s;
  if (h < 1) s = `${Math.max(1, Math.round(abs / 60e3))} min`;
  else if (h < 48) s = `${Math.round(h)} h`;
  else s = `${Math.round(h / 24)} d`;
  return diff >= 0 ? `in ${s}` : `${s} ago`;
}

export function fmtHours(h) {
  if (h === null || h === undefined) return 'never';
  if (h < 1) return `${Math.round(h * 60)} min`;
  if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
  return `${Math.round(h / 24)} d`;
}

export const ROLE_LABELS = {
  admin: 'Administrator',
  regional_manager: 'Regional manager',
  site_manager: 'Site manager',
  team_lead: 'Team lead',
};

// "greeting" / "wait_time" -> "Greeting" / "Wait time"
export function humanize(id) {
  const s = String(id || '').replace(/[_-]+/g, ' ').trim();
  return s ? s[0].toUpperCase() + s.slice(1) : '';
}

// UTC day string for a Date.
export function isoDay(d) { return d.toISOString().slice(0, 10); }
