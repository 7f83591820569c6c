/* The respondent's pages: what JavaScript adds to pages that work without it.
 * "Leave this page quickly" replaces this page in the history (so Back does
 * not return to the survey) and clears what a page script can clear; the
 * error summary takes focus, and its links put focus in the field; in a
 * question that ticks several, ticking an answer that goes alone ("None of
 * these") unticks the others, and ticking another unticks it (without this
 * the server says the two cannot go together). */
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
  function alone(ev) {
    var t = ev.target;
    if (t.type !== "checkbox" || !t.checked || t.form === null) return;
    var all = t.form.querySelectorAll("input[type=checkbox]");
    for (var i = 0; i < all.length; i++)
      if (all[i] !== t && all[i].name === t.name &&
          (t.hasAttribute("data-exclusive") || all[i].hasAttribute("data-exclusive")))
        all[i].checked = false;
  }
  document.addEventListener("change", alone);
  document.addEventListener("DOMContentLoaded", function () {
    var exit = document.getElementById("quick-exit");
    var summary = document.querySelector(".error-summary");
    var links = document.querySelectorAll(".error-summary a[href^='#']");
    if (exit !== null) exit.addEventListener("click", leave);
    for (var i = 0; i < links.length; i++) links[i].addEventListener("click", focusField);
    if (summary !== null && document.activeElement !== summary) summary.focus();
  });
})();
