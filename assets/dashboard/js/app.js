// Dashboard shell: login, navigation (hash routes "#/<page>[/<id>][?filters]"),
// the filter bar and the "Download CSV" link. Pages live in pages.js.
import * as api from './api.js';
import { el, clear, isoDay, ROLE_LABELS, fmtInt } from './dom.js';
import { PAGES, PAGE_ORDER } from './pages.js';

const $ = (id) => document.getElementById(id);

const app = {
  me: null,        // GET /api/me
  meta: null,      // GET /api/sites (sites, regions, teams, channels in scope)
  renderToken: 0,  // drops answers of a page the user already left
};

// ---------- toasts ----------
export function toast(message, kind = 'ok') {
  const node = el('div', { class: `toast ${kind}`, text: message, attrs: { role: kind === 'error' ? 'alert' : 'status', title: 'Click to dismiss' } });
  node.addEventListener('click', () => node.remove());
  $('toasts').append(node);
  setTimeout(() => node.remove(), kind === 'error' ? 7000 : 3500);
}

// ---------- login / logout ----------
function showLogin(message) {
  app.me = null;
  api.setCsrfToken('');
  $('boot').hidden = true;
  $('app').hidden = true;
  $('login').hidden = false;
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('login-password').value = '';
  $('login-username').focus();
}

async function onLoginSubmit(event) {
  event.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const err = $('login-error');
  if (!username || !password) {
    err.textContent = 'Enter your user name and password.';
    err.hidden = false;
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  button.textContent = 'Signing in…';
  try {
    const res = await api.post('login', { username, password }, { isLogin: true });
    api.setCsrfToken(res.csrf_token);
    await startApp();
  } catch (e) {
    err.textContent = e.status === 401 ? 'Wrong user name or password.' : e.message;
    err.hidden = false;
    $('login-password').value = '';
    $('login-password').focus();
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
}

async function onLogout() {
  try { await api.post('logout', {}); } catch (_) { /* the session may already be gone */ }
  showLogin('You have signed out.');
  $('login-error').className = 'notice';
}

// ---------- start ----------
async function startApp() {
  const me = await api.get('me');
  api.setCsrfToken(me.csrf_token);
  app.me = me;
  app.meta = await api.get('sites');
  $('login-error').className = 'form-error';
  $('login').hidden = true;
  $('boot').hidden = true;
  $('app').hidden = false;
  $('user-name').textContent = me.user.username;
  const scope = me.user.role === 'site_manager' || me.user.role === 'regional_manager'
    ? ' · ' + (me.user.sites || []).join(', ')
    : me.user.role === 'team_lead' ? ' · ' + me.user.team : '';
  $('user-role').textContent = (ROLE_LABELS[me.user.role] || me.user.role) + scope;
  buildNav();
  refreshBadges();
  if (!location.hash || location.hash === '#' || location.hash === '#/') location.replace('#/overview');
  else route();
}

function visiblePages() {
  return PAGE_ORDER.filter((key) => !PAGES[key].adminOnly || app.me.user.role === 'admin');
}

function buildNav() {
  const nav = clear($('nav'));
  for (const key of visiblePages()) {
    nav.append(el('a', { href: `#/${key}`, dataset: { page: key } },
      el('span', { text: PAGES[key].title }),
      el('span', { class: 'nav-badge', hidden: true, dataset: { badge: key } })));
  }
}

function setBadge(page, count, danger) {
  const node = document.querySelector(`[data-badge="${page}"]`);
  if (!node) return;
  node.hidden = !count;
  node.textContent = fmtInt(count);
  node.classList.toggle('danger', !!danger);
}

// Counts in the sidebar: new stories to moderate, overdue follow-ups.
export async function refreshBadges() {
  try {
    const [stories, followups] = await Promise.all([
      api.get('stories', { state: 'new', limit: 1 }),
      api.get('followups', { state: 'open', limit: 1 }),
    ]);
    setBadge('stories', stories.counts ? stories.counts.new : 0, false);
    const overdue = followups.counts ? followups.counts.overdue : 0;
    setBadge('followups', overdue || (followups.counts ? followups.counts.open : 0), overdue > 0);
  } catch (_) { /* badges are a convenience; the pages show the errors */ }
}

// ---------- routing + filters ----------
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [page, ...rest] = path.split('/');
  return { page: page || 'overview', arg: rest.length ? decodeURIComponent(rest.join('/')) : '', query: new URLSearchParams(query) };
}

export function navigate(page, arg, query) {
  const qs = query ? query.toString() : '';
  location.hash = `#/${page}${arg ? '/' + encodeURIComponent(arg) : ''}${qs ? '?' + qs : ''}`;
}

const RANGES = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days'], ['180', 'Last 6 months'], ['365', 'Last 12 months']];

// Filter values from the URL, with defaults.
function readFilters(query) {
  return {
    range: query.get('range') || '90',
    period: query.get('period') || 'week',
    site: query.get('site') || '',
    region: query.get('region') || '',
    channel: query.get('channel') || '',
    team: query.get('team') || '',
    silent_hours: query.get('silent_hours') || '24',
    state: query.get('state') || '',
  };
}

// The API's common parameters for the filters this page uses.
function apiParams(filters, used) {
  const p = {};
  if (used.includes('range')) {
    const to = new Date();
    const from = new Date(to.getTime() - (Number(filters.range) - 1) * 86400e3);
    p.from = isoDay(from);
    p.to = isoDay(to);
  }
  for (const key of ['site', 'region', 'channel', 'team', 'period', 'silent_hours']) {
    if (used.includes(key) && filters[key]) p[key] = filters[key];
  }
  return p;
}

function selectField(name, label, options, value, onChange) {
  const id = `filter-${name}`;
  const select = el('select', { id, name, on: { change: (e) => onChange(name, e.target.value) } },
    options.map(([v, text]) => el('option', { value: v, text, selected: v === value })));
  return el('div', { class: 'field' }, el('label', { attrs: { for: id }, text: label }), select);
}

function buildFilters(page, filters, query) {
  const form = clear($('filters'));
  const used = page.filters || [];
  const meta = app.meta;
  const change = (name, value) => {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value); else q.delete(name);
    const { page: key, arg } = parseHash();
    navigate(key, arg, q);
  };
  for (const f of used) {
    if (f === 'range') form.append(selectField('range', 'Period', RANGES, filters.range, change));
    if (f === 'period') {
      const seg = el('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Trend step' } },
        [['day', 'Day'], ['week', 'Week'], ['month', 'Month']].map(([v, text]) =>
          el('button', { type: 'button', text, attrs: { 'aria-pressed': String(filters.period === v) }, dataset: { period: v },
            on: { click: () => change('period', v === 'week' ? '' : v) } })));
      form.append(el('div', { class: 'field' }, el('label', { text: 'Trend by' }), seg));
    }
    if (f === 'site' && meta.sites.length) {
      const opts = [['', meta.sites.length === 1 ? meta.sites[0].name : 'All sites']];
      if (meta.sites.length > 1) for (const s of meta.sites) opts.push([s.site_id, s.name || s.site_id]);
      form.append(selectField('site', 'Site', opts, filters.site, change));
    }
    if (f === 'region' && meta.regions.length > 1) {
      form.append(selectField('region', 'Region', [['', 'All regions']].concat(meta.regions.map((r) => [r, r])), filters.region, change));
    }
    if (f === 'channel' && meta.channels.length > 1) {
      form.append(selectField('channel', 'Channel', [['', 'All channels']].concat(meta.channels.map((c) => [c, c === 'call' ? 'Call center' : c === 'kiosk' ? 'Kiosk' : c])), filters.channel, change));
    }
    if (f === 'team' && meta.teams.length) {
      const opts = [['', meta.teams.length === 1 ? meta.teams[0] : 'All teams']];
      if (meta.teams.length > 1) for (const t of meta.teams) opts.push([t, t]);
      form.append(selectField('team', 'Team', opts, filters.team, change));
    }
    if (f === 'silent_hours') {
      form.append(selectField('silent_hours', 'Silent after', [['6', '6 hours'], ['12', '12 hours'], ['24', '24 hours'], ['48', '48 hours'], ['72', '3 days']], filters.silent_hours, change));
    }
  }
}

