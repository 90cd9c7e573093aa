// Presenter mode, loaded on first use (see presenter-trigger.ts): the lesson one section at a
// time at projector size. Sections are marked in place with data attributes and shown or
// hidden by presenter.css; nothing is moved, so widgets are never disconnected and a live
// connection survives every step. The presenter machine decides which section is shown; this
// module draws it (the trigger passes on "#present=N" links as `enter`), keeps "#present=N" in the address bar (replaceState: stepping adds no
// history entries) and announces each deep-link change for the classroom bar.
import { createActor } from "xstate";
import { presenterMachine } from "../machines/presenter.ts";
import { DEEP_LINK_EVENT, type DeepLinkDetail } from "../widgets/shared/classroom-session.ts";
import { hashWithoutSection, hashWithSection, presenterKeyAction } from "./presenter-link.ts";
import { keyFacts, type PresenterController } from "./presenter-trigger.ts";
import { fitSection, type SectionFit } from "./presenter-fit.ts";
import { widgetSelectorForHash } from "../widgets/shared/deep-link.ts";

/** Narrower than this, a slide scrolls instead of being fitted (a phone is not a projector). */
const FIT_MIN_WIDTH = 768;
/** Room kept between the slide and the presenter bar, and under the bar. */
const BAR_GAP = 12;

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
  sections.forEach((elements, index) => elements.forEach((element) => (element.dataset.presenterSection = String(index))));
  return sections;
}

function titleOf(section: HTMLElement[]): string {
  const heading = section.find((e) => /^h[12]$/.test(e.localName)) ?? section[0]?.querySelector("h1, h2");
  return heading?.textContent?.trim() ?? "";
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

  // ── fitting a slide to the screen (presenter-fit.ts) ──────────────────────────────────
  let fitted: { section: number; fit: SectionFit } | null = null;

  /** Shows a section's elements at natural size, measures them, and reports its parts. */
  const fit = (section: number): void => {
    const elements = sections[section] ?? [];
    for (const element of elements) {
      element.removeAttribute("data-presenter-hidden");
      element.style.removeProperty("zoom");
    }
    const barRoom = bar.getBoundingClientRect().height + 2 * BAR_GAP;
    // A fitted slide ends above the bar by itself; one that scrolls (a phone) keeps room for it.
    const scrolls = window.innerWidth < FIT_MIN_WIDTH;
    root.style.setProperty("--presenter-bar-room", scrolls ? `${Math.ceil(barRoom)}px` : "0px");
    let result: SectionFit;
    if (scrolls || elements.length === 0) {
      result = { parts: [elements.map((_, i) => i)], zoom: {} };
    } else {
      // Each element's room is its top to the next shown element's top (margins included).
      const boxes = elements.map((e) => (e.getClientRects().length === 0 ? null : e.getBoundingClientRect()));
      const heights = boxes.map((box, i) => {
        if (!box) return 0;
        const nextTop = boxes.slice(i + 1).find((b) => b !== null)?.top;
        const bottom = box.bottom + parseFloat(getComputedStyle(elements[i]!).marginBottom || "0");
        return Math.max(0, (nextTop ?? bottom) - box.top);
      });
      const top = boxes.find((b) => b !== null)?.top ?? 0;
      const title = elements[0]?.localName === "h2" ? 0 : null;
      result = fitSection(heights, title, window.innerHeight - barRoom - top);
    }
    fitted = { section, fit: result };
    actor.send({ type: "layout.parts", section, parts: result.parts.length });
    showPart(section, actor.getSnapshot().context.part);
  };

  const showPart = (section: number, part: number): void => {
    if (!fitted || fitted.section !== section) return fit(section);
    const elements = sections[section] ?? [];
    const shownHere = new Set(fitted.fit.parts[part] ?? fitted.fit.parts[0]);
    elements.forEach((element, i) => {
      element.toggleAttribute("data-presenter-hidden", !shownHere.has(i));
      const zoom = fitted!.fit.zoom[i];
      if (zoom !== undefined && shownHere.has(i)) element.style.setProperty("zoom", String(zoom));
      else element.style.removeProperty("zoom");
    });
    if (window.innerWidth < FIT_MIN_WIDTH) return;
    // Scaled text wraps differently (a scaled element lays out wider, so it often needs less
    // height than measured), and a measure can be a pixel off: check what is on the screen,
    // grow a scaled part into room it left unused, then shrink the part's scalable elements
    // (not its title) until it clears the bar.
    const limit = window.innerHeight - (bar.getBoundingClientRect().height + 2 * BAR_GAP);
    const visible = elements.filter((e, i) => shownHere.has(i) && e.getClientRects().length > 0);
    const scalable = visible.filter((e) => e.localName !== "h2");
    const span = (): { top: number; bottom: number } => ({
      top: Math.min(...scalable.map((e) => e.getBoundingClientRect().top)),
      bottom: Math.max(...visible.map((e) => e.getBoundingClientRect().bottom + parseFloat(getComputedStyle(e).marginBottom || "0"))),
    });
    const rescale = (factor: number): void => {
      for (const element of scalable) {
        const zoom = Math.min(1, Math.floor(Number(element.style.zoom || 1) * factor * 1000) / 1000);
        if (zoom >= 1) element.style.removeProperty("zoom");
        else element.style.setProperty("zoom", String(zoom));
      }
    };
    for (let round = 0; round < 3 && scalable.some((e) => e.style.zoom); round++) {
      const { top, bottom } = span();
      if (bottom > limit * 0.97) break;
      rescale(((limit - top) / (bottom - top)) * 0.99);
    }
    for (let round = 0; round < 8 && scalable.length > 0; round++) {
      const { top, bottom } = span();
      if (bottom <= limit) break;
      rescale(Math.max(0.05, (limit - top) / (bottom - top)) * 0.98);
    }
  };

  /** A slide opened by a link that names a widget's step shows the part holding that widget. */
  const showLinkedWidget = (section: number): void => {
    const selector = widgetSelectorForHash(location.hash);
    if (!selector || !fitted || fitted.section !== section) return;
    const elements = sections[section] ?? [];
    const index = elements.findIndex((e) => e.matches(selector) || e.querySelector(selector) !== null);
    const part = index < 0 ? -1 : fitted.fit.parts.findIndex((p) => p.includes(index) && (elements[0]?.localName !== "h2" || index !== 0));
    if (part > 0) actor.send({ type: "step.part", part });
  };

  const unfit = (): void => {
    for (const element of article.querySelectorAll<HTMLElement>("[data-presenter-section]")) {
      element.removeAttribute("data-presenter-hidden");
      element.style.removeProperty("zoom");
    }
    fitted = null;
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
      const { section, part } = actor.getSnapshot().context;
      fit(section);
      if (part !== actor.getSnapshot().context.part) showPart(section, actor.getSnapshot().context.part);
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
      showPart(section, part);
      window.scrollTo({ top: 0, left: 0, behavior: "instant" });
      renderCounter();
      say(`Part ${part + 1} of ${snapshot.context.parts[section] ?? 1}.`);
      return;
    }
    resizes?.disconnect();
    if (!on) {
      window.clearTimeout(refitTimer);
      unfit();
      root.removeAttribute("data-presenter");
      for (const element of article.querySelectorAll("[data-presenter-current]")) element.removeAttribute("data-presenter-current");
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
    unfit();
    sections.forEach((elements, index) => elements.forEach((element) => element.toggleAttribute("data-presenter-current", index === section)));
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
