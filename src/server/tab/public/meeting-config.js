// Configuration page for the meeting tab: nothing to choose, so it is valid at once and saves the side panel's address.
'use strict';
(async () => {
  const teams = window.microsoftTeams;
  if (!teams) return;
  await teams.app.initialize();
  teams.pages.config.registerOnSaveHandler((saveEvent) => {
    const base = new URL('meeting', window.location.href).href;
    teams.pages.config.setConfig({ entityId: 'concord-meeting', contentUrl: base, websiteUrl: base, suggestedDisplayName: 'Concord' })
      .then(() => saveEvent.notifySuccess(), (error) => saveEvent.notifyFailure(String(error)));
  });
  teams.pages.config.setValidityState(true);
})();
