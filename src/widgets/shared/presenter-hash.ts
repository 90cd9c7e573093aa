// Presenter mode's deep link, kept pure so it can be tested without a page. It lives with the
// widgets' shared code because widgets write their own links after the presenter's slide
// (deep-link.ts); the layout's presenter mode reads and writes it too.
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
