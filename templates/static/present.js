/* present.js: the presenter view and the facilitator's console stay live.
 * Twice a second it reads the session's live JSON; when anything in it
 * changed it fetches the page's live part as HTML from the server (the one
 * renderer) and swaps it in, unless the facilitator is using a control in
 * it right then.  On the projector it then makes sure the view fits the
 * screen: the layout (poll.css) fits the usual questions by itself, and when
 * a long question or many answers would still make the page scroll, the
 * type shrinks step by step (--fit) until nothing does. */
(function () {
  'use strict';
  var el = document.querySelector('[data-live]');
  if (!el || !window.fetch) return;
  var last = null;
  var busy = false;

  function get(url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : null; });
  }

  function swap(html) {
    var a = document.activeElement;
    if (html === null) return;
    if (a && a !== document.body && el.contains(a)) { last = null; return; }
    el.innerHTML = html;
    fit();
  }

  function fit() {
    var d = document.documentElement;
    var f = 1;
    if (!document.body.classList.contains('present')) return;
    el.style.setProperty('--fit', '1');
    while (f > 0.55 && (d.scrollHeight > window.innerHeight || d.scrollWidth > window.innerWidth)) {
      f -= 0.05;
      el.style.setProperty('--fit', f.toFixed(2));
    }
  }

  function tick() {
    if (busy) return;
    busy = true;
    get(el.getAttribute('data-live'))
      .then(function (t) {
        if (t === null || t === last) return null;
        last = t;
        return get(el.getAttribute('data-frag')).then(swap);
      })
      .catch(function () { last = null; })
      .then(function () { busy = false; });
  }
  fit();
  window.addEventListener('resize', fit);
  setInterval(tick, 500);
}());
