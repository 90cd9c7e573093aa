// The part of presenter mode every lesson loads up front, kept tiny: the Present button, the
// P key and the "#present=N" deep link. Presenter mode itself (presenter-ui.ts, with XState)
// is fetched the first time one of them is used, so readers who never present pay nothing.
import { sectionFromHash } from "../widgets/shared/presenter-hash.ts";
import { keyFacts, presenterKeyAction } from "./presenter-keys.ts";
import type { PresenterController } from "./presenter-ui.ts";

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
