// One way to write every count on the page. Whole numbers are grouped by hand: the first
// Intl.NumberFormat of a page costs tens of milliseconds (the locale data loads), and it fell in
// the start-up of the first widget to show a number. Anything else (a fraction, a huge value) goes
// through one formatter, built on first use; `toLocaleString` would build a new one per call.
let counts: Intl.NumberFormat | null = null;

/** A whole number with thousands separators, as English writes it: 65,536. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) {
    counts ??= new Intl.NumberFormat("en");
    return counts.format(n);
  }
  const digits = String(Math.abs(n));
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${grouped}` : grouped;
}
