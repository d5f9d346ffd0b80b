// The breach letter's "Print this letter" button: shown only with JavaScript, which it needs.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-app-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
