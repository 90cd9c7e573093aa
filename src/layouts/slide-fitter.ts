// Presenter mode's slides on the screen: measures a section's elements, splits it into parts
// (presenter-fit.ts decides, from the heights), shows one part, and scales what is still too
// tall until the part ends above the presenter bar. DOM only; which section and part to show
// is the presenter machine's business (presenter-ui.ts asks, and passes the parts on to it).
import { fitSection, type SectionFit } from "./presenter-fit.ts";

/** Narrower than this, a slide scrolls instead of being fitted (a phone is not a projector). */
const FIT_MIN_WIDTH = 768;
/** Room kept between the slide and the presenter bar, and under the bar. */
const BAR_GAP = 12;

export interface SlideFitter {
  /** Measures `section` at natural size and returns how many parts it needs on this screen. */
  measure(section: number): number;
  /** Shows one part of the section last measured. */
  show(section: number, part: number): void;
  /** The part of the measured section that holds an element matching `selector`, or -1. */
  partHolding(section: number, selector: string): number;
  /** Back to the page as it was: nothing hidden, nothing scaled. */
  clear(): void;
}

export function createSlideFitter(sections: HTMLElement[][], bar: HTMLElement, root: HTMLElement): SlideFitter {
  let fitted: { section: number; fit: SectionFit } | null = null;
  const barRoom = (): number => bar.getBoundingClientRect().height + 2 * BAR_GAP;

  return {
    measure(section) {
      const elements = sections[section] ?? [];
      for (const element of elements) {
        element.removeAttribute("data-presenter-hidden");
        element.style.removeProperty("zoom");
      }
      // A fitted slide ends above the bar by itself; one that scrolls (a phone) keeps room for it.
      const scrolls = window.innerWidth < FIT_MIN_WIDTH;
      root.style.setProperty("--presenter-bar-room", scrolls ? `${Math.ceil(barRoom())}px` : "0px");
      let fit: SectionFit;
      if (scrolls || elements.length === 0) {
        fit = { parts: [elements.map((_, i) => i)], zoom: {} };
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
        fit = fitSection(heights, title, window.innerHeight - barRoom() - top);
      }
      fitted = { section, fit };
      return fit.parts.length;
    },

    show(section, part) {
      if (!fitted || fitted.section !== section) this.measure(section);
      const { fit } = fitted!;
      const elements = sections[section] ?? [];
      const shownHere = new Set(fit.parts[part] ?? fit.parts[0]);
      elements.forEach((element, i) => {
        element.toggleAttribute("data-presenter-hidden", !shownHere.has(i));
        const zoom = fit.zoom[i];
        if (zoom !== undefined && shownHere.has(i)) element.style.setProperty("zoom", String(zoom));
        else element.style.removeProperty("zoom");
      });
      if (window.innerWidth < FIT_MIN_WIDTH) return;
      // Scaled text wraps differently (a scaled element lays out wider, so it often needs less
      // height than measured), and a measure can be a pixel off: check what is on the screen,
      // grow a scaled part into room it left unused, then shrink the part's scalable elements
      // (not its title) until it clears the bar.
      const limit = window.innerHeight - barRoom();
      const visible = elements.filter((e, i) => shownHere.has(i) && e.getClientRects().length > 0);
      const scalable = visible.filter((e) => e.localName !== "h2");
      const span = (): { top: number; bottom: number } => ({
        top: Math.min(...scalable.map((e) => e.getBoundingClientRect().top)),
        bottom: Math.max(
          ...visible.map((e) => e.getBoundingClientRect().bottom + parseFloat(getComputedStyle(e).marginBottom || "0")),
        ),
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
    },

    partHolding(section, selector) {
      if (!fitted || fitted.section !== section) return -1;
      const elements = sections[section] ?? [];
      const index = elements.findIndex((e) => e.matches(selector) || e.querySelector(selector) !== null);
      // The section's title heads every part: it holds nothing of its own.
      if (index < 0 || (index === 0 && elements[0]?.localName === "h2")) return -1;
      return fitted.fit.parts.findIndex((p) => p.includes(index));
    },

    clear() {
      for (const elements of sections) {
        for (const element of elements) {
          element.removeAttribute("data-presenter-hidden");
          element.style.removeProperty("zoom");
        }
      }
      fitted = null;
    },
  };
}
