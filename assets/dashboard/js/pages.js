// The dashboard's pages. Each page: {title, subtitle, filters, adminOnly,
// render(ctx) -> Promise<Node>}. ctx.params holds the API's common query
// parameters for the page's filters; ctx.setCsv(path, params) points the
// "Download CSV" link at what the page shows.
import * as api from './api.js';
import {
  el, clear, fmtInt, fmtFixed, fmtSigned, fmtTime, fmtDay, fmtPeriod, fmtRelative, fmtHours,
  METRICS, isShown, fmtCi, humanize, ROLE_LABELS,
} from './dom.js';
import { lineChart, quadrantChart, QUAD_COLOR } from './charts.js';

const NOT_ENOUGH = 'not enough responses';

// ---------- shared pieces ----------
function siteName(ctx, id) {
  const s = ctx.meta.sites.find((x) => x.site_id === id);
  return s ? s.name || id : id;
}

function scopeText(ctx) {
  const f = ctx.filters;
  const parts = [];
  if (f.site) parts.push(siteName(ctx, f.site));
  else if (ctx.meta.sites.length === 1) parts.push(ctx.meta.sites[0].name);
  else parts.push(`${ctx.meta.sites.length} sites`);
  if (f.region) parts.push(`region ${f.region}`);
  if (f.channel) parts.push(f.channel === 'call' ? 'call center' : f.channel);
  if (f.team) parts.push(`team ${f.team}`);
  return parts.join(' · ');
}

function rangeText(from, to) {
  return from && to ? `${fmtDay(from)} – ${fmtDay(to)}` : '';
}

function card(title, meta, ...body) {
  return el('section', { class: 'card' },
    el('div', { class: 'card-head' }, el('h2', { text: title }), meta ? (meta instanceof Node ? meta : el('span', { class: 'muted', text: meta })) : null),
    body);
}

function csvLink(path, params, label = 'CSV') {
  return el('a', { class: 'btn btn-secondary btn-small', href: api.apiUrl(path, { ...params, format: 'csv' }), attrs: { download: '' }, text: label });
}

function emptyState(text) { return el('div', { class: 'empty', text }); }

function chip(text, color) { return el('span', { class: `chip chip-${color}`, text }); }

// A figure in a table cell: "+31.2" with n below, or "not enough responses".
function figureCell(metric, figure, { bar = false } = {}) {
  const td = el('td', { class: 'r' });
  if (!figure || !figure.n) {
    td.append(el('span', { class: 'na', text: '–' }), el('span', { class: 'cell-sub', text: 'no answers' }));
    return td;
  }
  if (!isShown(figure)) {
    td.append(el('span', { class: 'na', text: figure.label || NOT_ENOUGH }), el('span', { class: 'cell-sub', text: `n = ${fmtInt(figure.n)}` }));
    return td;
  }
  const m = METRICS[metric];
  const text = m.fmt(figure.value) + (metric === 'csat' ? '%' : '');
  if (bar && metric === 'nps') {
    td.className = '';
    const fill = el('span', { class: 'fill' });
    const v = Math.max(-100, Math.min(100, figure.value));
    fill.style.left = v >= 0 ? '50%' : `${50 + v / 2}%`;
    fill.style.width = `${Math.abs(v) / 2}%`;
    fill.style.background = v >= 0 ? 'var(--promoter)' : 'var(--detractor)';
    td.append(el('div', { class: 'barcell' },
      el('span', { class: 'track' }, fill, el('span', { class: 'mid' })),
      el('span', { class: 'val', text })),
    el('span', { class: 'cell-sub', text: `n = ${fmtInt(figure.n)} · ±${fmtFixed((figure.ci[1] - figure.ci[0]) / 2, 1)}` }));
    return td;
  }
  td.append(el('strong', { text }), el('span', { class: 'cell-sub', text: `n = ${fmtInt(figure.n)}` }));
  return td;
}

function toneFor(metric, v) {
  if (metric === 'nps') return v >= 30 ? 'kpi-good' : v < 0 ? 'kpi-bad' : 'kpi-mid';
  if (metric === 'csat') return v >= 80 ? 'kpi-good' : v < 60 ? 'kpi-bad' : 'kpi-mid';
  return v >= 5 ? 'kpi-good' : v < 4 ? 'kpi-bad' : 'kpi-mid';
}

// KPI card for the Overview.
function kpiCard(metric, figure, minN, extra) {
  const m = METRICS[metric];
  const body = el('div', { class: 'kpi' }, el('div', { class: 'kpi-label', text: m.label === 'CES' ? 'CES · customer effort' : m.label === 'CSAT' ? 'CSAT · satisfied' : 'NPS · net promoter score' }));
  const node = el('section', { class: 'card', attrs: { 'data-testid': `kpi-${metric}` } }, body);
  if (!figure || !figure.n) {
    body.append(el('div', { class: 'kpi-value suppressed', text: 'No answers yet', attrs: { 'data-testid': `kpi-${metric}-value`, 'data-suppressed': 'true' } }),
      el('div', { class: 'kpi-meta', text: 'no answers to this question in the period' }));
    return node;
  }
  if (!isShown(figure)) {
    body.append(el('div', { class: 'kpi-value suppressed', text: 'Not enough responses', attrs: { 'data-testid': `kpi-${metric}-value`, 'data-suppressed': 'true' } }),
      el('div', { class: 'kpi-meta', text: `n = ${fmtInt(figure ? figure.n : 0)}, at least ${minN} needed` }));
    return node;
  }
  const value = el('div', { class: `kpi-value ${toneFor(metric, figure.value)}`, attrs: { 'data-testid': `kpi-${metric}-value`, 'data-value': String(figure.value) } },
    m.fmt(figure.value), m.unit ? el('span', { class: 'unit', text: m.unit }) : null);
  body.append(value, el('div', { class: 'kpi-meta', text: `${fmtCi(metric, figure)} · n = ${fmtInt(figure.n)}` }));
  if (extra) body.append(extra);
  return node;
}

