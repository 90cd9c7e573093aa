// How fast a frame's marker crosses the lane, and the words that say so. Shared by the markup
// (rendered at build time, so the hint takes its place before the widget starts and nothing
// below it moves) and by the element (which rewords it under reduced motion).

/** Markers travelling at once, at most: a reader follows a few dots, not a dozen. */
export const MAX_MARKERS_IN_FLIGHT = 4;

/** How long a marker takes to cross: the real trip is far too fast to see, so it is slowed down. */
export const FLIGHT_MS = 600;

export function flightHint(reducedMotion: boolean): string {
  return reducedMotion
    ? "New frames appear in place without moving, as your system asks for reduced motion."
    : `As each new frame arrives, its row is ringed while a dot crosses its arrow from its sender to its receiver, in ${FLIGHT_MS / 1000} s: slowed down so the eye can follow it, as the real trip takes a tiny fraction of that (well under a millisecond when the lab runs on this machine). When frames come faster than the eye can follow, up to ${MAX_MARKERS_IN_FLIGHT} dots travel at once and the rows in between appear in place. Hover over a row for its whole description; click it, or tab to it, to see its bytes.`;
}
