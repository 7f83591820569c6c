/* The respondent's pages: what JavaScript adds to pages that work without it.
 * "Leave this page quickly" replaces this page in the history (so Back does
 * not return to the survey) and clears what a page script can clear; the
 * error summary takes focus, and its links put focus in the field. */
(function () {
  "use strict";
  function leave(ev) {
    var a = ev.currentTarget;
    ev.preventDefault();
    try { window.sessionStorage.clear(); } catch (e) { /* blocked: nothing to clear */ }
    try { window.localStorage.clear(); } catch (e) { /* blocked: nothing to clear */ }
    document.title = "";
    document.body.textContent = "";
    window.location.replace(a.href);
  }
  function focusField(ev) {
    var id = ev.currentTarget.getAttribute("href").slice(1);
    var el = document.getElementById(id);
    if (el === null) return;
    ev.preventDefault();
    el.focus();
    var q = el.closest(".grid-row, .question");	/* a grid's own row, else the question */
    (q || el).scrollIntoView({ block: "start" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var exit = document.getElementById("quick-exit");
    var summary = document.querySelector(".error-summary");
    var links = document.querySelectorAll(".error-summary a[href^='#']");
    if (exit !== null) exit.addEventListener("click", leave);
    for (var i = 0; i < links.length; i++) links[i].addEventListener("click", focusField);
    if (summary !== null && document.activeElement !== summary) summary.focus();
  });
})();
