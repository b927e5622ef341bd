// Forms marked data-busy: on submit, disable the submit button and show the message, so a long
// request (an Excel import of a whole county takes tens of seconds) is not sent twice by a second
// click, and the officer knows to wait. Plain script, no framework: it must work on cheap phones.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) return;
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
