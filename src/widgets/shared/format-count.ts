// One formatter for every count on the page. `toLocaleString` builds a new formatter per call,
// which costs tens of microseconds each time: labelling every frame, item and totals row after
// each event made it one of the busiest functions under load. It is built on first use, not when
// the module loads: the first formatter of a page is the costly one (the locale data loads), and
// a widget's start-up should not pay for it before it has a number to show.
let counts: Intl.NumberFormat | null = null;

/** A whole number with thousands separators: 65,536. */
export function formatCount(n: number): string {
  counts ??= new Intl.NumberFormat("en");
  return counts.format(n);
}
