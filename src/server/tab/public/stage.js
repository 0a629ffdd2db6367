// The meeting stage: one poll's status and each member's position, as on its card, refreshed every few seconds.
'use strict';
(() => {
  // teams-connect.js: TeamsJS, the SSO token and the request headers, shared with the other meeting pages.
  const { connect, headers } = window.concordTeams;
  const params = new URLSearchParams(window.location.search);
  const byId = (id) => document.getElementById(id);

  async function load() {
    const response = await fetch(`../api/meeting/polls/${encodeURIComponent(params.get('poll') || '')}`, { headers: headers({}) });
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

  connect().then(load).then(() => setInterval(() => load().catch(() => undefined), 5000)).catch((error) => { byId('status').textContent = error.message; });
})();
