// Presenter mode, loaded on first use (see presenter-trigger.ts): the lesson one section at a
// time at projector size. Sections are marked in place with data attributes and shown or
// hidden by presenter.css; nothing is moved, so widgets are never disconnected and a live
// connection survives every step. The presenter machine decides which section (and part of a
// tall section) is shown; this module draws it (the trigger passes on "#present=N" links as
// `enter`), has slide-fitter.ts fit it to the screen, keeps "#present=N" in the address bar
// (replaceState: stepping adds no history entries) and announces each deep-link change for the
// classroom bar.
import { createActor } from "xstate";
import { presenterMachine } from "../machines/presenter.ts";
import { DEEP_LINK_EVENT, type DeepLinkDetail } from "../widgets/shared/classroom-session.ts";
import { hashWithoutSection, hashWithSection } from "../widgets/shared/presenter-hash.ts";
import { keyFacts, presenterKeyAction } from "./presenter-keys.ts";
import { createSlideFitter } from "./slide-fitter.ts";
import { widgetSelectorForHash } from "../widgets/shared/deep-link.ts";

/** Section 0 is the header (title, summary, objectives, and anything before the first h2); then one per h2. */
function collectSections(article: HTMLElement): HTMLElement[][] {
  const sections: HTMLElement[][] = [];
  const header = article.querySelector<HTMLElement>(".lesson-header");
  sections.push(header ? [header] : []);
  const prose = article.querySelector<HTMLElement>(".prose");
  for (const child of prose ? Array.from(prose.children) : []) {
    if (!(child instanceof HTMLElement) || child.localName === "script" || child.localName === "style") continue;
    if (child.localName === "h2") sections.push([child]);
    else sections[sections.length - 1]!.push(child);
  }
  sections.forEach((elements, index) =>
    elements.forEach((element) => (element.dataset.presenterSection = String(index))),
  );
  return sections;
}

function titleOf(section: HTMLElement[]): string {
  const heading = section.find((e) => /^h[12]$/.test(e.localName)) ?? section[0]?.querySelector("h1, h2");
  return heading?.textContent?.trim() ?? "";
}

/** What the tiny trigger (presenter-trigger.ts) may ask of presenter mode once it is loaded. */
export interface PresenterController {
  readonly presenting: boolean;
  enter(section?: number): void;
}

