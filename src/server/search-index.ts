// Site search, built with the site: when `astro build` finishes, Pagefind indexes the lesson pages
// in dist/ and writes its index and its small search library to dist/pagefind/, as static files
// the lab serves like any other, so search works with no internet (a classroom on a LAN).
// Only a lesson's article is indexed (data-pagefind-body in LessonLayout.astro); the widgets'
// buttons and placeholders are not lesson text, so they are left out.
import { join } from "node:path";
import { createIndex, close } from "pagefind";

/** Widget frames, quiz forms and the copy buttons: text on the page that is not the lesson's prose. */
export const NOT_INDEXED = [".widget-frame", "sp-quiz form", ".copy-code", ".visually-hidden"];

/** Indexes the built site in `distDir`; returns how many pages went in. */
export async function buildSearchIndex(distDir: string): Promise<number> {
  const { index, errors } = await createIndex({ excludeSelectors: NOT_INDEXED, forceLanguage: "en" });
  try {
    if (!index) throw new Error(`Pagefind could not start: ${errors.join("; ")}`);
    const added = await index.addDirectory({ path: distDir });
    if (added.errors.length > 0) throw new Error(`Pagefind could not index ${distDir}: ${added.errors.join("; ")}`);
    const written = await index.writeFiles({ outputPath: join(distDir, "pagefind") });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join("; ")}`);
    return added.page_count;
  } finally {
    await close();
  }
}
