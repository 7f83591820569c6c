/* poll.js: a participant's phone follows the facilitator.  Once a second it
 * asks the session's tiny state endpoint where the room is, and reloads the
 * page when the question, its lock, the session or (while waiting for
 * statements) the number of approved statements changed.  Without it, the
 * waiting pages refresh themselves and carry a Refresh button. */
(function () {
  'use strict';
  var el = document.getElementById('poll');
  if (!el || !window.fetch || el.getAttribute('data-open') !== '1') return;
  var url = el.getAttribute('data-state');

  function differs(s) {
    var nst = el.getAttribute('data-nst');
    return String(s.open ? 1 : 0) !== el.getAttribute('data-open') ||
      String(s.q) !== el.getAttribute('data-q') ||
      String(s.locked ? 1 : 0) !== el.getAttribute('data-locked') ||
      (nst !== null && s.nst !== undefined && String(s.nst) !== nst);
  }

  function tick() {
    fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s && differs(s)) location.replace(location.pathname); })
      .catch(function () { /* bad Wi-Fi: try again next second */ });
  }
  setInterval(tick, 1000);
}());