export function createPresenter(article: HTMLElement, presentButton: HTMLButtonElement | null): PresenterController {
  const sections = collectSections(article);
  const actor = createActor(presenterMachine, { input: { count: sections.length } }).start();
  const root = document.documentElement;
  const announcer = document.querySelector<HTMLElement>("[data-part=presenter-announcer]");

  // The controls are in the page already (LessonLayout.astro), hidden until presenting.
  const bar = document.querySelector<HTMLElement>(".presenter-bar")!;
  const find = (name: string): HTMLElement => bar.querySelector<HTMLElement>(`[data-part="${name}"]`)!;
  const previous = find("presenter-previous");
  const counter = find("presenter-counter");
  const next = find("presenter-next");
  const fullscreen = find("fullscreen");
  const exit = find("exit-presenter");

  const say = (text: string): void => {
    if (announcer) announcer.textContent = text;
  };
  const writeHash = (hash: string): void => {
    if (location.hash === hash) return;
    const url = new URL(location.href);
    url.hash = hash;
    history.replaceState(history.state, "", url);
    document.dispatchEvent(new CustomEvent<DeepLinkDetail>(DEEP_LINK_EVENT, { detail: { hash: location.hash } }));
  };

  const fitter = createSlideFitter(sections, bar, root);
  /** Measures the section, tells the machine its parts, and shows the part the machine says. */
  const fit = (section: number): void => {
    actor.send({ type: "layout.parts", section, parts: fitter.measure(section) });
    fitter.show(section, actor.getSnapshot().context.part);
  };
  /** A slide opened by a link that names a widget's step shows the part holding that widget. */
  const showLinkedWidget = (section: number): void => {
    const selector = widgetSelectorForHash(location.hash);
    const part = selector ? fitter.partHolding(section, selector) : -1;
    if (part > 0) actor.send({ type: "step.part", part });
  };

  // A widget that starts (it loads when seen) or grows changes the slide: fit it again, once
  // things settle. A fit undoes and redoes its changes in one task, so the observer only ever
  // sees its end state: fitting the same slide again reports no change, and the loop ends.
  let refitTimer: number | undefined;
  const refitSoon = (): void => {
    if (actor.getSnapshot().value !== "on") return;
    window.clearTimeout(refitTimer);
    refitTimer = window.setTimeout(() => {
      if (actor.getSnapshot().value !== "on") return;
      fit(actor.getSnapshot().context.section);
    }, 250);
  };
  const resizes = "ResizeObserver" in window ? new ResizeObserver(refitSoon) : null;
  window.addEventListener("resize", refitSoon);

  let shown: { on: boolean; section: number; part: number } = { on: false, section: -1, part: -1 };
  const render = (): void => {
    const snapshot = actor.getSnapshot();
    const on = snapshot.value === "on";
    const { section, count, part } = snapshot.context;
    if (on) renderCounter(); // the number of parts may have been measured since
    if (on === shown.on && section === shown.section && part === shown.part) return;
    const wasOn = shown.on;
    const sameSection = on && wasOn && section === shown.section;
    shown = { on, section, part };
    bar.hidden = !on;
    if (sameSection) {
      // Another part of the same slide.
      fitter.show(section, part);
      window.scrollTo({ top: 0, left: 0, behavior: "instant" });
      say(`Part ${part + 1} of ${snapshot.context.parts[section] ?? 1}.`);
      return;
    }
    resizes?.disconnect();
    if (!on) {
      window.clearTimeout(refitTimer);
      fitter.clear();
      root.removeAttribute("data-presenter");
      for (const element of article.querySelectorAll("[data-presenter-current]"))
        element.removeAttribute("data-presenter-current");
      if (wasOn) {
        writeHash(hashWithoutSection(location.hash));
        if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
        say("Presenter mode off.");
        // Back in the page, at the section that was on the screen.
        sections[section]?.[0]?.scrollIntoView({ block: "start" });
      }
      return;
    }
    root.setAttribute("data-presenter", "");
    fitter.clear();
    sections.forEach((elements, index) =>
      elements.forEach((element) => element.toggleAttribute("data-presenter-current", index === section)),
    );
    // A new slide starts at its top; "instant" so nothing animates, whatever the motion preference.
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
    fit(section);
    for (const element of sections[section] ?? []) resizes?.observe(element);
    showLinkedWidget(section);
    renderCounter();
    writeHash(hashWithSection(location.hash, section));
    const title = titleOf(sections[section] ?? []);
    say(`${wasOn ? "" : "Presenter mode. "}Section ${section + 1} of ${count}${title ? `: ${title}` : ""}.`);
  };
  function renderCounter(): void {
    const { section, count, part, parts } = actor.getSnapshot().context;
    const ofSection = parts[section] ?? 1;
    counter.textContent = `${section + 1} / ${count}${ofSection > 1 ? ` · part ${part + 1} of ${ofSection}` : ""}`;
    previous.setAttribute("aria-disabled", String(section === 0 && part === 0));
    next.setAttribute("aria-disabled", String(section === count - 1 && part === ofSection - 1));
  }
  actor.subscribe(render);

  const presenting = (): boolean => actor.getSnapshot().value === "on";
  previous.addEventListener("click", () => actor.send({ type: "step.previous" }));
  next.addEventListener("click", () => actor.send({ type: "step.next" }));
  exit.addEventListener("click", () => {
    actor.send({ type: "presenter.exit" });
    presentButton?.focus({ preventScroll: true });
  });
  const fullscreenLabel = (): void => {
    fullscreen.textContent = document.fullscreenElement ? "Leave full screen" : "Full screen";
  };
  fullscreen.addEventListener("click", () => {
    const request = document.fullscreenElement ? document.exitFullscreen?.() : root.requestFullscreen?.();
    if (!request) return say("Full screen is not available in this browser.");
    request.catch(() => say("The browser refused full screen here. Use its own full screen key (often F11) instead."));
  });
  document.addEventListener("fullscreenchange", fullscreenLabel);

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || !presenting()) return;
    const action = presenterKeyAction(keyFacts(event, true));
    if (!action || action === "enter") return;
    event.preventDefault();
    actor.send(action === "exit" ? { type: "presenter.exit" } : { type: action });
  });
  return {
    get presenting() {
      return presenting();
    },
    enter(section?: number) {
      actor.send({ type: "presenter.enter", section });
    },
  };
}