function npsMix(f) {
  const total = (f.promoters || 0) + (f.passives || 0) + (f.detractors || 0);
  if (!total) return null;
  const pct = (x) => (100 * x) / total;
  const bar = el('div', { class: 'mixbar', attrs: { 'aria-hidden': 'true' } });
  for (const [cls, v] of [['mix-det', f.detractors], ['mix-pas', f.passives], ['mix-pro', f.promoters]]) {
    const span = el('span', { class: cls });
    span.style.width = `${pct(v)}%`;
    bar.append(span);
  }
  const item = (cls, label, v) => el('span', {}, el('i', { class: cls }), `${label} ${Math.round(pct(v))}%`);
  return el('div', {}, bar, el('div', { class: 'legend' },
    item('mix-pro', 'Promoters', f.promoters), item('mix-pas', 'Passives', f.passives), item('mix-det', 'Detractors', f.detractors)));
}

function tile(href, num, title, text, tone) {
  return el('a', { class: `tile ${tone}`, href },
    el('span', { class: 'tile-num', text: fmtInt(num) }),
    el('span', { class: 'tile-text' }, el('strong', { text: title }), text));
}

function chartWidth() {
  const main = document.querySelector('.main');
  return main ? main.clientWidth - 56 - 38 : 900;
}

function trendCard(metric, rows, period, minN, { wide = false, color }) {
  const m = METRICS[metric];
  const points = rows.map((r) => {
    const f = r[metric];
    const shown = isShown(f);
    const label = fmtPeriod(r.period, period);
    return {
      label,
      value: shown ? f.value : null,
      ci: shown && Array.isArray(f.ci) ? f.ci : null,
      note: shown ? `${label}: ${m.fmt(f.value)}${m.unit === '%' ? '%' : ''} (${fmtCi(metric, f)}, n = ${fmtInt(f.n)})`
        : `${label}: ${NOT_ENOUGH} (n = ${fmtInt(f ? f.n : 0)}, needs ${minN})`,
    };
  });
  const suppressed = points.filter((p) => p.value === null).length;
  const width = wide ? chartWidth() : (chartWidth() - 16) / 2;
  const meta = suppressed ? `${suppressed} of ${points.length} periods with ${NOT_ENOUGH}` : `${points.length} periods`;
  if (!points.length) return card(`${m.label} trend`, null, emptyState('No responses in this period.'));
  if (rows.every((r) => !r[metric] || !r[metric].n)) return card(`${m.label} trend`, null, emptyState(`No ${m.label} answers for these filters.`));
  return card(`${m.label} trend`, meta,
    lineChart(points, {
      color, band: true, min: m.min, max: m.max, zero: metric === 'nps', width, height: wide ? 240 : 200,
      label: `${m.label} by ${period}`, tick: (t) => metric === 'ces' ? t.toFixed(1) : (metric === 'nps' && t > 0 ? '+' + t : String(t)),
    }),
    el('div', { class: 'chart-legend' },
      el('span', {}, el('i', { attrs: { 'aria-hidden': 'true' }, class: `legend-${metric}` }), `${m.label} per ${period}`),
      el('span', { text: 'shaded: 95% confidence interval' }),
      suppressed ? el('span', { text: `○ on the axis: ${NOT_ENOUGH}` }) : null));
}

// ---------- Overview ----------
async function renderOverview(ctx) {
  const params = { ...ctx.params, period: ctx.filters.period };
  const d = await api.get('overview', params);
  ctx.setCsv('overview', params);
  ctx.setSubtitle(`${rangeText(d.from, d.to)} · ${scopeText(ctx)}`);
  const minN = d.min_n || ctx.me.min_n;
  const completeShare = d.responses ? Math.round((100 * d.complete) / d.responses) : 0;
  const ces = d.ces || {};
  const cesExtra = isShown(ces) && ces.easy_pct !== null && ces.easy_pct !== undefined
    ? el('div', { class: 'legend' }, el('span', {}, el('i', { class: 'mix-pro' }), `${fmtFixed(ces.easy_pct, 0)}% found it easy (5–7)`)) : null;

  const page = el('div', { class: 'page' },
    el('div', { class: 'grid grid-4' },
      kpiCard('nps', d.nps, minN, isShown(d.nps) ? npsMix(d.nps) : null),
      kpiCard('csat', d.csat, minN, el('div', { class: 'legend' }, el('span', { text: 'share of 4–5 answers on a 1–5 scale' }))),
      kpiCard('ces', d.ces, minN, cesExtra),
      el('section', { class: 'card', attrs: { 'data-testid': 'kpi-responses' } },
        el('div', { class: 'kpi' },
          el('div', { class: 'kpi-label', text: 'Responses' }),
          el('div', { class: 'kpi-value', text: fmtInt(d.responses) }),
          el('div', { class: 'kpi-meta', text: `${fmtInt(d.complete)} complete (${completeShare}%)` }),
          el('div', { class: 'legend' }, el('span', { text: `${fmtInt(d.responses - d.complete)} abandoned mid-survey` }))))),
    el('div', { class: 'tiles' },
      tile('#/followups?state=overdue', d.overdue_followups, 'Overdue follow-ups', `${fmtInt(d.open_followups)} open in total`, d.overdue_followups ? 'alarm' : 'ok'),
      tile('#/followups', d.open_followups, 'Open follow-ups', 'customers waiting for a call back', d.open_followups ? 'warn' : 'ok'),
      tile('#/stories?state=new', d.new_stories, 'New hero stories', 'waiting for you to publish', d.new_stories ? 'warn' : 'ok'),
      tile('#/devices', d.silent_devices, 'Silent devices', d.silent_devices ? 'no sync for over a day' : 'all devices syncing', d.silent_devices ? 'alarm' : 'ok')),
    trendCard('nps', d.trend || [], d.period, minN, { wide: true, color: '#0B6E4F' }),
    el('div', { class: 'grid grid-2' },
      trendCard('csat', d.trend || [], d.period, minN, { color: '#2E6FB0' }),
      trendCard('ces', d.trend || [], d.period, minN, { color: '#C77A12' })));
  return page;
}

