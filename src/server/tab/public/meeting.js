// The meeting side panel: the agenda posted in this meeting's chat, with running times, decision
// items marked, the chair's "Now" marker and each decision's poll status, refreshed every few seconds.
// User text goes in with textContent only.
'use strict';

(() => {
  const REFRESH_MS = 5000;
  // teams-connect.js: TeamsJS, the SSO token and the request headers, shared with the other meeting pages.
  const { connect, headers, session } = window.concordTeams;
  const teams = session.teams;
  const state = { chat: new URLSearchParams(window.location.search).get('chat') || '' };
  const byId = (id) => document.getElementById(id);
  const showStatus = (text) => { byId('status').textContent = text; };

  /** In Teams the meeting chat comes from the context; outside it (local mode), from ?chat=. */
  async function connectToTeams() {
    await connect({ withContext: true });
    state.chat = (session.context && session.context.chat && session.context.chat.id) || state.chat;
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function render(panel) {
    byId('title').textContent = `${panel.title} · ${panel.date}`;
    byId('now').hidden = !panel.now;
    byId('now').textContent = panel.now ? `Now: ${panel.now}` : '';
    byId('items').replaceChildren(...panel.items.map((item) => {
      const entry = element('li', undefined, item.ref === panel.now ? 'now' : '');
      entry.dataset.ref = item.ref;
      entry.append(element('strong', `${item.time} ${item.ref} `), document.createTextNode(item.title));
      if (item.isDecision) entry.append(element('span', ' For decision', 'status-badge'));
      if (item.lead) entry.append(element('div', `Lead: ${item.lead}`, 'muted'));
      // Who was in the meeting when the chair first marked the item "Now" (stored with the move).
      if (item.attendanceText) entry.append(element('div', `At the start: ${item.attendanceText}`, 'muted attendance'));
      if (item.poll) {
        const poll = element('div', item.poll.statusText, 'poll-status');
        entry.append(poll);
        if (panel.isChair && session.inTeams && teams.meeting) {
          const share = element('button', 'Show on stage');
          share.type = 'button';
          share.dataset.stagePoll = item.poll.pollId;
          entry.append(share);
        }
      }
      if (panel.isChair) {
        const now = element('button', 'Now');
        now.type = 'button';
        now.dataset.nowRef = item.ref;
        now.dataset.agendaId = panel.agendaId;
        entry.append(now);
      }
      return entry;
    }));
  }

  async function load() {
    const response = await fetch(`../api/meeting/agenda?chat=${encodeURIComponent(state.chat)}`, { headers: headers({}) });
    const body = await response.json();
    if (!response.ok) {
      showStatus(body.error || `Error ${response.status}`);
      return;
    }
    showStatus('');
    render(body);
  }

  async function setNow(agendaId, itemRef) {
    const response = await fetch(`../api/meeting/agenda/${encodeURIComponent(agendaId)}/now`, {
      method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify({ itemRef }),
    });
    const body = await response.json();
    await load();
    // After the reload, which clears the status line: a refusal (400 not on the agenda, 403 not the chair) stays visible.
    if (!response.ok) showStatus(body.message || body.error);
  }

  byId('items').addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const nowButton = target && target.closest('button[data-now-ref]');
    if (nowButton) setNow(nowButton.dataset.agendaId, nowButton.dataset.nowRef).catch((error) => showStatus(error.message));
    const stageButton = target && target.closest('button[data-stage-poll]');
    if (stageButton) {
      // Teams shows the stage page to everyone in the meeting (Microsoft Learn, "Share app content to stage").
      const url = new URL(`stage?poll=${encodeURIComponent(stageButton.dataset.stagePoll)}`, window.location.href).href;
      teams.meeting.shareAppContentToStage((error) => showStatus(error ? `Could not share to the stage: ${error.message || error}` : 'Shown on the meeting stage.'), url);
    }
  });

  connectToTeams().then(load).then(() => setInterval(() => load().catch(() => undefined), REFRESH_MS)).catch((error) => showStatus(error.message));
})();
