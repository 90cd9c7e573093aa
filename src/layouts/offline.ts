// Registers the site's offline copy (dist/sw.js, written by src/server/offline-copy.ts) once the
// page has loaded and the browser is idle: the copy is for later, never worth a moment of the
// first paint. Then tells the worker which files this page loaded before it ran, so it keeps them
// too (from the HTTP cache). Browsers allow it only in a secure context (https://, or http:// on
// 127.0.0.1 and localhost); elsewhere, and on the dev server (no sw.js), nothing happens.
export function registerOfflineCopy(path = "/sw.js"): void {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const register = (): void => {
    navigator.serviceWorker
      .register(path)
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => registration.active?.postMessage({ type: "keep", urls: loadedUrls() }))
      .catch(() => {
        // No worker here (the dev server), or the browser refused: the site works as before.
      });
  };
  const whenIdle = (): void =>
    void (window.requestIdleCallback
      ? window.requestIdleCallback(register, { timeout: 5000 })
      : setTimeout(register, 1000));
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}

/** This page and the files it loaded from its own origin, the lab's live paths left out. */
export function loadedUrls(
  entries: readonly { name: string }[] = performance.getEntriesByType("resource"),
  here: Location = window.location,
): string[] {
  const urls = [here.pathname, ...entries.map((e) => e.name)].flatMap((text) => {
    const url = new URL(text, here.origin);
    return url.origin === here.origin && !url.pathname.startsWith("/lab/") ? [url.pathname + url.search] : [];
  });
  return [...new Set(urls)];
}
