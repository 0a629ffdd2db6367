// The decision register tab. Plain browser JavaScript, loaded as a file (the page's
// Content-Security-Policy forbids inline script). Every piece of user text is put in the page with
// textContent, never parsed as HTML: titles, proposals and reasons are typed by people in Teams.
'use strict';

(() => {
  /** Outside Teams, app.initialize() never answers (or fails): wait this long, then carry on as a plain page. */
  const TEAMS_INIT_TIMEOUT_MS = 1500;
  const API = '../api/register';

  const state = { inTeams: false, token: undefined, listSequence: 0 };
  const teams = window.microsoftTeams;
  const byId = (id) => document.getElementById(id);

  const withTimeout = (promise, ms) => Promise.race([
    promise,
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error('timed out')), ms)),
  ]);

  function showStatus(text) {
    byId('status').textContent = text;
  }

  function applyTheme(theme) {
    document.body.dataset.theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  }

  async function refreshToken() {
    try {
      // TeamsJS caches the token and renews it before it expires.
      state.token = await teams.authentication.getAuthToken();
    } catch (error) {
      state.token = undefined;
      showStatus(`Teams could not sign you in (${error && error.message ? error.message : error}).`);
    }
  }

  async function connectToTeams() {
    if (!teams || !teams.app) return;
    try {
      await withTimeout(teams.app.initialize(), TEAMS_INIT_TIMEOUT_MS);
    } catch {
      return; // Not inside Teams: a plain web page (local mode answers this computer without a token).
    }
    state.inTeams = true;
    try {
      const context = await teams.app.getContext();
      applyTheme(context.app && context.app.theme);
    } catch {
      // Keep the default theme.
    }
    teams.app.registerOnThemeChangeHandler(applyTheme);
    if (teams.app.notifySuccess) teams.app.notifySuccess();
    await refreshToken();
  }

  function authHeaders() {
    return state.token ? { Authorization: `Bearer ${state.token}` } : {};
  }

  /** A GET to the register API with the SSO token; one retry with a fresh token after a 401. */
  async function apiFetch(path) {
    let response = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
    if (response.status === 401 && state.inTeams) {
      await refreshToken();
      response = await fetch(path, { headers: authHeaders(), cache: 'no-store' });
    }
    return response;
  }

  async function problemOf(response) {
    try {
      const body = await response.json();
      if (body && typeof body.error === 'string') return body.error;
    } catch {
      // Not JSON: fall through.
    }
    if (response.status === 401) return 'Open this tab in Teams to sign in.';
    return `The register did not answer (${response.status}).`;
  }

  /**
   * A UK date as typed (dd/mm/yyyy, or d/m/yyyy) as the API's YYYY-MM-DD. The boxes are text, not
   * type="date": a date input shows the browser's own locale (mm/dd/yyyy in a US-English browser),
   * and the register is read in the UK. Anything else is sent as typed, and the API says what is wrong.
   */
  function isoDate(text) {
    const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    return match ? `${match[3]}-${match[2].padStart(2, '0')}-${match[1].padStart(2, '0')}` : text;
  }

  /** The current filter as a query string; empty fields are left out. */
  function filterQuery() {
    const params = new URLSearchParams();
    for (const [name, id] of [['q', 'q'], ['from', 'from'], ['to', 'to']]) {
      const value = byId(id).value.trim();
      if (value) params.set(name, name === 'q' ? value : isoDate(value));
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  function cell(text) {
    const td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function renderList(body) {
    const tbody = document.querySelector('#outcomes tbody');
    const rows = body.outcomes.map((outcome) => {
      const row = document.createElement('tr');
      row.dataset.outcomeId = outcome.id;
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'link';
      open.textContent = outcome.title;
      const title = document.createElement('td');
      title.append(open);
      row.append(cell(outcome.reference), title, cell(outcome.view.statusText), cell(outcome.view.closedText));
      return row;
    });
    tbody.replaceChildren(...rows);
    byId('empty').hidden = rows.length > 0;
    const count = rows.length === 1 ? '1 outcome' : `${rows.length} outcomes`;
    showStatus(body.more ? `Showing the newest ${count}. Narrow the search to see older ones.` : count);
  }

  async function loadList() {
    // A slow answer to an earlier search must not replace a newer one.
    const sequence = ++state.listSequence;
    showStatus('Loading…');
    const response = await apiFetch(`${API}/outcomes${filterQuery()}`);
    if (sequence !== state.listSequence) return;
    if (!response.ok) {
      showStatus(await problemOf(response));
      return;
    }
    const body = await response.json();
    if (sequence === state.listSequence) renderList(body);
  }

  function fillList(id, items) {
    const list = byId(id);
    const entries = items.length > 0 ? items : ['None recorded.'];
    list.replaceChildren(...entries.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }));
  }

  function renderDetail(outcome) {
    byId('detail-heading').textContent = `${outcome.reference} · ${outcome.title}`;
    const status = byId('detail-status');
    status.textContent = outcome.view.statusText;
    status.dataset.status = outcome.status;
    byId('detail-proposal').textContent = outcome.proposal;
    byId('detail-facts').replaceChildren(...outcome.view.facts.flatMap((fact) => {
      const term = document.createElement('dt');
      term.textContent = fact.label;
      const detail = document.createElement('dd');
      detail.textContent = fact.text;
      return [term, detail];
    }));
    fillList('detail-positions', outcome.view.positions.map((position) => `${position.name}: ${position.state}`));
    byId('detail-explanation').textContent = outcome.view.explanation;
    fillList('detail-reasons', outcome.view.reasons);
    fillList('detail-actions', outcome.view.actions);
    byId('detail').hidden = false;
  }

  async function openOutcome(id) {
    // Fetched afresh: actions may have been added since the list was loaded.
    const response = await apiFetch(`${API}/outcomes/${encodeURIComponent(id)}`);
    if (!response.ok) {
      showStatus(await problemOf(response));
      return;
    }
    renderDetail(await response.json());
  }

  function filenameOf(response) {
    const match = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
    return match ? match[1] : 'concord-register.csv';
  }

  /** A plain link cannot carry the bearer token: fetch the file, then save it from a Blob. */
  async function download(path, preparing, nameOf) {
    showStatus(preparing);
    const response = await apiFetch(`${API}${path}`);
    if (!response.ok) {
      showStatus(await problemOf(response));
      return;
    }
    // blob(), not text(): text() would drop the byte order mark Excel needs.
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = nameOf(response);
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30_000);
    showStatus(`Downloaded ${link.download}.`);
  }

  function downloadCsv() {
    return download(`/export.csv${filterQuery()}`, 'Preparing the CSV…', filenameOf);
  }

  /** Draft minutes (.docx or .md) of one meeting, fetched with the token like the CSV. */
  function downloadMinutes(agendaId, format) {
    return download(`/minutes/${encodeURIComponent(agendaId)}?format=${format}`, 'Preparing the minutes…',
      (response) => filenameOf(response).replace(/\.csv$/, `.${format}`));
  }

  async function loadMeetings() {
    const response = await apiFetch(`${API}/meetings`);
    if (!response.ok) return;
    const { meetings } = await response.json();
    const list = byId('meeting-list');
    list.replaceChildren(...meetings.map((meeting) => {
      const entry = document.createElement('li');
      entry.append(document.createTextNode(`${meeting.date} · ${meeting.title} `));
      for (const format of ['docx', 'md']) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = format === 'docx' ? 'Word' : 'Markdown';
        button.dataset.agendaId = meeting.agendaId;
        button.dataset.format = format;
        entry.append(button, document.createTextNode(' '));
      }
      return entry;
    }));
    byId('meetings-empty').hidden = meetings.length > 0;
  }

  const reportFailure = (error) => showStatus(`Something went wrong: ${error && error.message ? error.message : error}`);

  async function start() {
    byId('filter').addEventListener('submit', (event) => {
      event.preventDefault();
      loadList().catch(reportFailure);
    });
    byId('download').addEventListener('click', () => {
      downloadCsv().catch(reportFailure);
    });
    document.querySelector('#outcomes tbody').addEventListener('click', (event) => {
      const row = event.target instanceof Element ? event.target.closest('tr[data-outcome-id]') : null;
      if (row) openOutcome(row.dataset.outcomeId).catch(reportFailure);
    });
    byId('meeting-list').addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-agenda-id]') : null;
      if (button) downloadMinutes(button.dataset.agendaId, button.dataset.format).catch(reportFailure);
    });
    await connectToTeams();
    await loadList();
    await loadMeetings();
  }

  start().catch(reportFailure);
})();