// ---------- breakdown tables (Sites, Team & reps) ----------
function breakdownTable(rows, { keyTitle, sub, testid }) {
  if (!rows.length) return emptyState('No responses for these filters.');
  // A metric no row has any answer for (e.g. NPS for call-center reps) gets no column.
  const metrics = ['nps', 'csat', 'ces'].filter((m) => rows.some((r) => r[m] && r[m].n > 0));
  const table = el('table', { class: 'data', attrs: { 'data-testid': testid } },
    el('thead', {}, el('tr', {},
      el('th', { text: keyTitle }), el('th', { class: 'r', text: 'Responses' }),
      metrics.map((m) => el('th', { class: m === 'nps' ? '' : 'r', text: METRICS[m].label })))),
    el('tbody', {}, rows.map((r) => el('tr', { class: r.key === '' ? 'row-muted' : '', dataset: { key: r.key } },
      el('td', {}, el('strong', { text: r.label || r.key }), sub ? el('span', { class: 'cell-sub', text: sub(r) }) : null),
      el('td', { class: 'r', text: fmtInt(r.responses) }),
      metrics.map((m) => figureCell(m, r[m], { bar: m === 'nps' }))))));
  return el('div', { class: 'table-wrap' }, table);
}

async function breakdownCard(ctx, by, title, opts) {
  const params = { ...ctx.params, ...(opts.params || {}), by };
  const d = await api.get('breakdown', params);
  return { data: d, params, node: card(title, csvLink('breakdown', params), breakdownTable(d.rows || [], opts)) };
}

async function renderSites(ctx) {
  const multiRegion = ctx.meta.regions.length > 1;
  const [sites, regions, channels] = await Promise.all([
    breakdownCard(ctx, 'site', 'Sites', { keyTitle: 'Site', sub: (r) => [r.key, r.region].filter(Boolean).join(' · '), testid: 'sites-table' }),
    multiRegion ? breakdownCard(ctx, 'region', 'Regions', { keyTitle: 'Region', testid: 'regions-table' }) : null,
    breakdownCard(ctx, 'channel', 'Channels', { keyTitle: 'Channel', testid: 'channels-table' }),
  ]);
  ctx.setCsv('breakdown', sites.params);
  ctx.setSubtitle(`${rangeText(sites.data.from, sites.data.to)} · ${scopeText(ctx)}`);
  return el('div', { class: 'page' }, sites.node,
    el('div', { class: multiRegion ? 'grid grid-2' : 'grid' }, regions ? regions.node : null, channels.node));
}

async function renderTeams(ctx) {
  const [teams, reps] = await Promise.all([
    breakdownCard(ctx, 'team', 'Teams', { keyTitle: 'Team', testid: 'teams-table' }),
    breakdownCard(ctx, 'rep', 'Reps', { keyTitle: 'Rep', sub: (r) => r.key || 'kiosk and other records without a rep', testid: 'reps-table' }),
  ]);
  ctx.setCsv('breakdown', reps.params);
  ctx.setSubtitle(`${rangeText(reps.data.from, reps.data.to)} · ${scopeText(ctx)}`);
  return el('div', { class: 'page' }, teams.node, reps.node);
}

// ---------- Drivers ----------
const QUAD_CHIP = { 'key strength': 'green', 'priority to fix': 'red', 'maintain': 'grey', 'low priority': 'blue', 'no variation': 'grey' };

function driverName(d) { return humanize(d.id); }

function outcomeName(outcome) {
  const o = String(outcome || '');
  return ['nps', 'csat', 'ces'].includes(o.toLowerCase()) ? o.toUpperCase() : o.toLowerCase();
}

