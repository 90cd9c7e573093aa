// Presenter mode's deep link and keys, kept pure so they can be tested without a page.
// "#present=N" names section N, counted from 1 (section 1 is the lesson's header with its
// title and objectives; each later section is an h2 and what follows it). The parameter may
// share the hash with others ("#present=3&timeline-tcp=120"), so it is read as one of several.

export const PRESENT_HASH_KEY = "present";

/** The 0-based section a hash names, clamped to `count` when it is known; null when it names none. */
export function sectionFromHash(hash: string, count?: number): number | null {
  const match = new RegExp(`(?:^#|&)${PRESENT_HASH_KEY}=(\\d{1,4})(?:&|$)`).exec(hash);
  if (!match) return null;
  const number = Number(match[1]);
  if (number < 1) return null;
  const index = number - 1;
  return count === undefined ? index : Math.max(0, Math.min(index, count - 1));
}

/** The hash for a 0-based section. */
export function hashForSection(index: number): string {
  return `#${PRESENT_HASH_KEY}=${Math.max(0, Math.trunc(index)) + 1}`;
}

/** The hash naming a 0-based section, first, with the hash's other parameters (widgets' steps) kept after it. */
export function hashWithSection(hash: string, index: number): string {
  const rest = hashWithoutSection(hash).replace(/^#/, "");
  return rest ? `${hashForSection(index)}&${rest}` : hashForSection(index);
}

/** The hash with the presenter parameter removed (other parameters kept), for leaving the mode. */
export function hashWithoutSection(hash: string): string {
  const rest = hash
    .replace(/^#/, "")
    .split("&")
    .filter((part) => part !== "" && !part.startsWith(`${PRESENT_HASH_KEY}=`));
  return rest.length > 0 ? `#${rest.join("&")}` : "";
}

export type PresenterKeyAction = "enter" | "exit" | "step.next" | "step.previous" | "step.first" | "step.last";

export interface KeyFacts {
  key: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  /** Focus is in a form field or an editable element. */
  inField: boolean;
  /** Focus is inside a widget (an `sp-*` element), which has keys of its own. */
  inWidget: boolean;
  /** Focus is on a button, link or summary, which Space and Enter already activate. */
  onControl?: boolean;
  presenting: boolean;
}

/**
 * What a key press means to presenter mode, or null when it is none of its business. Keys
 * typed into fields and keys pressed inside widgets are left alone, so a widget's own arrow
 * keys keep working on the projector; Escape is the one exception outside fields, because
 * leaving must always work.
 */
export function presenterKeyAction(facts: KeyFacts): PresenterKeyAction | null {
  if (facts.altKey || facts.ctrlKey || facts.metaKey) return null;
  if (facts.inField) return null;
  if (!facts.presenting) {
    return !facts.inWidget && !facts.shiftKey && (facts.key === "p" || facts.key === "P") ? "enter" : null;
  }
  if (facts.key === "Escape") return "exit";
  if (facts.inWidget) return null;
  if (facts.key === " " && facts.onControl) return null;
  if (facts.shiftKey) return facts.key === " " ? "step.previous" : null;
  switch (facts.key) {
    case "ArrowRight":
    case "PageDown":
    case " ":
      return "step.next";
    case "ArrowLeft":
    case "PageUp":
      return "step.previous";
    case "Home":
      return "step.first";
    case "End":
      return "step.last";
    default:
      return null;
  }
}
