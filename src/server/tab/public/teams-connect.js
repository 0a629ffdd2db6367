// Shared by the meeting pages (side panel, bubble, stage), loaded before each page's own script:
// starts TeamsJS, fetches the Teams SSO token, and builds the headers the meeting API reads.
// Plain browser JavaScript (the pages' CSP forbids inline script).
'use strict';

window.concordTeams = (() => {
  const TEAMS_INIT_TIMEOUT_MS = 1500;
  const teams = window.microsoftTeams;
  // Local mode only (the server ignores it once Teams sign-in is on): who is looking, from ?as=.
  const localUser = new URLSearchParams(window.location.search).get('as') || '';
  const session = { teams, token: undefined, context: undefined, inTeams: false };
  const withTimeout = (promise, ms) => Promise.race([promise, new Promise((_r, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);

  /**
   * Outside Teams, app.initialize() never answers (or fails): after a short wait the page carries
   * on in local mode, with no token. `withContext` also reads the Teams context (the meeting chat).
   */
  async function connect(options) {
    if (!teams) return session;
    try {
      await withTimeout(teams.app.initialize(), TEAMS_INIT_TIMEOUT_MS);
      if (options && options.withContext) {
        session.context = await teams.app.getContext();
        session.inTeams = true;
      }
      session.token = await teams.authentication.getAuthToken();
      teams.app.notifySuccess();
    } catch {
      // Outside Teams (local mode): ?as= (and ?chat= on the side panel) name the person and meeting.
    }
    return session;
  }

  function headers(extra) {
    const result = Object.assign({}, extra);
    if (session.token) result.Authorization = `Bearer ${session.token}`;
    if (localUser) result['X-Concord-Local-User'] = localUser;
    return result;
  }

  return { connect, headers, session };
})();
