// The meeting stage: one poll's status and each member's position, as on its card, refreshed every few seconds.
'use strict';
(() => {
  const teams = window.microsoftTeams;
  const params = new URLSearchParams(window.location.search);
  const state = { token: undefined, localUser: params.get('as') || '' };
  const byId = (id) => document.getElementById(id);
  const withTimeout = (promise, ms) => Promise.race([promise, new Promise((_r, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);

  async function connectToTeams() {
    if (!teams) return;
    try {
      await withTimeout(teams.app.initialize(), 1500);
      state.token = await teams.authentication.getAuthToken();
      teams.app.notifySuccess();
    } catch { /* local mode */ }
  }

  async function load() {
    const headers = Object.assign({}, state.token ? { Authorization: `Bearer ${state.token}` } : {}, state.localUser ? { 'X-Concord-Local-User': state.localUser } : {});
    const response = await fetch(`../api/meeting/polls/${encodeURIComponent(params.get('poll') || '')}`, { headers });
    const body = await response.json();
    if (!response.ok) {
      byId('status').textContent = body.error || `Error ${response.status}`;
      return;
    }
    byId('agenda').textContent = body.agendaText;
    byId('title').textContent = body.title;
    byId('state').textContent = body.statusText;
    byId('counts').textContent = body.countsText;
    // Who was in the meeting when the chair marked the poll's agenda item "Now" (empty if never marked).
    byId('item-attendance').textContent = body.itemAttendanceText;
    byId('positions').replaceChildren(...body.positions.map((position) => {
      const entry = document.createElement('li');
      entry.textContent = `${position.name}: ${position.state}`;
      return entry;
    }));
  }

  connectToTeams().then(load).then(() => setInterval(() => load().catch(() => undefined), 5000)).catch((error) => { byId('status').textContent = error.message; });
})();
