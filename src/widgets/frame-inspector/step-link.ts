// Deep links to a step of the inspector's recording: "#inspector-step=12" reopens the view
// after the first 12 events. The hash is read and written here only, so its form lives in
// one place.

export const STEP_HASH_KEY = "inspector-step";

/** The step in a location hash, or null when the hash names none (or nonsense). */
export function stepFromHash(hash: string): number | null {
  const match = new RegExp(`(?:^#|&)${STEP_HASH_KEY}=(\\d{1,6})(?:&|$)`).exec(hash);
  if (!match) return null;
  return Number(match[1]);
}

export function hashForStep(step: number | null): string {
  return step === null ? "" : `#${STEP_HASH_KEY}=${Math.max(0, Math.trunc(step))}`;
}
