// Widgets ship their code only when they are about to be seen: the custom element is defined
// (and its module, with XState and the protocol code, downloaded) the first time any instance
// comes within a screen of the viewport. Until then the server-rendered markup shows.
//
// Several widgets often come into view together (a fast scroll, a tall screen). Each starts its
// download and is defined in tasks of its own, one after the other, so their start-ups never
// add up to one long task that would hold the page still.

const waitingToDefine: (() => void)[] = [];
let defining = false;

function defineInTurn(define: () => void): void {
  waitingToDefine.push(define);
  if (!defining) nextDefinition();
}

function nextDefinition(): void {
  const next = waitingToDefine.shift();
  defining = next !== undefined;
  if (!next) return;
  setTimeout(() => {
    // A widget that fails to start must not keep the ones after it waiting.
    try {
      next();
    } finally {
      nextDefinition();
    }
  }, 0);
}

export function defineWhenVisible(tag: string, load: () => Promise<{ default: CustomElementConstructor }>): void {
  const elements = document.querySelectorAll(tag);
  if (elements.length === 0 || customElements.get(tag)) return;
  let started = false;
  const define = (): void => {
    if (started) return;
    started = true;
    observer?.disconnect();
    // The download starts in a task of its own: the browser reports every observer's entries in
    // one task, and widgets coming into view together would otherwise start all their downloads
    // in that one task.
    setTimeout(
      () =>
        load().then(
          (module) =>
            defineInTurn(() => {
              if (!customElements.get(tag)) customElements.define(tag, module.default);
            }),
          (error: unknown) => {
            for (const element of document.querySelectorAll(tag)) {
              element.setAttribute("data-load-error", "");
              const note = element.querySelector("[data-loading-note]");
              if (note)
                note.textContent = `This widget could not load its code (${error instanceof Error ? error.message : "unknown error"}). Reload the page to try again.`;
            }
          },
        ),
      0,
    );
  };
  const observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && define(), {
          rootMargin: "100% 0px",
        })
      : null;
  if (!observer) return define();
  for (const element of elements) observer.observe(element);
}