function setCsv(path, params) {
  const link = $('csv-link');
  if (!path) { link.hidden = true; link.removeAttribute('href'); return; }
  link.href = api.apiUrl(path, { ...params, format: 'csv' });
  link.hidden = false;
}

async function route() {
  if (!app.me) return;
  const { page: key, arg, query } = parseHash();
  const allowed = visiblePages();
  const pageKey = allowed.includes(key) ? key : 'overview';
  const page = PAGES[pageKey];
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.dataset.page === pageKey);
  document.title = `${page.title} · Feedback`;
  $('page-title').textContent = page.title;
  $('page-subtitle').textContent = page.subtitle || '';
  const filters = readFilters(query);
  buildFilters(page, filters, query);
  setCsv(null);
  const root = clear($('page'));
  root.append(el('div', { class: 'empty', text: 'Loading…' }));
  const token = ++app.renderToken;
  const ctx = {
    me: app.me, meta: app.meta, arg, query, filters,
    params: apiParams(filters, page.filters || []),
    isCurrent: () => token === app.renderToken,
    setCsv: (path, params) => { if (token === app.renderToken) setCsv(path, params); },
    setSubtitle: (text) => { if (token === app.renderToken) $('page-subtitle').textContent = text; },
    navigate, toast, refreshBadges,
    rerender: () => route(),
  };
  try {
    const content = await page.render(ctx);
    if (!ctx.isCurrent()) return;
    clear(root).append(content);
    root.dataset.page = pageKey;
    root.dataset.ready = String(token);
  } catch (e) {
    if (!ctx.isCurrent() || e.status === 401) return;
    clear(root).append(el('div', { class: 'notice notice-danger', attrs: { role: 'alert' }, text: `Could not load this page: ${e.message}` }));
    root.dataset.ready = String(token);
  }
}

// ---------- boot ----------
async function boot() {
  api.setUnauthorizedHandler(() => showLogin(app.me ? 'Your session has ended. Please sign in again.' : ''));
  $('login-form').addEventListener('submit', onLoginSubmit);
  $('logout').addEventListener('click', onLogout);
  window.addEventListener('hashchange', route);
  try {
    await startApp();
  } catch (e) {
    if (e.status !== 401) showLogin(e.message);
  }
}

boot();