// Coloured via CSSOM (element.style), which the CSP allows; style="" markup it would not.
function quadDot(quadrant) {
  const dot = el('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } });
  dot.style.background = QUAD_COLOR[quadrant] || '#5B6778';
  return dot;
}

function driversCard(survey, minDriverN) {
  const outcome = outcomeName(survey.outcome);
  const title = `${humanize(survey.survey_id)} · what drives ${outcome}`;
  if (survey.suppressed) {
    return card(title, `n = ${fmtInt(survey.n)}`,
      el('div', { class: 'notice', text: `Not enough responses for a key-driver analysis: ${fmtInt(survey.n)} complete rows, at least ${minDriverN} needed.` }));
  }
  const meta = `n = ${fmtInt(survey.n)} · R² = ${fmtFixed(survey.r_squared, 2)} · mean ${outcome} answer ${fmtFixed(survey.outcome_mean, 1)}`;
  const drivers = survey.drivers.slice().sort((a, b) => (b.share || 0) - (a.share || 0));
  const table = el('table', { class: 'data', attrs: { 'data-testid': `drivers-${survey.survey_id}` } },
    el('thead', {}, el('tr', {}, el('th', { text: 'Driver' }), el('th', { class: 'r', text: 'Mean' }),
      el('th', { class: 'r', text: 'Importance' }), el('th', { class: 'r', text: 'r' }), el('th', { text: 'Quadrant' }))),
    el('tbody', {}, drivers.map((d) => el('tr', {},
      el('td', {}, quadDot(d.quadrant),
        el('strong', { text: driverName(d) }), el('span', { class: 'cell-sub', text: d.label })),
      el('td', { class: 'r', text: fmtFixed(d.mean, 2) }),
      el('td', { class: 'r', text: d.share === null ? '–' : `${fmtFixed(d.share * 100, 1)}%` }),
      el('td', { class: 'r', text: fmtFixed(d.correlation, 2) }),
      el('td', {}, chip(d.quadrant, QUAD_CHIP[d.quadrant] || 'grey'))))));
  const width = Math.min(820, chartWidth() * 0.56);
  const varying = survey.drivers.filter((d) => !d.constant);
  if (varying.length < 2) {
    // One driver explains everything it can by itself: a quadrant would only show a single dot in a corner.
    const d = varying[0];
    return card(title, meta, el('div', { class: 'grid grid-drivers' },
      el('div', { class: 'notice', text: d
        ? `One driver question: ${driverName(d)} (mean ${fmtFixed(d.mean, 2)}) alone explains ${fmtFixed((survey.r_squared || 0) * 100, 0)}% of the variation in ${outcome} (r = ${fmtFixed(d.correlation, 2)}).`
        : 'The driver questions did not vary in this period, so their effect cannot be measured.' }),
      el('div', { class: 'table-wrap' }, table)));
  }
  return card(title, meta,
    el('div', { class: 'grid grid-drivers' },
      el('div', {}, quadrantChart(survey, { width, height: 380, label: `Key drivers of ${survey.outcome}`, name: driverName })),
      el('div', {},
        el('div', { class: 'table-wrap' }, table),
        el('p', { class: 'muted small', text: 'Importance: each driver\'s share of the explained variance (Shapley regression). Mean: average rating on 1–5. Fix first what is important and rated low (top left).' }))));
}

async function renderDrivers(ctx) {
  const d = await api.get('drivers', ctx.params);
  ctx.setCsv('drivers', ctx.params);
  ctx.setSubtitle(`${rangeText(d.from, d.to)} · ${scopeText(ctx)}`);
  const surveys = d.surveys || [];
  if (!surveys.length) return emptyState('No survey with driver questions has responses for these filters.');
  // Richest analysis first.
  const ordered = surveys.slice().sort((a, b) => (b.drivers || []).length - (a.drivers || []).length);
  return el('div', { class: 'page' }, ordered.map((s) => driversCard(s, d.min_n || ctx.me.min_driver_n)));
}

// ---------- Hero stories ----------
const STORY_TABS = [['new', 'To review'], ['published', 'Wall'], ['hidden', 'Hidden'], ['all', 'All']];
const STATE_CHIP = { new: ['New', 'amber'], published: ['Published', 'green'], hidden: ['Hidden', 'grey'] };

function tabs(list, current, counts, onPick) {
  return el('div', { class: 'tabs', attrs: { role: 'tablist' } }, list.map(([key, label]) =>
    el('button', { type: 'button', attrs: { role: 'tab', 'aria-selected': String(key === current) }, dataset: { tab: key }, on: { click: () => onPick(key) } },
      label, counts && counts[key] !== undefined ? el('span', { class: 'count', text: fmtInt(counts[key]) }) : null)));
}

function storyCard(ctx, story, onChanged) {
  const [stateLabel, stateColor] = STATE_CHIP[story.state] || [story.state, 'grey'];
  const node = el('article', { class: `story ${story.state === 'published' ? 'published' : ''} ${story.state === 'hidden' ? 'hidden-story' : ''}`, dataset: { storyId: story.story_id, state: story.state, site: story.site_id } });
  const hero = story.staff_name || story.staff_id;
  const act = async (state, button) => {
    button.disabled = true;
    try {
      const updated = await api.post(`stories/${encodeURIComponent(story.story_id)}/moderate`, { state });
      ctx.toast(state === 'published' ? 'Published: it will show on the wall and on the devices.' : state === 'hidden' ? 'Story hidden.' : 'Moved back to review.');
      onChanged(updated);
    } catch (e) {
      ctx.toast(`Could not update the story: ${e.message}`, 'error');
      button.disabled = false;
    }
  };
  const actions = el('div', { class: 'story-actions' }, chip(stateLabel, stateColor));
  const button = (label, state, cls) => {
    const b = el('button', { type: 'button', class: `btn btn-small ${cls}`, text: label, dataset: { action: state } });
    b.addEventListener('click', () => act(state, b));
    return b;
  };
  if (story.state !== 'published') actions.append(button('Publish', 'published', 'btn-primary'));
  if (story.state !== 'hidden') actions.append(button('Hide', 'hidden', 'btn-danger'));
  if (story.state !== 'new') actions.append(button('Back to review', 'new', 'btn-secondary'));
  const where = [story.site_name || story.site_id, story.team ? `team ${story.team}` : '', story.channel === 'call' ? 'call' : story.channel].filter(Boolean).join(' · ');
  node.append(
    el('p', { class: 'story-quote', text: story.story }),
    el('div', {},
      el('div', { class: 'story-hero' }, el('span', { class: 'star', text: '★', attrs: { 'aria-hidden': 'true' } }), hero ? `About ${hero}` : 'No employee named'),
      el('div', { class: 'story-meta', text: `${where} · ${fmtDay(story.submitted_at)}${story.moderated_by ? ` · ${story.state} by ${story.moderated_by}` : ''}` })),
    actions);
  return node;
}

async function renderStories(ctx) {
  const state = STORY_TABS.some(([k]) => k === ctx.filters.state) ? ctx.filters.state : 'new';
  const params = { ...ctx.params, state };
  const d = await api.get('stories', { ...params, limit: 30 });
  ctx.setCsv('stories', params);
  const counts = { ...d.counts, all: (d.counts.new || 0) + (d.counts.published || 0) + (d.counts.hidden || 0) };
  ctx.setSubtitle(`${fmtInt(counts.published)} on the wall · ${fmtInt(counts.new)} waiting for review · ${scopeText(ctx)}`);
  const grid = el('div', { class: 'stories', attrs: { 'data-testid': 'stories' } });
  let loaded = 0;
  const onChanged = () => { ctx.refreshBadges(); ctx.rerender(); };
  const addStories = (list) => { for (const s of list) grid.append(storyCard(ctx, s, onChanged)); loaded += list.length; };
  addStories(d.stories || []);
  const more = el('button', { type: 'button', class: 'btn btn-secondary', text: 'Show more stories' });
  more.hidden = loaded >= d.total;
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const next = await api.get('stories', { ...params, limit: 30, offset: loaded });
      addStories(next.stories || []);
      more.hidden = loaded >= next.total;
    } catch (e) { ctx.toast(e.message, 'error'); }
    more.disabled = false;
  });
  const pick = (key) => { const q = new URLSearchParams(ctx.query); q.set('state', key); ctx.navigate('stories', '', q); };
  const emptyText = { new: 'Nothing to review: every hero story has been moderated.', published: 'No published stories yet. Publish one from "To review" to celebrate it on the wall and on the devices.', hidden: 'No hidden stories.', all: 'No hero stories yet.' }[state];
  return el('div', { class: 'page' },
    tabs(STORY_TABS, state, counts, pick),
    state === 'published' ? el('p', { class: 'muted', text: 'The wall: published stories appear on this site\'s kiosk attract screen and on the team\'s agent desktops.' }) : null,
    loaded ? grid : emptyState(emptyText),
    el('div', {}, more));
}

// ---------- Follow-ups ----------
const FU_TABS = [['open', 'Open'], ['overdue', 'Overdue'], ['closed', 'Closed'], ['all', 'All']];

