// Shows the print button (it needs JavaScript) and prints the page with the print stylesheet.
document.querySelectorAll(".print-button").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
