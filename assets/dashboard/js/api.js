// JSON API client for the dashboard (contract: docs/dashboard-api.md).
// Keeps the CSRF token in memory only (never localStorage) and sends it as
// X-CSRF-Token on every state change. A 401 from any call (other than the
// login itself) means the session is gone: the onUnauthorized hook shows the
// login page again.

let csrfToken = '';
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function setCsrfToken(token) { csrfToken = token || ''; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// Builds "/api/<path>?k=v" from a params object, skipping empty values.
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    query.set(key, String(value));
  }
  const qs = query.toString();
  return '/api/' + path + (qs ? '?' + qs : '');
}

async function readError(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') message = body.error;
  } catch (_) { /* not JSON: keep the status line */ }
  return new ApiError(response.status, message);
}

export async function get(path, params = {}) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' },
    });
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 401) {
    onUnauthorized();
    throw await readError(response);
  }
  if (!response.ok) throw await readError(response);
  return response.json();
}

// POST with a JSON body and the CSRF token (every state change).
export async function post(path, body = {}, { isLogin = false } = {}) {
  const headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response;
  try {
    response = await fetch(apiUrl(path), {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (response.status === 401 && !isLogin) {
    onUnauthorized();
    throw await readError(response);
  }
  if (!response.ok) throw await readError(response);
  return response.json();
}