// "nps 3" -> "NPS 3", "csat 1" -> "CSAT 1", "word refund" -> 'Comment mentions "refund"'.
function fmtReason(reason) {
  const parts = String(reason || '').split(/\s*[,;]\s*/).filter(Boolean);
  return parts.length > 1 ? parts.map(fmtReasonPart).join(', ') : fmtReasonPart(parts[0] || '');
}

function fmtReasonPart(r) {
  let m;
  if ((m = r.match(/^(nps|csat|ces)\s+(.*)$/i))) return `${m[1].toUpperCase()} ${m[2]}`;
  if ((m = r.match(/^words?\s+(.*)$/i))) return `Comment mentions “${m[1]}”`;
  return humanize(r);
}

function dueText(f) {
  if (f.state === 'closed') return `Closed ${fmtRelative(f.closed_at)}`;
  if (!f.due_at) return 'No due time';
  if (f.overdue) return `Overdue by ${fmtRelative(f.due_at).replace(' ago', '')}`;
  return `Due ${fmtRelative(f.due_at)}`;
}

function followupItem(ctx, f, { expanded, onChanged }) {
  const node = el('article', { class: `fu ${f.overdue ? 'overdue' : ''} ${f.state === 'closed' ? 'closed' : ''}`, dataset: { followupId: f.followup_id, state: f.state, overdue: String(!!f.overdue), site: f.site_id }, attrs: { id: `fu-${f.followup_id}` } });
  const toggle = el('button', { type: 'button', class: 'btn btn-secondary btn-small', text: expanded ? 'Hide details' : 'Details', attrs: { 'aria-expanded': String(expanded) } });
  const head = el('div', { class: 'fu-head' },
    el('div', {},
      el('div', { class: 'fu-title' }, fmtReason(f.reason), f.overdue ? chip('Overdue', 'red') : f.state === 'closed' ? chip('Closed', 'grey') : chip('Open', 'amber')),
      el('div', { class: 'cell-sub', text: `${siteName(ctx, f.site_id)}${f.team ? ' · team ' + f.team : ''} · opened ${fmtTime(f.created_at)}` }),
      f.comment ? el('div', { class: 'fu-preview', text: `“${f.comment}”` }) : null),
    el('div', {}, el('div', { class: 'cell-sub', text: 'Owner' }), f.owner ? el('div', { text: f.owner }) : el('div', { class: 'fu-due overdue', text: 'Unassigned' })),
    el('div', {}, el('div', { class: 'cell-sub', text: f.state === 'closed' ? 'Closed' : 'Due' }),
      el('div', { class: `fu-due ${f.overdue ? 'overdue' : ''}`, text: dueText(f) }),
      el('div', { class: 'cell-sub', text: (f.state === 'closed' ? f.closed_at : f.due_at) ? fmtTime(f.state === 'closed' ? f.closed_at : f.due_at) : 'assign an owner' })),
    toggle);
  const body = el('div', { class: 'fu-body' });
  body.hidden = !expanded;
  toggle.addEventListener('click', () => {
    body.hidden = !body.hidden;
    toggle.textContent = body.hidden ? 'Details' : 'Hide details';
    toggle.setAttribute('aria-expanded', String(!body.hidden));
  });

  const contact = f.contact || {};
  const left = el('div', {},
    el('h3', { text: 'What the customer said' }),
    f.comment ? el('p', { class: 'fu-comment', text: f.comment }) : el('p', { class: 'muted', text: 'No comment left.' }),
    el('h3', { text: 'Contact (customer opted in)' }),
    el('dl', { class: 'kv' },
      el('dt', { text: 'Name' }), el('dd', { text: contact.name || '–' }),
      el('dt', { text: 'Phone' }), el('dd', { text: contact.phone || '–' }),
      el('dt', { text: 'E-mail' }), el('dd', { text: contact.email || '–' })),
    el('p', { class: 'muted small', text: `Record ${f.record_id}` }));

  const notes = f.notes || [];
  const right = el('div', {},
    el('h3', { text: 'Notes' }),
    notes.length
      ? el('ul', { class: 'notes' }, notes.map((n) => el('li', {},
        el('div', { class: 'note-meta', text: `${n.by} · ${fmtTime(n.at)}` }), el('div', { class: 'note-text', text: n.text }))))
      : el('p', { class: 'muted', text: 'No notes yet.' }));

  const post = async (path, payload, button, okText) => {
    button.disabled = true;
    try {
      const updated = await api.post(`followups/${encodeURIComponent(f.followup_id)}/${path}`, payload);
      ctx.toast(okText);
      onChanged(updated);
    } catch (e) {
      ctx.toast(`Could not save: ${e.message}`, 'error');
      button.disabled = false;
    }
  };
  if (f.state === 'closed') {
    right.append(el('h3', { text: `Closed by ${f.closed_by || '–'} · ${fmtTime(f.closed_at)}` }), el('div', { class: 'fu-closed-note', text: f.close_note || '' }));
  } else {
    const noteText = el('textarea', { name: 'note', attrs: { maxlength: 2000, 'aria-label': 'New note', placeholder: 'e.g. called, left a voicemail' } });
    const noteBtn = el('button', { type: 'submit', class: 'btn btn-secondary btn-small', text: 'Add note' });
    const noteForm = el('form', { class: 'form', dataset: { form: 'note' } }, noteText, el('div', {}, noteBtn));
    noteForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = noteText.value.trim();
      if (!text) { noteText.focus(); return; }
      post('notes', { text }, noteBtn, 'Note added.');
    });
    const closeText = el('textarea', { name: 'close_note', attrs: { maxlength: 2000, 'aria-label': 'Closing note', placeholder: 'What did you do? e.g. called back, refunded, customer happy', required: true } });
    const closeBtn = el('button', { type: 'submit', class: 'btn btn-primary btn-small', text: 'Close follow-up' });
    const closeForm = el('form', { class: 'form', dataset: { form: 'close' } }, el('h3', { text: 'Close the loop' }), closeText, el('div', {}, closeBtn));
    closeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const note = closeText.value.trim();
      if (!note) { ctx.toast('Write a closing note: what was done for the customer.', 'error'); closeText.focus(); return; }
      post('close', { note }, closeBtn, 'Follow-up closed.');
    });
    // Assign: owner (a user whose scope includes this follow-up) and/or due time (UTC).
    // The owner field suggests the users who can see this follow-up (GET .../owners).
    const ownersId = `owners-${f.followup_id}`;
    const ownerList = el('datalist', { attrs: { id: ownersId } });
    const owner = el('input', { type: 'text', name: 'owner', value: f.owner || '', attrs: { 'aria-label': 'Owner (user name)', placeholder: 'user name', list: ownersId, autocomplete: 'off' } });
    api.get(`followups/${encodeURIComponent(f.followup_id)}/owners`)
      .then((d) => ownerList.append(...d.owners.map((o) => el('option', { value: o.username, text: `${o.username} (${o.role.replace('_', ' ')})` }))))
      .catch(() => {});  // suggestions only: the field still takes any user name
    const due = el('input', { type: 'datetime-local', name: 'due_at', value: f.due_at ? f.due_at.slice(0, 16) : '', attrs: { 'aria-label': 'Due (UTC)' } });
    const assignBtn = el('button', { type: 'submit', class: 'btn btn-secondary btn-small', text: 'Save' });
    const assignForm = el('form', { class: 'form', dataset: { form: 'assign' } },
      el('h3', { text: 'Owner and due time (UTC)' }), el('div', { class: 'inline' }, owner, ownerList, due, assignBtn));
    assignForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const payload = {};
      if (owner.value.trim() && owner.value.trim() !== f.owner) payload.owner = owner.value.trim();
      if (due.value) {
        const iso = `${due.value}:00Z`.slice(0, 19) + 'Z';
        if (iso !== f.due_at) payload.due_at = iso;
      }
      if (!Object.keys(payload).length) { ctx.toast('Nothing to change.'); return; }
      post('assign', payload, assignBtn, 'Follow-up updated.');
    });
    right.append(noteForm, el('div', { class: 'form-actions' }), assignForm, el('div', { class: 'form-actions' }), closeForm);
  }
  body.append(left, right);
  node.append(head, body);
  return node;
}

