// Presenter mode's keys, kept pure so they can be tested without a page: keyFacts reads what
// matters about a key press, presenterKeyAction decides what it does.

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
