// Browser test of the manager dashboard (issue 7) against a REAL feedback-central.
//
//   node tests/dashboard/dashboard_test.mjs --central build/sync/central/feedback-central \
//        --artifacts build/artifacts/dashboard [--dashboard-dir assets/dashboard] [--keep]
//
// It creates a throwaway data directory (init, users from the CLI, `seed`), starts
// `serve --listen 127.0.0.1:0 --insecure-http-loopback`, and drives Debian's Chromium
// (/usr/bin/chromium, headless, fresh profile, no background networking) with
// playwright-core - which never downloads a browser. Steps, each asserted:
//   1. a wrong password is refused on the login page; the right one signs in
//   2. the Overview NPS (value and n) equals the API's figure for the same filters
//   3. every page renders without a script or CSP error; a screenshot of each is saved
//   4. publishing a hero story from the page publishes it on the server (and a POST
//      without the CSRF token is refused)
//   5. closing a follow-up with a note from the page closes it on the server
//   6. the Sites page's "Download CSV" gives the rows the page shows
//   7. a site manager sees only their site, in the pages and the API
// Exit code 0 only when every step passed.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DEADLINE_MS = 170_000;

// ---------- arguments ----------
function parseArgs(argv) {
  const out = { central: '', artifacts: path.join(REPO, 'build', 'artifacts', 'dashboard'), dashboardDir: '', keep: false };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--central') out.central = argv[++i];
    else if (a === '--artifacts') out.artifacts = argv[++i];
    else if (a === '--dashboard-dir') out.dashboardDir = argv[++i];
    else if (a === '--keep') out.keep = true;
    else fail(`unknown argument ${a}; usage: dashboard_test.mjs --central PATH [--artifacts DIR] [--dashboard-dir DIR] [--keep]`);
  }
  if (!out.central) fail('--central PATH (the feedback-central binary) is required');
  if (!fs.existsSync(out.central)) fail(`feedback-central not found at ${out.central}; build it first`);
  out.central = path.resolve(out.central);
  out.artifacts = path.resolve(out.artifacts);
  out.dashboardDir = path.resolve(out.dashboardDir || path.join(REPO, 'assets', 'dashboard'));
  return out;
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// playwright-core from tests/dashboard/node_modules; installs it (npm ci) when missing.
function loadPlaywright() {
  const require = createRequire(path.join(HERE, 'package.json'));
  try { return require('playwright-core'); } catch (_) { /* install below */ }
  console.log('playwright-core is not installed; running `npm ci --prefix tests/dashboard` ...');
  const r = spawnSync('npm', ['ci', '--prefix', HERE, '--no-audit', '--no-fund'], { stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
  if (r.status !== 0) {
    fail('could not install playwright-core. Run `npm ci --prefix tests/dashboard` (installers/install-deps.sh does) with the npm registry reachable, then run the test again.');
  }
  return require('playwright-core');
}

// ---------- small assertion kit ----------
let checks = 0;
function check(condition, message) {
  checks++;
  if (!condition) throw new Error(`assertion failed: ${message}`);
  console.log(`  ok - ${message}`);
}
function step(name) { console.log(`\n# ${name}`); }

// ---------- feedback-central ----------
function runCli(central, args, input) {
  const r = spawnSync(central, args, { input: input ?? '', encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`feedback-central ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function startServer(central, dataDir, dashboardDir) {
  const child = spawn(central, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--insecure-http-loopback', '--dashboard-dir', dashboardDir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`feedback-central serve printed no URL within 20 s; stderr:\n${stderr}`)), 20_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1], stderr: () => stderr }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`feedback-central serve exited (${code}) before listening; stderr:\n${stderr}`)); });
  });
}

// ---------- page helpers ----------
async function gotoPage(page, base, route) {
  const key = route.replace(/^#\//, '').split(/[/?]/)[0];
  // A hash-only change re-renders in place: wait for a render newer than the current one.
  const before = (await page.getAttribute('#page', 'data-ready').catch(() => null)) || 'none';
  await page.goto(`${base}/dashboard/${route}`);
  await page.waitForSelector(`#page[data-page="${key}"][data-ready]:not([data-ready="${before}"])`, { timeout: 20_000 });
}

// The page re-renders after an action; wait for a new render token.
async function waitRerender(page, before) {
  await page.waitForSelector(`#page[data-ready]:not([data-ready="${before}"])`, { timeout: 15_000 });
}
const readyToken = (page) => page.getAttribute('#page', 'data-ready');

async function shot(page, dir, name) {
  const file = path.join(dir, `${name}.png`);
  // Toasts of earlier steps would cover the page: clear them (they time out on their own).
  await page.evaluate(() => document.getElementById('toasts').replaceChildren());
  // Full page, but at most 2400 px tall: long lists say enough in their first screens.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: 1440, height: Math.min(height, 2400) } });
  console.log(`  screenshot ${file}`);
}

async function login(page, base, username, password) {
  await page.goto(`${base}/dashboard/`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForSelector('#page[data-page="overview"][data-ready]', { timeout: 20_000 });
}

async function logout(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible' });
}

// "+31.2" / "−12.5" (U+2212) -> number
function parseSigned(text) { return Number(String(text).replace('\u2212', '-').replace(/[^0-9.+-]/g, '')); }

function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// ---------- the test ----------
async function main() {
  const args = parseArgs(process.argv);
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} not found: install Debian's chromium (installers/install-deps.sh)`);
  const { chromium } = loadPlaywright();
  fs.mkdirSync(args.artifacts, { recursive: true });
  fs.rmSync(path.join(args.artifacts, 'failure.png'), { force: true });  // from an earlier failed run
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-test-'));
  const dataDir = path.join(work, 'data');
  const profile = path.join(work, 'chromium-profile');
  const downloads = path.join(work, 'downloads');
  fs.mkdirSync(downloads);
  let server = null, context = null;
  const problems = [];  // script errors, CSP violations, failed requests
  const watchdog = setTimeout(() => { console.error(`FAIL: the test did not finish within ${DEADLINE_MS / 1000} s`); cleanup().finally(() => process.exit(1)); }, DEADLINE_MS);

  async function cleanup() {
    try { if (context) await context.close(); } catch (_) { /* already gone */ }
    if (server) server.child.kill('SIGTERM');
    if (!args.keep) fs.rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }

  try {
    step('store: init, seed, users');
    runCli(args.central, ['init', '--data-dir', dataDir, '--site', 'site-01']);
    // Users first: site-01's follow-ups from the seed then get ana as owner and a due time.
    const adminPass = 'dashboard-admin-pass-1';
    const anaPass = 'dashboard-ana-pass-22';
    runCli(args.central, ['user', 'add', '--data-dir', dataDir, '--username', 'boss', '--role', 'admin', '--email', 'boss@example.com', '--password-stdin'], adminPass + '\n');
    runCli(args.central, ['user', 'add', '--data-dir', dataDir, '--username', 'ana', '--role', 'site_manager', '--site', 'site-01', '--email', 'ana@example.com', '--password-stdin'], anaPass + '\n');
    const seeded = runCli(args.central, ['seed', '--data-dir', dataDir, '--records', '4000', '--sites', '3', '--days', '60', '--seed', '7']);
    console.log(`  ${seeded.trim()}`);

    server = await startServer(args.central, dataDir, args.dashboardDir);
    const base = server.url;
    console.log(`  feedback-central at ${base}`);

    context = await chromium.launchPersistentContext(profile, {
      // headless: true makes playwright pass --headless itself (it drops a --headless in args).
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
      viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true, downloadsPath: downloads,
      timezoneId: 'UTC', locale: 'en-US',
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      const t = m.text();
      // 401 from GET /api/me before login is the expected way to find out there is no session.
      if (m.type() === 'error' && !/status of 401/.test(t)) problems.push(`console error: ${t}`);
      if (/Content Security Policy/i.test(t)) problems.push(`CSP violation: ${t}`);
    });
    page.on('requestfailed', (r) => { if (!/ERR_ABORTED/.test(r.failure().errorText)) problems.push(`request failed: ${r.url()} ${r.failure().errorText}`); });
    const api = async (p) => {
      const res = await context.request.get(`${base}${p}`);
      if (!res.ok()) throw new Error(`GET ${p} -> ${res.status()} ${await res.text()}`);
      return res.json();
    };

    // 1. login
    step('login page');
    await page.goto(`${base}/dashboard/`);
    await page.waitForSelector('#login-form', { state: 'visible' });
    await shot(page, args.artifacts, '01-login');
    await page.fill('#login-username', 'boss');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-submit');
    await page.waitForSelector('#login-error:not([hidden])');
    check(/wrong user name or password/i.test(await page.textContent('#login-error')), 'a wrong password is refused with a clear message');
    check(await page.isHidden('#app'), 'no dashboard is shown without a session');
    await page.fill('#login-password', adminPass);
    const overviewResponse = page.waitForResponse((r) => r.url().includes('/api/overview?'));
    await page.click('#login-submit');
    await page.waitForSelector('#page[data-page="overview"][data-ready]');
    check((await page.textContent('#user-name')).trim() === 'boss', 'signed in as boss; the shell shows the user');

    // 2. overview NPS equals the API's figure
    step('overview NPS against the API');
    const pageApiUrl = new URL((await overviewResponse).url());
    const apiOverview = await api(pageApiUrl.pathname + pageApiUrl.search);
    check(apiOverview.nps && apiOverview.nps.suppressed === false && apiOverview.nps.n >= apiOverview.min_n,
      `the seeded store has enough NPS answers (n = ${apiOverview.nps && apiOverview.nps.n})`);
    const npsNode = page.locator('[data-testid="kpi-nps-value"]');
    const shownNps = parseSigned(await npsNode.textContent());
    check(Math.abs(shownNps - apiOverview.nps.value) < 0.05 + 1e-9,
      `overview shows NPS ${await npsNode.textContent()} = API ${apiOverview.nps.value.toFixed(2)}`);
    const meta = await page.textContent('[data-testid="kpi-nps"] .kpi-meta');
    check(meta.includes(`n = ${apiOverview.nps.n.toLocaleString('en-US')}`), `the NPS card states n = ${apiOverview.nps.n}`);
    check(meta.includes('95% CI'), 'the NPS card states its 95% confidence interval');
    const fromDefault = pageApiUrl.searchParams.get('from'), toDefault = pageApiUrl.searchParams.get('to');
    const independent = await api(`/api/overview?from=${fromDefault}&to=${toDefault}&period=week`);
    check(independent.nps.value === apiOverview.nps.value, 'a fresh API call for the same 90 days gives the same NPS');
    const trendPoints = await page.locator('[data-testid="kpi-nps"]').count();
    check(trendPoints === 1 && (await page.locator('svg.chart').count()) >= 3, 'the overview draws its three trend charts');
    await shot(page, args.artifacts, '02-overview');

    // A figure below min n reads "not enough responses" with its n, never a number:
    // reps over the last 7 days have only a handful of calls each.
    const repsResponse = page.waitForResponse((r) => r.url().includes('/api/breakdown?') && r.url().includes('by=rep'));
    await gotoPage(page, base, '#/team?range=7');
    const repsUrl = new URL((await repsResponse).url());
    const reps = await api(repsUrl.pathname + repsUrl.search);
    const sparseRep = reps.rows.find((r) => r.ces && r.ces.suppressed && r.ces.n > 0);
    check(!!sparseRep, `a rep has fewer than ${apiOverview.min_n} CES answers in 7 days (${sparseRep && sparseRep.key}: n = ${sparseRep && sparseRep.ces.n})`);
    check(sparseRep.ces.value === null, 'the API gives no value for it');
    const repRow = page.locator(`[data-testid="reps-table"] tbody tr[data-key="${sparseRep.key}"]`);
    const cesCell = (await repRow.locator('td').last().textContent()).trim();
    check(cesCell.startsWith('not enough responses') && cesCell.includes(`n = ${sparseRep.ces.n}`) && !/\d\.\d/.test(cesCell),
      `the page shows "${cesCell}" for it, not a number`);
    await shot(page, args.artifacts, '04b-team-7-days');

    // 3. every page (admin) renders, screenshots
    step('every page renders');
    const pages = [['sites', '03-sites'], ['team', '04-team'], ['drivers', '05-drivers'], ['stories', '06-stories'],
      ['followups', '07-followups'], ['devices', '08-devices'], ['users', '09-users']];
    for (const [route, name] of pages) {
      await gotoPage(page, base, `#/${route}`);
      check(!(await page.locator('#page .notice-danger').count()), `${route}: loaded without an error notice`);
      check(await page.isVisible('#csv-link'), `${route}: has a Download CSV link`);
      await shot(page, args.artifacts, name);
    }
    await gotoPage(page, base, '#/drivers');
    check((await page.locator('svg.chart circle').count()) >= 3, 'drivers: the quadrant chart plots the drivers');
    await gotoPage(page, base, '#/overview?period=month');
    check(await page.isVisible('[data-period="month"][aria-pressed="true"]'), 'overview: the period filter switches to months');

    // 4. publish a hero story
    step('publish a hero story');
    await gotoPage(page, base, '#/stories?state=new');
    const storyCard = page.locator('article.story[data-state="new"]').first();
    check(await storyCard.count() === 1, 'there is a new story to review');
    const storyId = await storyCard.getAttribute('data-story-id');
    const storyText = await storyCard.locator('.story-quote').textContent();
    let before = await readyToken(page);
    const moderate = page.waitForRequest((r) => r.url().includes(`/moderate`) && r.method() === 'POST');
    await storyCard.locator('button[data-action="published"]').click();
    const moderateReq = await moderate;
    check(!!moderateReq.headers()['x-csrf-token'], 'the publish request carries X-CSRF-Token');
    await waitRerender(page, before);
    const published = await api('/api/stories?state=published&limit=500');
    check(published.stories.some((s) => s.story_id === storyId && s.state === 'published'), `story ${storyId} is published on the server`);
    await gotoPage(page, base, '#/stories?state=published');
    const onWall = page.locator(`article.story[data-story-id="${storyId}"]`);
    check(await onWall.count() === 1 && (await onWall.locator('.story-quote').textContent()) === storyText, 'the story is on the wall, its text as the customer wrote it');
    await shot(page, args.artifacts, '10-stories-wall');
    const noCsrf = await context.request.post(`${base}/api/stories/${encodeURIComponent(storyId)}/moderate`, { data: { state: 'hidden' } });
    check(noCsrf.status() === 403, `a moderation POST without the CSRF token is refused (${noCsrf.status()})`);
    const still = await api('/api/stories?state=published&limit=500');
    check(still.stories.some((s) => s.story_id === storyId), 'and the story stays published');

    // 5. close a follow-up
    step('close a follow-up');
    await gotoPage(page, base, '#/followups');
    const fu = page.locator('article.fu[data-state="open"]').first();
    check(await fu.count() === 1, 'there is an open follow-up');
    const fuId = await fu.getAttribute('data-followup-id');
    await fu.locator('.fu-head button').click();
    await fu.locator('form[data-form="note"] textarea').fill('Called back, left a voicemail.');
    before = await readyToken(page);
    await fu.locator('form[data-form="note"] button[type="submit"]').click();
    await waitRerender(page, before);
    await gotoPage(page, base, `#/followups/${encodeURIComponent(fuId)}`);
    const fu2 = page.locator(`article.fu[data-followup-id="${fuId}"]`);
    check(await fu2.locator('.fu-body').isVisible(), 'a deep link #/followups/<id> opens that follow-up');
    check((await fu2.locator('.notes').textContent()).includes('Called back, left a voicemail.'), 'the note added from the page is listed');
    await shot(page, args.artifacts, '11-followup-detail');
    const closeNote = 'Refunded the order; customer happy. <b>not markup</b>';
    await fu2.locator('form[data-form="close"] textarea').fill(closeNote);
    before = await readyToken(page);
    const closeReq = page.waitForRequest((r) => r.url().endsWith('/close') && r.method() === 'POST');
    await fu2.locator('form[data-form="close"] button[type="submit"]').click();
    check(!!(await closeReq).headers()['x-csrf-token'], 'the close request carries X-CSRF-Token');
    await waitRerender(page, before);
    const closed = await api(`/api/followups/${encodeURIComponent(fuId)}`);
    check(closed.state === 'closed' && closed.close_note === closeNote && closed.closed_by === 'boss', 'the follow-up is closed on the server with the note, by boss');
    // The page re-rendered on the same deep link: the closed follow-up is fetched by id and shown.
    const closedNote = page.locator(`article.fu[data-followup-id="${fuId}"] .fu-closed-note`);
    check((await closedNote.textContent()) === closeNote, 'the closing note shows as plain text');
    await shot(page, args.artifacts, '12-followup-closed');

    // 5b. assign an owner and a past due time: the follow-up becomes overdue and stands out
    step('overdue follow-up');
    await gotoPage(page, base, '#/followups');
    const other = page.locator('article.fu[data-state="open"]').first();
    const otherId = await other.getAttribute('data-followup-id');
    await other.locator('.fu-head button').click();
    // The seed's older follow-ups are overdue already (their records are weeks old);
    // a due time before all of them puts this one first in both lists.
    const overdueCount = (await api('/api/followups?state=open&limit=1')).counts.overdue;
    check(overdueCount > 0, `the seeded store has overdue follow-ups (${overdueCount}), as a real one would`);
    const longAgo = new Date(Date.now() - 400 * 86400e3).toISOString().slice(0, 16);
    await other.locator('form[data-form="assign"] input[name="owner"]').fill('boss');
    await other.locator('form[data-form="assign"] input[name="due_at"]').fill(longAgo);
    before = await readyToken(page);
    await other.locator('form[data-form="assign"] button[type="submit"]').click();
    await waitRerender(page, before);
    const assigned = await api(`/api/followups/${encodeURIComponent(otherId)}`);
    check(assigned.owner === 'boss' && assigned.overdue === true && assigned.due_at.startsWith(longAgo), `assigned to boss, due ${assigned.due_at}: overdue on the server`);
    await gotoPage(page, base, '#/followups?state=overdue');
    const overdueItem = page.locator(`article.fu.overdue[data-followup-id="${otherId}"]`);
    check(await overdueItem.count() === 1, 'it is listed under Overdue, highlighted');
    check((await overdueItem.locator('.fu-due').last().textContent()).startsWith('Overdue by'), 'it says "Overdue by ..."');
    await gotoPage(page, base, '#/followups');
    check((await page.locator('article.fu').first().getAttribute('data-followup-id')) === otherId, 'overdue follow-ups come first in the Open list');
    await shot(page, args.artifacts, '12b-followups-overdue');

    // 6. CSV download of the Sites page
    step('download CSV');
    await gotoPage(page, base, '#/sites');
    const csvHref = await page.getAttribute('#csv-link', 'href');
    const sitesApi = await api(csvHref.replace('format=csv', 'format=json'));
    const downloadEvent = page.waitForEvent('download');
    await page.click('#csv-link');
    const download = await downloadEvent;
    const csvPath = path.join(downloads, download.suggestedFilename());
    await download.saveAs(csvPath);
    fs.copyFileSync(csvPath, path.join(args.artifacts, download.suggestedFilename()));
    const csv = parseCsv(fs.readFileSync(csvPath, 'utf8')).filter((r) => r.length > 1 || r[0] !== '');
    const hrefParams = new URL(csvHref, base).searchParams;
    check(download.suggestedFilename().startsWith('breakdown') && download.suggestedFilename().endsWith(`-${hrefParams.get('from')}-${hrefParams.get('to')}.csv`),
      `the file is named after the page and its dates: ${download.suggestedFilename()}`);
    check(csv[0].join(',') === 'key,label,responses,nps,nps_n,nps_ci_low,nps_ci_high,csat,csat_n,ces,ces_n', 'the CSV header is the documented one');
    const tableKeys = await page.locator('[data-testid="sites-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.key));
    check(csv.length - 1 === tableKeys.length && tableKeys.length === sitesApi.rows.length, `the CSV has one row per site on the page (${tableKeys.length})`);
    for (const apiRow of sitesApi.rows) {
      const row = csv.find((r) => r[0] === apiRow.key);
      check(!!row, `CSV has site ${apiRow.key}`);
      check(Number(row[2]) === apiRow.responses, `${apiRow.key}: responses ${row[2]} = API ${apiRow.responses}`);
      if (apiRow.nps.suppressed) check(row[3] === '' && Number(row[4]) === apiRow.nps.n, `${apiRow.key}: suppressed NPS is an empty cell with n`);
      else check(Math.abs(Number(row[3]) - apiRow.nps.value) < 0.01 && Number(row[4]) === apiRow.nps.n, `${apiRow.key}: NPS ${row[3]} (n ${row[4]}) = API`);
    }

    // 7. a site manager sees only their site
    step('site manager scope');
    await logout(page);
    check(await page.isVisible('#login-form'), 'signed out: back on the login page');
    const after = await context.request.get(`${base}/api/overview`);
    check(after.status() === 401, 'after signing out the API answers 401');
    await login(page, base, 'ana', anaPass);
    check((await page.textContent('#user-role')).includes('site-01'), 'ana is shown as the site manager of site-01');
    check(await page.locator('#nav a[data-page="users"]').count() === 0, 'no Users page for a site manager');
    check((await page.locator('#filter-site option').count()) === 1, 'the site filter offers only her site');
    await shot(page, args.artifacts, '13-site-manager-overview');
    const anaSites = await api('/api/sites');
    check(anaSites.sites.length === 1 && anaSites.sites[0].site_id === 'site-01', 'GET /api/sites lists only site-01');
    const denied = await context.request.get(`${base}/api/overview?site=site-02`);
    check(denied.status() === 403, `asking for site-02 is refused (${denied.status()})`);
    await gotoPage(page, base, '#/sites');
    const anaKeys = await page.locator('[data-testid="sites-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.key));
    check(anaKeys.length === 1 && anaKeys[0] === 'site-01', 'the Sites page shows only site-01');
    await shot(page, args.artifacts, '14-site-manager-sites');
    await gotoPage(page, base, '#/stories?state=all');
    const storySites = await page.locator('article.story').evaluateAll((cards) => cards.map((c) => c.dataset.site));
    check(storySites.length > 0 && storySites.every((s) => s === 'site-01'), `all ${storySites.length} stories she sees are from site-01`);
    await gotoPage(page, base, '#/followups?state=all');
    const fuSites = await page.locator('article.fu').evaluateAll((cards) => cards.map((c) => c.dataset.site));
    check(fuSites.every((s) => s === 'site-01'), `all ${fuSites.length} follow-ups she sees are from site-01`);
    before = await readyToken(page);
    await page.goto(`${base}/dashboard/#/users`);  // not hers: falls back to the overview
    await waitRerender(page, before);
    check((await page.getAttribute('#page', 'data-page')) === 'overview', 'the Users route falls back to the Overview for her');

    step('no script errors, CSP violations or failed requests');
    check(problems.length === 0, problems.length ? `problems:\n    ${problems.join('\n    ')}` : 'the browser reported none');
    console.log(`\nPASS: ${checks} checks; screenshots in ${args.artifacts}`);
  } catch (e) {
    console.error(`\nFAIL: ${e.stack || e.message}`);
    if (problems.length) console.error(`browser problems:\n  ${problems.join('\n  ')}`);
    if (server) console.error(`server stderr (tail):\n${server.stderr().split('\n').slice(-30).join('\n')}`);
    try {
      const p = context && context.pages()[0];
      if (p) await p.screenshot({ path: path.join(args.artifacts, 'failure.png'), fullPage: true });
    } catch (_) { /* best effort */ }
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

function isoDayOffset(day, delta) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

main();