async function renderFollowups(ctx) {
  const tab = FU_TABS.some(([k]) => k === ctx.filters.state) ? ctx.filters.state : 'open';
  const params = { ...ctx.params, state: tab === 'overdue' ? 'open' : tab };
  if (tab === 'overdue') params.overdue = 1;
  const pageSize = 25;
  const d = await api.get('followups', { ...params, limit: pageSize });
  ctx.setCsv('followups', params);
  const counts = { ...d.counts, all: (d.counts.open || 0) + (d.counts.closed || 0) };
  ctx.setSubtitle(`${fmtInt(counts.open)} open · ${fmtInt(counts.overdue)} overdue · ${scopeText(ctx)}`);
  const list = d.followups || [];
  let loaded = list.length;
  // A deep link (#/followups/<id>, as in the alert e-mail) opens that one at the top, even when closed.
  if (ctx.arg) {
    const at = list.findIndex((f) => f.followup_id === ctx.arg);
    if (at >= 0) list.unshift(list.splice(at, 1)[0]);
    else {
      try { list.unshift(await api.get(`followups/${encodeURIComponent(ctx.arg)}`)); }
      catch (e) { ctx.toast(`Follow-up ${ctx.arg}: ${e.message}`, 'error'); }
    }
  }
  const onChanged = () => { ctx.refreshBadges(); ctx.rerender(); };
  const container = el('div', { class: 'fu-list', attrs: { 'data-testid': 'followups' } },
    list.map((f) => followupItem(ctx, f, { expanded: f.followup_id === ctx.arg || list.length === 1, onChanged })));
  const more = el('button', { type: 'button', class: 'btn btn-secondary', text: 'Show more follow-ups' });
  more.hidden = loaded >= d.total;
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const next = await api.get('followups', { ...params, limit: pageSize, offset: loaded });
      for (const f of next.followups || []) {
        if (f.followup_id !== ctx.arg) container.append(followupItem(ctx, f, { expanded: false, onChanged }));
      }
      loaded += (next.followups || []).length;
      more.hidden = loaded >= next.total || !(next.followups || []).length;
    } catch (e) { ctx.toast(e.message, 'error'); }
    more.disabled = false;
  });
  const pick = (key) => { const q = new URLSearchParams(ctx.query); q.set('state', key); ctx.navigate('followups', '', q); };
  const emptyText = { open: 'No open follow-ups: every unhappy customer has been called back.', overdue: 'Nothing overdue.', closed: 'No closed follow-ups yet.', all: 'No follow-ups yet.' }[tab];
  const page = el('div', { class: 'page' }, tabs(FU_TABS, tab, counts, pick), list.length ? container : emptyState(emptyText),
    el('div', {}, more));
  return page;
}

