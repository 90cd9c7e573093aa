// The script that sets the theme before first paint (so a page never flashes the wrong one),
// inlined into every page's head: a script file there would be a request on the critical path,
// which the browser must fetch before it draws anything. The Content-Security-Policy allows this
// one inline script by its hash (CSP Level 3 'sha256-…', security-headers.ts) and still refuses
// every other. It mirrors resolveTheme() in theme.ts: a remembered "light" or "dark" wins;
// anything else follows the operating system. One line, so HTML compression cannot change a
// byte of it (the hash covers the exact text).
import { createHash } from "node:crypto";
import { THEME_KEY } from "./theme.ts";

export const THEME_INIT_SCRIPT =
  `(function(){var s=null;try{s=localStorage.getItem(${JSON.stringify(THEME_KEY)})}catch(e){}` +
  `var t=s==="light"||s==="dark"?s:(window.matchMedia&&window.matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light");` +
  `document.documentElement.setAttribute("data-theme",t)})();`;

/** The CSP source expression that allows exactly THEME_INIT_SCRIPT. */
export const THEME_INIT_HASH = `'sha256-${createHash("sha256").update(THEME_INIT_SCRIPT, "utf8").digest("base64")}'`;
