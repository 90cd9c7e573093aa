// The part of presenter mode every lesson loads up front, kept tiny: the Present button, the
// P key and the "#present=N" deep link. Presenter mode itself (presenter-ui.ts, with XState)
// is fetched the first time one of them is used, so readers who never present pay nothing.
import { presenterKeyAction, sectionFromHash, type KeyFacts } from "./presenter-link.ts";

export interface PresenterController {
  readonly presenting: boolean;
  enter(section?: number): void;
}

function isWidget(element: Element | null): boolean {
  for (let node = element; node; node = node.parentElement) if (node.localName.startsWith("sp-")) return true;
  return false;
}

/** The facts about a key press that presenter mode decides on (see presenterKeyAction). */
export function keyFacts(event: KeyboardEvent, presenting: boolean): KeyFacts {
  const target = event.target instanceof Element ? event.target : null;
  return {
    key: event.key,
    altKey: event.altKey,
    ctrlKey: event.ctrlKey,
    metaKey: event.metaKey,
    shiftKey: event.shiftKey,
    inField: Boolean(target?.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])")),
    inWidget: isWidget(target),
    onControl: Boolean(target?.closest("button, a[href], summary, [role=button]")),
    presenting,
  };
}

export function setUpPresenterTrigger(button: HTMLButtonElement | null): void {
  const article = document.querySelector<HTMLElement>("article.lesson");
  if (!article || !document.querySelector(".presenter-bar")) return;
  let controller: PresenterController | null = null;
  let loading: Promise<PresenterController> | null = null;
  const load = (): Promise<PresenterController> =>
    (loading ??= import("./presenter-ui.ts").then((module) => (controller = module.createPresenter(article, button))));
  const enter = (section?: number): void => {
    load().then(
      (presenter) => presenter.enter(section),
      () => {
        loading = null;
        const announcer = document.querySelector("[data-part=presenter-announcer]");
        if (announcer) announcer.textContent = "Presenter mode could not load. Reload the page to try again.";
      },
    );
  };

  button?.addEventListener("click", () => enter());
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || controller?.presenting) return;
    if (presenterKeyAction(keyFacts(event, false)) !== "enter") return;
    event.preventDefault();
    enter();
  });
  const followHash = (): void => {
    const section = sectionFromHash(location.hash);
    if (section !== null) enter(section);
  };
  window.addEventListener("hashchange", followHash);
  followHash();
}
