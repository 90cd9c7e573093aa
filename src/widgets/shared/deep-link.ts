// Widgets keep their step in the address bar (replaceState: stepping adds no history entries)
// and tell the classroom bar, which passes a teacher's steps on to the students who follow.
// On a projector the hash also holds the presenter's slide ("#present=N"): a widget's link is
// written after it ("#present=3&handshake-step=4"), so stepping a widget never loses the slide.
import { hashForSection, sectionFromHash } from "./presenter-hash.ts";
import { DEEP_LINK_EVENT, type DeepLinkDetail } from "./classroom-session.ts";

/** The hash to show for a widget's own link (`#key=value…`, or "" for none), keeping the presenter's slide of `current`. */
export function withPresenterSlide(widgetHash: string, current: string): string {
  const section = sectionFromHash(current);
  if (section === null) return widgetHash;
  const own = widgetHash.replace(/^#/, "");
  return own ? `${hashForSection(section)}&${own}` : hashForSection(section);
}

/**
 * Writes a widget's link into the address bar and tells the page; false when it was there
 * already. `passedOn` is what followers get when it differs from the link (the wire stage
 * passes its step, not the recording, which is far longer than a room message may be).
 */
export function writeDeepLink(widgetHash: string, passedOn = widgetHash): boolean {
  const hash = withPresenterSlide(widgetHash, location.hash);
  if (location.hash === hash || (hash === "" && location.hash === "#")) return false;
  const slide = location.hash;
  history.replaceState(history.state, "", `${location.pathname}${location.search}${hash}`);
  document.dispatchEvent(
    new CustomEvent<DeepLinkDetail>(DEEP_LINK_EVENT, { detail: { hash: withPresenterSlide(passedOn, slide) } }),
  );
  return true;
}

const WIDGET_FOR_HASH: [RegExp, (match: RegExpExecArray) => string][] = [
  [/(?:^#|&)handshake-step=/, () => "sp-handshake-stepper"],
  [/(?:^#|&)inspector-step=/, () => "sp-frame-inspector"],
  [/(?:^#|&)wire-step=/, () => "sp-wire-stage"],
  [/(?:^#|&)timeline-([A-Za-z0-9_-]+)=/, (m) => `sp-timeline[data-id="${CSS.escape(m[1]!)}"]`],
];

/** A CSS selector for the widget a hash names a step of (the first one named), or null. */
export function widgetSelectorForHash(hash: string): string | null {
  for (const [pattern, selector] of WIDGET_FOR_HASH) {
    const match = pattern.exec(hash);
    if (match) return selector(match);
  }
  return null;
}
