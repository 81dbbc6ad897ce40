// Shows the print button (it needs JavaScript) and prints the page with the print stylesheet.
document.querySelectorAll(".print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
// A printed page shows what is folded away (the data dictionary's columns), then folds it again.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("article details:not([open])").forEach(function (details) {
    details.open = true;
    details.setAttribute("data-opened-for-print", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-opened-for-print]").forEach(function (details) {
    details.open = false;
    details.removeAttribute("data-opened-for-print");
  });
});
