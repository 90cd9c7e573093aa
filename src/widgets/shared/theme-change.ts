// Calls back when the page's colours change: the reader's theme switch (the `data-theme`
// attribute on <html>) or the system's light/dark setting. Canvases painted with the theme's
// colours use it to paint again; elements styled by CSS follow on their own.
export function onThemeChange(callback: () => void, signal: AbortSignal): void {
  const observer = new MutationObserver(callback);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  signal.addEventListener("abort", () => observer.disconnect(), { once: true });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", callback, { signal });
}
