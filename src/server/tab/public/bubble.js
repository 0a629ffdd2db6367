// The in-meeting bubble: one poll, and buttons for the member(s) this person represents. Plain
// browser JavaScript (the page's CSP forbids inline script); user text goes in with textContent only.
'use strict';

(() => {
  // teams-connect.js: TeamsJS, the SSO token and the request headers, shared with the other meeting pages.
  const { connect, headers } = window.concordTeams;
  const byId = (id) => document.getElementById(id);
  const pollId = new URLSearchParams(window.location.search).get('poll') || '';
  const showStatus = (text) => { byId('status').textContent = text; };

  async function load() {
    const response = await fetch(`../api/meeting/polls/${encodeURIComponent(pollId)}`, { headers: headers({}) });
    const body = await response.json();
    if (!response.ok) {
      byId('title').textContent = 'This poll cannot be shown';
      showStatus(body.error || `Error ${response.status}`);
      return;
    }
    byId('agenda').textContent = body.agendaText;
    byId('title').textContent = body.title;
    byId('proposal').textContent = body.proposal;
    if (!body.isOpen) {
      showStatus('This poll is closed. The result is on the card in the meeting chat.');
      return;
    }
    if (body.organisations.length === 0) {
      showStatus('You are not listed as a representative of a member, so there is nothing for you to record.');
      return;
    }
    const select = byId('organisation');
    select.replaceChildren(...body.organisations.map((organisation) => {
      const option = document.createElement('option');
      option.value = organisation.organisationId;
      option.textContent = organisation.name;
      return option;
    }));
    byId('for-label').hidden = body.organisations.length < 2;
    byId('position').hidden = false;
  }

  async function record(position) {
    showStatus('Recording…');
    const response = await fetch(`../api/meeting/polls/${encodeURIComponent(pollId)}/position`, {
      method: 'POST',
      headers: headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify({ positionValue: position, organisationId: byId('organisation').value || undefined }),
    });
    const body = await response.json();
    showStatus(response.ok ? body.message : (body.error || `Error ${response.status}`));
  }

  byId('position').addEventListener('submit', (event) => {
    event.preventDefault();
    const position = event.submitter && event.submitter.value;
    if (position) record(position).catch((error) => showStatus(`Something went wrong: ${error.message}`));
  });

  connect().then(load).catch((error) => showStatus(`Something went wrong: ${error.message}`));
})();
