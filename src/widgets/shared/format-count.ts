// One formatter for every count on the page. `toLocaleString` builds a new formatter per call,
// which costs tens of microseconds each time: labelling every frame, item and totals row after
// each event made it one of the busiest functions under load.
const counts = new Intl.NumberFormat("en");

/** A whole number with thousands separators: 65,536. */
export function formatCount(n: number): string {
  return counts.format(n);
}
