// Runs before first paint (a classic, blocking script so the page never flashes the wrong
// theme). It mirrors resolveTheme() in src/layouts/theme.ts: a remembered choice of "light" or
// "dark" wins; anything else follows the operating system.
(function () {
  var stored = null;
  try { stored = localStorage.getItem("sp:theme"); } catch (e) { /* storage may be blocked */ }
  var theme = stored === "light" || stored === "dark"
    ? stored
    : (window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  document.documentElement.setAttribute("data-theme", theme);
})();
