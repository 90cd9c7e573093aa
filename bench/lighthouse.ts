// Lighthouse (npm) on the home page, the join page and every lesson, served by the real
// production server, in Debian's Chromium (never a downloaded browser): its default mobile
// run (a mid-range phone on a slow 4G link, simulated), the four category scores, LCP, TBT, CLS
// and the bytes of JavaScript a page transfers. One Chromium for all pages, closed at the end.
//
// Each page is audited LIGHTHOUSE_RUNS times and the median run reported (Lighthouse's own
// computeMedianRun: the run nearest the median FCP and time to interactive). A single run's
// simulated FCP moves by a tenth of a second from run to run on this shared VM, enough to turn a
// 100 into a 99; Lighthouse's variability guide says the median of several runs is the figure to
// trust (docs/variability.md in the Lighthouse repository).
import { existsSync } from "node:fs";
import { basename, dirname, relative } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
import { filesUnder } from "../src/server/files-under.ts";
import { createSiteServer } from "../src/server/site-server.ts";
import { OTHER_SITE_PAGE } from "../src/server/other-site/other-site.ts";

export interface LighthousePage {
  path: string;
  scores: { performance: number; accessibility: number; bestPractices: number; seo: number };
  /** First contentful paint: with LCP, what decides the lessons' performance score (see the budget's note in run.ts). */
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  jsTransferBytes: number;
}

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;

/** Audits per page; the median run is reported. */
export const LIGHTHOUSE_RUNS = 3;

/** Every page of the build, as a URL path: /, /join/, /lessons/…/. */
async function pagesIn(dist: string): Promise<string[]> {
  return (
    (await filesUnder(dist))
      .filter((file) => basename(file) === "index.html")
      .map((file) => `/${relative(dist, dirname(file))}/`.replace(/\/+/g, "/"))
      // Lesson 8's other site is served on a port of its own, never by the main site.
      .filter((path) => path !== OTHER_SITE_PAGE)
      .sort()
  );
}

interface NetworkItem {
  resourceType?: string;
  transferSize?: number;
}

/** Tries a page up to three times: Lighthouse now and then loses its own trace of a load (NO_NAVSTART, NO_FCP), which says nothing about the page. */
async function audit(url: string, port: number): Promise<NonNullable<Awaited<ReturnType<typeof lighthouse>>>["lhr"]> {
  let last = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await lighthouse(url, { port, output: "json", logLevel: "error", onlyCategories: [...CATEGORIES] });
    if (result && !result.lhr.runtimeError) return result.lhr;
    last = result?.lhr.runtimeError?.message ?? "no result";
  }
  throw new Error(`Lighthouse failed on ${url} three times: ${last}`);
}

export async function measureLighthouse(
  distDir: string,
  options: { chromiumPath?: string } = {},
): Promise<LighthousePage[]> {
  const chromePath = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromePath)) throw new Error(`Chromium not found at ${chromePath}`);
  const site = createSiteServer({ distDir });
  const { port } = await site.listen(0, "127.0.0.1");
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const pages: LighthousePage[] = [];
  try {
    for (const path of await pagesIn(distDir)) {
      const runs = [];
      for (let i = 0; i < LIGHTHOUSE_RUNS; i++) runs.push(await audit(`http://127.0.0.1:${port}${path}`, chrome.port));
      const lhr = computeMedianRun(runs);
      const score = (id: (typeof CATEGORIES)[number]): number => Math.round((lhr.categories[id]?.score ?? 0) * 100);
      const numeric = (id: string): number => lhr.audits[id]?.numericValue ?? Number.NaN;
      const requests = (lhr.audits["network-requests"]?.details as { items?: NetworkItem[] } | undefined)?.items ?? [];
      pages.push({
        path,
        scores: {
          performance: score("performance"),
          accessibility: score("accessibility"),
          bestPractices: score("best-practices"),
          seo: score("seo"),
        },
        fcpMs: numeric("first-contentful-paint"),
        lcpMs: numeric("largest-contentful-paint"),
        tbtMs: numeric("total-blocking-time"),
        cls: numeric("cumulative-layout-shift"),
        jsTransferBytes: requests
          .filter((r) => r.resourceType === "Script")
          .reduce((sum, r) => sum + (r.transferSize ?? 0), 0),
      });
    }
  } finally {
    chrome.kill();
    await site.close();
  }
  return pages;
}