// ---------- Devices ----------
async function renderDevices(ctx) {
  const d = await api.get('devices', ctx.params);
  ctx.setCsv('devices', ctx.params);
  const devices = d.devices || [];
  const silent = devices.filter((x) => x.silent).length;
  const backlog = devices.reduce((a, x) => a + (x.backlog || 0), 0);
  const revoked = devices.filter((x) => x.revoked).length;
  const clones = devices.filter((x) => x.possible_clone).length;
  const quarantined = devices.reduce((a, x) => a + (x.records_quarantined || 0), 0);
  ctx.setSubtitle(`${fmtInt(devices.length)} devices · ${scopeText(ctx)} · silent = no sync for ${d.silent_hours} h`);
  const now = d.now ? new Date(d.now).getTime() : Date.now();
  const rows = devices.map((x) => {
    const status = x.revoked ? ['dot-off', 'Revoked', 'grey'] : x.possible_clone ? ['dot-bad', 'Possible clone', 'red'] : x.silent ? ['dot-bad', `Silent ${fmtHours(x.hours_since_batch)}`, 'red'] : x.backlog > 0 ? ['dot-warn', 'Catching up', 'amber'] : ['dot-ok', 'Syncing', 'green'];
    return el('tr', { class: x.silent || x.possible_clone ? 'row-alarm' : x.revoked ? 'row-muted' : '', dataset: { deviceId: x.device_id, silent: String(!!x.silent), possibleClone: String(!!x.possible_clone) } },
      el('td', {}, el('span', { class: `dot ${status[0]}`, attrs: { 'aria-hidden': 'true' } }), chip(status[1], status[2]),
        x.possible_clone ? el('span', { class: 'cell-sub', text: `since ${fmtTime(x.possible_clone_at)}: ${x.possible_clone_reason}` }) : null),
      el('td', {}, el('strong', { text: x.hostname || '(no host name)' }), el('span', { class: 'cell-sub mono', text: x.device_id })),
      el('td', {}, siteName(ctx, x.site_id), el('span', { class: 'cell-sub', text: x.kind === 'agent' ? `agent desktop${x.team ? ' · ' + x.team : ''}` : x.kind })),
      el('td', {}, x.last_batch_at ? fmtRelative(x.last_batch_at, now) : 'never', el('span', { class: 'cell-sub', text: fmtTime(x.last_batch_at) })),
      el('td', {}, x.last_seen_at ? fmtRelative(x.last_seen_at, now) : 'never', el('span', { class: 'cell-sub', text: fmtTime(x.last_seen_at) })),
      el('td', { class: 'r' }, el('strong', { text: fmtInt(x.backlog) })),
      el('td', { class: 'r', text: fmtInt(x.records_stored) }),
      el('td', { class: 'r', text: fmtInt(x.records_quarantined || 0) }),
      el('td', {}, x.last_error ? el('span', { class: 'small', text: x.last_error }) : el('span', { class: 'na', text: 'none' })));
  });
  const table = devices.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'data', attrs: { 'data-testid': 'devices-table' } },
    el('thead', {}, el('tr', {}, ['Status', 'Device', 'Site', 'Last sync', 'Last seen', 'Backlog', 'Stored', 'Quarantined', 'Last error'].map((h, i) => el('th', { class: i >= 5 && i <= 7 ? 'r' : '', text: h })))),
    el('tbody', {}, rows))) : emptyState('No devices enrolled in your scope yet.');
  return el('div', { class: 'page' },
    el('div', { class: 'tiles' },
      tile('#/devices', devices.length - revoked, 'Active devices', `${revoked} revoked`, 'ok'),
      tile('#/devices', clones, 'Possible clones', clones ? 'one device key used by two devices? revoke and re-enroll' : 'no sequence conflicts', clones ? 'alarm' : 'ok'),
      tile('#/devices', silent, 'Silent devices', silent ? `no stored batch for ${d.silent_hours} h` : 'every device is syncing', silent ? 'alarm' : 'ok'),
      tile('#/devices', backlog, 'Records waiting', 'backlog on the devices', backlog ? 'warn' : 'ok'),
      tile('#/devices', devices.reduce((a, x) => a + (x.records_stored || 0), 0), 'Records stored', 'from these devices', 'ok'),
      tile('#/devices', quarantined, 'Quarantined', 'records kept aside with a reason (feedback-central quarantine)', quarantined ? 'warn' : 'ok')),
    card('Devices', 'possible clones first, then silent devices', table));
}

// ---------- Users (admin) ----------
function randomPassword() {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function field(label, input) {
  return el('div', { class: 'field' }, el('label', { attrs: { for: input.id }, text: label }), input);
}

function userForm(ctx) {
  const username = el('input', { id: 'nu-username', type: 'text', attrs: { required: true, autocomplete: 'off' } });
  const role = el('select', { id: 'nu-role' }, Object.entries(ROLE_LABELS).map(([v, t]) => el('option', { value: v, text: t, selected: v === 'site_manager' })));
  const sites = el('select', { id: 'nu-sites', multiple: true, size: Math.min(4, Math.max(2, ctx.meta.sites.length)) },
    ctx.meta.sites.map((s) => el('option', { value: s.site_id, text: `${s.name} (${s.site_id})` })));
  const team = el('input', { id: 'nu-team', type: 'text', attrs: { list: 'nu-teams' } });
  const teams = el('datalist', { id: 'nu-teams' }, ctx.meta.teams.map((t) => el('option', { value: t })));
  const email = el('input', { id: 'nu-email', type: 'email' });
  const password = el('input', { id: 'nu-password', type: 'text', attrs: { minlength: 12, autocomplete: 'new-password' } });
  const gen = el('button', { type: 'button', class: 'btn btn-secondary btn-small', text: 'Generate' });
  gen.addEventListener('click', () => { password.value = randomPassword(); });
  const submit = el('button', { type: 'submit', class: 'btn btn-primary', text: 'Add user' });
  const hint = el('span', { class: 'muted small', text: 'Site manager: one site. Regional manager: one or more sites. Team lead: a team. Passwords: at least 12 characters; give it to the user in person.' });
  const form = el('form', { class: 'form-grid', attrs: { 'data-testid': 'user-form' } },
    field('User name', username), field('Role', role), field('Sites', sites), field('Team', team), teams,
    field('E-mail (follow-up alerts)', email),
    el('div', { class: 'field' }, el('label', { attrs: { for: 'nu-password' }, text: 'Password' }), el('div', { class: 'inline' }, password, gen)));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (password.value.length < 12) { ctx.toast('The password needs at least 12 characters.', 'error'); password.focus(); return; }
    submit.disabled = true;
    try {
      await api.post('users', {
        username: username.value.trim(), password: password.value, role: role.value,
        sites: Array.from(sites.selectedOptions, (o) => o.value), team: team.value.trim(), email: email.value.trim(),
      });
      ctx.toast(`User ${username.value.trim()} added.`);
      ctx.rerender();
    } catch (err) {
      ctx.toast(`Could not add the user: ${err.message}`, 'error');
      submit.disabled = false;
    }
  });
  form.append(el('div', { class: 'form-actions' }, submit, hint));
  return form;
}

