// Starts teams-js (served from /tab/teams-js.js) and says where the page is running. Outside
// Teams, app.initialize() rejects at once (top window) or never settles (another frame), so it
// gets five seconds before the page shows its note.
(function () {
  'use strict';
  var status = document.getElementById('status');
  var outside =
    'This page belongs to the MFA Helper app in Microsoft Teams. Open the app in Teams to see ' +
    'the dashboard.';

  function show(text) {
    status.textContent = text;
  }

  function applyTheme(theme) {
    document.body.setAttribute('data-theme', theme || 'default');
  }

  var teams = window.microsoftTeams;
  if (!teams || !teams.app) {
    show(outside);
    return;
  }
  var timeout = new Promise(function (_resolve, reject) {
    setTimeout(function () {
      reject(new Error('Teams did not answer'));
    }, 5000);
  });
  Promise.race([teams.app.initialize(), timeout])
    .then(function () {
      return teams.app.getContext();
    })
    .then(function (context) {
      applyTheme(context.app && context.app.theme);
      teams.app.registerOnThemeChangeHandler(applyTheme);
      var name = context.user && context.user.displayName;
      show(name ? 'Signed in to Teams as ' + name + '.' : 'Connected to Microsoft Teams.');
    })
    .catch(function () {
      show(outside);
    });
})();
