/* poll.js: a participant's phone follows the facilitator.  Once a second it
 * asks the session's tiny state endpoint where the room is, and reloads the
 * page when the question, its lock, the session or (while waiting for
 * statements) the number of approved statements changed.  Without it, the
 * waiting pages refresh themselves and carry a button that checks.
 *
 * An answer is sent with fetch rather than by the browser, so that a dropped
 * connection does not lose it behind the browser's error page: the answer is
 * kept (also in sessionStorage, in case the page is reloaded), the phone says
 * it is not sent yet, and it is sent again when the connection returns.  The
 * server keeps one vote per participant, question and statement, so a
 * resend counts once.  Any answer the server does not take with a redirect
 * (a form error, say) is sent again the ordinary way, to show its page. */
(function () {
  'use strict';
  var el = document.getElementById('poll');
  if (!el || !window.fetch || el.getAttribute('data-open') !== '1') return;
  var url = el.getAttribute('data-state');
  var key = 'voices-poll-unsent:' + location.pathname;
  var pending = null;	/* { action, body } of the answer not sent yet */
  var sending = false;

  function differs(s) {
    var nst = el.getAttribute('data-nst');
    return String(s.open ? 1 : 0) !== el.getAttribute('data-open') ||
      String(s.q) !== el.getAttribute('data-q') ||
      String(s.locked ? 1 : 0) !== el.getAttribute('data-locked') ||
      (nst !== null && s.nst !== undefined && String(s.nst) !== nst);
  }

  function tick() {
    if (pending) { send(); return; }
    fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s && !pending && differs(s)) location.replace(location.pathname); })
      .catch(function () { /* bad Wi-Fi: try again next second */ });
  }

  function keep(p) {
    pending = p;
    try {
      if (p) sessionStorage.setItem(key, JSON.stringify(p));
      else sessionStorage.removeItem(key);
    } catch (e) { /* private mode: kept in this page only */ }
  }

  function notice(text) {
    var n = document.getElementById('poll-unsent');
    if (!n) {
      n = document.createElement('div');
      n.id = 'poll-unsent';
      n.className = 'privacy unsent';
      n.setAttribute('role', 'status');
      n.appendChild(document.createElement('p'));
      el.insertBefore(n, el.firstChild);
    }
    n.firstChild.textContent = text;
  }

  /* The ordinary POST, for an answer whose page the server must show. */
  function post(p) {
    var f = document.createElement('form');
    f.method = 'post';
    f.action = p.action;
    f.hidden = true;
    p.body.forEach(function (kv) {
      var i = document.createElement('input');
      i.type = 'hidden';
      i.name = kv[0];
      i.value = kv[1];
      f.appendChild(i);
    });
    document.body.appendChild(f);
    HTMLFormElement.prototype.submit.call(f);
  }

  function send() {
    if (!pending || sending) return;
    var p = pending;
    var body = new URLSearchParams();
    p.body.forEach(function (kv) { body.append(kv[0], kv[1]); });
    sending = true;
    fetch(p.action, { method: 'POST', body: body, credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        keep(null);
        if (r.redirected && r.ok) location.assign(r.url);
        else post(p);
      })
      .catch(function () {
        notice(el.getAttribute('data-unsent') || 'Not sent yet');
      })
      .then(function () { sending = false; });
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!el.contains(form) || (form.method || '').toLowerCase() !== 'post') return;
    var body = [];
    new FormData(form).forEach(function (v, k) { if (typeof v === 'string') body.push([k, v]); });
    if (ev.submitter && ev.submitter.name) body.push([ev.submitter.name, ev.submitter.value]);
    ev.preventDefault();
    keep({ action: form.action, body: body });
    send();
  });
  window.addEventListener('online', send);

  try { pending = JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { pending = null; }
  if (pending) send();
  setInterval(tick, 1000);
}());
