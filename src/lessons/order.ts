// Lessons are ordered by the NN prefix of their file name (content/lessons/NN-slug.mdx); the
// front matter's `order` must agree, so a renamed file cannot silently reorder the course.
// These functions are pure so the ordering rules are tested without a build.

export interface LessonEntryLike {
  id: string;
  data: { order: number; title: string };
}

export interface LessonLink {
  slug: string;
  href: string;
  title: string;
  order: number;
}

const idPattern = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** "00-start-here" → "start-here"; the URL never shows the number, so lessons can be renumbered. */
export function lessonSlug(id: string): string {
  const match = idPattern.exec(id);
  if (!match)
    throw new Error(
      `Lesson file "${id}" must be named NN-slug.mdx (two digits, then lower-case words joined by hyphens)`,
    );
  return match[2]!;
}

export function lessonHref(id: string): string {
  return `/lessons/${lessonSlug(id)}/`;
}

/** Sorted lessons; throws (failing the build) when names and `order` disagree or repeat. */
export function sortLessons<T extends LessonEntryLike>(entries: readonly T[]): T[] {
  const seen = new Map<number, string>();
  for (const entry of entries) {
    const match = idPattern.exec(entry.id);
    if (!match) lessonSlug(entry.id);
    const prefix = Number(match![1]);
    if (prefix !== entry.data.order) {
      throw new Error(`Lesson "${entry.id}" has order ${entry.data.order} but its file name says ${prefix}`);
    }
    const clash = seen.get(entry.data.order);
    if (clash) throw new Error(`Lessons "${clash}" and "${entry.id}" both have order ${entry.data.order}`);
    seen.set(entry.data.order, entry.id);
  }
  return [...entries].sort((a, b) => a.data.order - b.data.order);
}

export function toLink(entry: LessonEntryLike): LessonLink {
  return { slug: lessonSlug(entry.id), href: lessonHref(entry.id), title: entry.data.title, order: entry.data.order };
}

/** Previous and next lesson around `id` in course order (null at either end). */
export function neighbours(
  sorted: readonly LessonEntryLike[],
  id: string,
): { previous: LessonLink | null; next: LessonLink | null } {
  const index = sorted.findIndex((entry) => entry.id === id);
  if (index < 0) throw new Error(`No lesson "${id}"`);
  const previous = index > 0 ? toLink(sorted[index - 1]!) : null;
  const next = index < sorted.length - 1 ? toLink(sorted[index + 1]!) : null;
  return { previous, next };
}