function alertRulesForm(ctx, rules) {
  const npsMax = el('input', { id: 'ar-nps', type: 'number', value: rules.nps_max, attrs: { min: 0, max: 10 } });
  const csatMax = el('input', { id: 'ar-csat', type: 'number', value: rules.csat_max, attrs: { min: 1, max: 5 } });
  const words = el('input', { id: 'ar-words', type: 'text', value: (rules.words || []).join(', ') });
  const emailOn = el('select', { id: 'ar-email' }, el('option', { value: 'true', text: 'On', selected: !!rules.email_enabled }), el('option', { value: 'false', text: 'Off', selected: !rules.email_enabled }));
  const smtp = el('input', { id: 'ar-smtp', type: 'text', value: rules.smtp_url || '' });
  const from = el('input', { id: 'ar-from', type: 'text', value: rules.mail_from || '' });
  const webhook = el('input', { id: 'ar-webhook', type: 'text', value: rules.webhook_url || '', attrs: { placeholder: 'https://…' } });
  const dash = el('input', { id: 'ar-dash', type: 'text', value: rules.dashboard_url || '' });
  const save = el('button', { type: 'submit', class: 'btn btn-primary', text: 'Save alert rules' });
  const form = el('form', {},
    el('div', { class: 'form-grid' },
      field('Open a follow-up at NPS ≤', npsMax), field('or CSAT ≤', csatMax), field('or a comment with (comma-separated)', words),
      field('E-mail alerts', emailOn), field('Default mail relay', smtp), field('Mail from', from), field('Webhook URL', webhook), field('Dashboard URL in alerts', dash)),
    el('div', { class: 'form-actions' }, save, el('span', { class: 'muted small', text: 'Only records whose customer left contact details open a follow-up.' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    save.disabled = true;
    try {
      await api.post('alert-rules', {
        nps_max: Number(npsMax.value), csat_max: Number(csatMax.value),
        words: words.value.split(',').map((w) => w.trim()).filter(Boolean),
        email_enabled: emailOn.value === 'true', smtp_url: smtp.value.trim(), mail_from: from.value.trim(),
        webhook_url: webhook.value.trim(), dashboard_url: dash.value.trim(),
      });
      ctx.toast('Alert rules saved.');
    } catch (err) { ctx.toast(`Could not save the rules: ${err.message}`, 'error'); }
    save.disabled = false;
  });
  return form;
}

async function renderUsers(ctx) {
  const [u, rules, alerts] = await Promise.all([api.get('users'), api.get('alert-rules'), api.get('alerts').catch(() => ({ alerts: [] }))]);
  ctx.setCsv('users', {});
  const users = u.users || [];
  ctx.setSubtitle(`${fmtInt(users.filter((x) => !x.disabled).length)} active users · ${fmtInt(users.filter((x) => x.disabled).length)} disabled`);
  const rows = users.map((x) => {
    const btn = el('button', { type: 'button', class: `btn btn-small ${x.disabled ? 'btn-secondary' : 'btn-danger'}`, text: x.disabled ? 'Enable' : 'Disable', disabled: x.username === ctx.me.user.username });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        await api.post(`users/${encodeURIComponent(x.username)}/${x.disabled ? 'enable' : 'disable'}`, {});
        ctx.toast(`${x.username} ${x.disabled ? 'enabled' : 'disabled; their sessions have ended'}.`);
        ctx.rerender();
      } catch (e) { ctx.toast(e.message, 'error'); btn.disabled = false; }
    });
    return el('tr', { class: x.disabled ? 'row-muted' : '', dataset: { username: x.username } },
      el('td', {}, el('strong', { text: x.username }), el('span', { class: 'cell-sub', text: x.email || 'no e-mail' })),
      el('td', { text: ROLE_LABELS[x.role] || x.role }),
      el('td', { text: x.role === 'admin' ? 'everything' : [(x.sites || []).join(', '), x.team ? `team ${x.team}` : ''].filter(Boolean).join(' · ') || '–' }),
      el('td', {}, x.disabled ? chip('Disabled', 'grey') : chip('Active', 'green')),
      el('td', { text: fmtDay(x.created_at) }),
      el('td', { class: 'r' }, btn));
  });
  const alertRows = (alerts.alerts || []).slice(0, 10).map((a) => el('tr', {},
    el('td', { text: fmtTime(a.created_at) }), el('td', { text: a.kind }), el('td', { class: 'small', text: a.target }),
    el('td', {}, chip(a.state, a.state === 'sent' ? 'green' : a.state === 'failed' ? 'red' : 'amber')),
    el('td', { class: 'r', text: fmtInt(a.attempts) }), el('td', { class: 'small', text: a.last_error || '' })));
  return el('div', { class: 'page' },
    card('Users', `${users.length} accounts`, el('div', { class: 'table-wrap' }, el('table', { class: 'data', attrs: { 'data-testid': 'users-table' } },
      el('thead', {}, el('tr', {}, ['User', 'Role', 'Scope', 'Status', 'Created', ''].map((h) => el('th', { text: h })))),
      el('tbody', {}, rows)))),
    card('Add a user', null, userForm(ctx)),
    card('Follow-up alert rules', null, alertRulesForm(ctx, rules)),
    card('Recent alerts', 'e-mails and webhooks, newest first', alertRows.length
      ? el('div', { class: 'table-wrap' }, el('table', { class: 'data' },
        el('thead', {}, el('tr', {}, ['Queued', 'Kind', 'Target', 'State', 'Attempts', 'Last error'].map((h) => el('th', { text: h })))),
        el('tbody', {}, alertRows)))
      : emptyState('No alerts sent yet.')));
}

// ---------- registry ----------
export const PAGES = {
  overview: { title: 'Overview', filters: ['range', 'period', 'site', 'region', 'channel'], render: renderOverview },
  sites: { title: 'Sites', filters: ['range', 'region', 'channel'], render: renderSites },
  team: { title: 'Team & reps', filters: ['range', 'site', 'team'], render: renderTeams },
  drivers: { title: 'Drivers', filters: ['range', 'site', 'channel'], render: renderDrivers },
  stories: { title: 'Hero stories', filters: ['site', 'team', 'channel'], render: renderStories },
  followups: { title: 'Follow-ups', filters: ['site', 'channel'], render: renderFollowups },
  devices: { title: 'Devices', filters: ['site', 'silent_hours'], render: renderDevices },
  users: { title: 'Users', filters: [], adminOnly: true, render: renderUsers },
};
export const PAGE_ORDER = ['overview', 'sites', 'team', 'drivers', 'stories', 'followups', 'devices', 'users'];
