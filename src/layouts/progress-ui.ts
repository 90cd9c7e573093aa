// Shows and records per-lesson progress: marks the current lesson visited, wires the
// "done" checkbox, and decorates every lesson list on the page with ✓ / • markers.
import {
  PROGRESS_KEY,
  countDone,
  markVisited,
  parseProgress,
  serializeProgress,
  setDone,
  type Progress,
} from "./progress.ts";

function load(): Progress {
  try {
    return parseProgress(localStorage.getItem(PROGRESS_KEY));
  } catch {
    return parseProgress(null);
  }
}

function save(progress: Progress): void {
  try {
    localStorage.setItem(PROGRESS_KEY, serializeProgress(progress));
  } catch {
    /* storage full or blocked: progress is a convenience, the page keeps working */
  }
}

function render(progress: Progress): void {
  for (const item of document.querySelectorAll<HTMLElement>("[data-progress-slug]")) {
    const entry = progress.lessons[item.dataset.progressSlug ?? ""];
    const state = entry?.done ? "done" : entry?.visited ? "visited" : "new";
    item.dataset.progress = state;
    const label = item.querySelector<HTMLElement>("[data-progress-label]");
    if (label) label.textContent = state === "done" ? "· done ✓" : state === "visited" ? "· started" : "";
  }
  for (const summary of document.querySelectorAll<HTMLElement>("[data-progress-summary]")) {
    const slugs = (summary.dataset.progressSummary ?? "").split(" ").filter(Boolean);
    summary.textContent = `${countDone(progress, slugs)} of ${slugs.length} lessons done`;
  }
}

/** Record that the reader finished `slug` (the quiz calls this too). */
export function markLessonDone(slug: string): void {
  const progress = setDone(load(), slug, true, Date.now());
  save(progress);
  render(progress);
  const box = document.querySelector<HTMLInputElement>(`[data-done-toggle="${CSS.escape(slug)}"]`);
  if (box) box.checked = true;
}

export function setUpProgress(currentSlug: string | null): void {
  let progress = load();
  if (currentSlug) {
    progress = markVisited(progress, currentSlug, Date.now());
    save(progress);
    const box = document.querySelector<HTMLInputElement>(`[data-done-toggle="${CSS.escape(currentSlug)}"]`);
    if (box) {
      box.checked = progress.lessons[currentSlug]?.done ?? false;
      box.addEventListener("change", () => {
        const updated = setDone(load(), currentSlug, box.checked, Date.now());
        save(updated);
        render(updated);
      });
    }
  }
  render(progress);
  // The quiz announces a perfect score; it knows nothing about storage, this module does.
  if (currentSlug) document.addEventListener("sp:lesson-complete", () => markLessonDone(currentSlug));
  // Another tab finishing a lesson updates this one too.
  window.addEventListener("storage", (event) => {
    if (event.key === PROGRESS_KEY) render(load());
  });
}
