// Per-lesson progress remembered in the browser. Stored under PROGRESS_KEY as
//   { "version": 1, "lessons": { "<slug>": { "visited": true, "done": false, "updatedAt": <ms> } } }
// Storage is outside our control (another tab, an old version, a curious reader), so whatever is
// read back is validated entry by entry: bad entries are dropped, never trusted.

export const PROGRESS_KEY = "sp:progress";
const VERSION = 1;
const MAX_LESSONS = 200;
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface LessonProgress {
  visited: boolean;
  done: boolean;
  updatedAt: number;
}

export interface Progress {
  version: 1;
  lessons: Record<string, LessonProgress>;
}

export function emptyProgress(): Progress {
  return { version: VERSION, lessons: {} };
}

function isLessonProgress(value: unknown): value is LessonProgress {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.visited === "boolean" &&
    typeof v.done === "boolean" &&
    typeof v.updatedAt === "number" &&
    Number.isFinite(v.updatedAt) &&
    v.updatedAt >= 0
  );
}

/** Parse what storage returned; never throws, and keeps only well-formed entries. */
export function parseProgress(raw: string | null): Progress {
  if (raw === null) return emptyProgress();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return emptyProgress();
  }
  if (typeof parsed !== "object" || parsed === null) return emptyProgress();
  const candidate = parsed as Record<string, unknown>;
  if (candidate.version !== VERSION || typeof candidate.lessons !== "object" || candidate.lessons === null) {
    return emptyProgress();
  }
  const lessons: Record<string, LessonProgress> = {};
  let count = 0;
  for (const [slug, entry] of Object.entries(candidate.lessons as Record<string, unknown>)) {
    if (count >= MAX_LESSONS) break;
    if (!slugPattern.test(slug) || !isLessonProgress(entry)) continue;
    lessons[slug] = { visited: entry.visited, done: entry.done, updatedAt: entry.updatedAt };
    count++;
  }
  return { version: VERSION, lessons };
}

export function serializeProgress(progress: Progress): string {
  return JSON.stringify(progress);
}

export function markVisited(progress: Progress, slug: string, now: number): Progress {
  const previous = progress.lessons[slug];
  if (previous?.visited) return progress;
  return {
    ...progress,
    lessons: { ...progress.lessons, [slug]: { visited: true, done: previous?.done ?? false, updatedAt: now } },
  };
}

export function setDone(progress: Progress, slug: string, done: boolean, now: number): Progress {
  return { ...progress, lessons: { ...progress.lessons, [slug]: { visited: true, done, updatedAt: now } } };
}

/** How many of the given lessons are done, for "2 of 11 lessons done". */
export function countDone(progress: Progress, slugs: readonly string[]): number {
  return slugs.filter((slug) => progress.lessons[slug]?.done === true).length;
}
