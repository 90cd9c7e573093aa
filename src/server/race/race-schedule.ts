// When a push race's events happen, fixed at creation so every transport races against the
// same clock. The first event comes `leadMs` after creation (time for four transports to
// connect); each later one `spacingMs` after the one before, give or take up to 20%, because
// real events do not arrive on a metronome and a poll interval should not line up with them by
// luck. The irregularity comes from a small seeded generator (mulberry32), so a schedule can be
// reproduced from its seed in tests.

export const RACE_IRREGULARITY = 0.2;

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Event times on the server clock (epoch ms), strictly increasing. */
export function raceSchedule(
  createdAt: number,
  leadMs: number,
  events: number,
  spacingMs: number,
  seed: number,
): number[] {
  const random = seededRandom(seed);
  const schedule: number[] = [];
  let at = createdAt + leadMs;
  for (let i = 0; i < events; i++) {
    if (i > 0) at += spacingMs * (1 + RACE_IRREGULARITY * (2 * random() - 1));
    schedule.push(Math.round(at * 1000) / 1000);
  }
  return schedule;
}
