// Forms marked data-busy: on submit, disable the submit button and show the message, so a long
// request (an Excel import of a whole county takes tens of seconds) is not sent twice by a second
// click, and the officer knows to wait. Plain script, no framework: it must work on cheap phones.
// The Content-Security-Policy allows no inline handlers (onclick=…), so behaviour is declared with
// data- attributes and wired here: data-confirm (ask before submitting: on the form, or on one submit
// button of a form that has several; the attribute holds the summary of what will happen, see
// docs/conventions.md "Confirmations"), data-print (print button),
// data-autosubmit (a select that submits its form when changed), data-back (the error page's Back link).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var button = event.submitter instanceof HTMLElement ? event.submitter : null;
  var ask = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (ask && !window.confirm(ask)) {
    event.preventDefault();
    return;
  }
  if (!form.hasAttribute("data-busy")) return;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = true; });
  var note = form.querySelector(".busy-note");
  if (note) { note.hidden = false; }
});
// Back/forward cache restores the page as it was left: make the form usable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.dataset.sent = "";
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.disabled = false; });
    var note = form.querySelector(".busy-note");
    if (note) { note.hidden = true; }
  });
});
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  if (target.closest("[data-print]")) { event.preventDefault(); window.print(); return; }
  // data-back: go back where the user came from; without history the link's own address (home) is used.
  if (target.closest("a[data-back]") && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) { el.form.submit(); }
});
// The navigation's menus (<details class="nav-group">) open without script; with it, one menu is open at
// a time and a click elsewhere or Escape closes it, as people expect of a menu.
document.addEventListener("click", function (event) {
  var inside = event.target instanceof Element ? event.target.closest("details.nav-group") : null;
  document.querySelectorAll("details.nav-group[open]").forEach(function (d) { if (d !== inside) d.open = false; });
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.nav-group[open]").forEach(function (d) { d.open = false; });
});
// A list's filter selects (<details class="list-filters" data-open-wide>) are folded on a phone, so the
// rows are on the first screen; on a wide screen they are simply shown.
if (window.matchMedia("(min-width: 640px)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
}
