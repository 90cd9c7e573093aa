// The wire stage and the frame inspector under a steady load, in Debian's Chromium driven by
// playwright-core against the real production server:
//   - start-up: the heaviest lesson (lesson 2: timeline, inspector, stage) loaded and scrolled
//     through so every widget starts, unthrottled; the longest task afterwards.
//   - load: lesson 5 (inspector and stage on one page) with the CPU throttled 4×, a message
//     sent through each of them every 100 ms (10 messages/s per widget) for `minutes`; long
//     tasks after start-up, the main thread's busy time per message in each tenth of the run
//     (it must stay flat as the recording grows), and the layout shift score. Run twice, on a
//     fresh page each time: once with the inspector in view, once with the stage. The two sit
//     thousands of pixels apart on the page, no screen shows both, and a widget out of view
//     draws nothing, so one run could only ever measure the drawing of one of them.
//   - reference: the same throttling for the same time on a page that does next to nothing (a
//     small canvas redrawn every frame, a list item added every 50 ms). Its long tasks are this
//     machine's and this browser's own (garbage collection, the throttler, other processes), the
//     floor under the two figures above; printed beside them, with no budget of its own.
// Bounded: the load stops by itself; the server and the browser are closed at the end.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { createSiteServer } from "../src/server/site-server.ts";

/** One run under load (`minutes` long), with one of the two widgets in view. */
export interface StageLoadPhase {
  /** The widget on screen (the other still receives its messages, and draws nothing while out of view). */
  view: "inspector" | "stage";
  loadLongestTaskMs: number;
  loadLongTasksOver50: number;
  /** Main-thread busy ms per message sent, in each tenth of the run. */
  busyPerMessageMs: number[];
  /** Busy time per message in the last tenth over the second tenth (the first holds start-up). */
  busyGrowth: number;
  cls: number;
  messages: number;
  inspectorEvents: number;
  /** What the widget in view showed at the end (stage items drawn, or inspector rows): never 0. */
  drawn: number;
}

export interface StageBenchResult {
  startupLongestTaskMs: number;
  phases: StageLoadPhase[];
  /** The reference page's long tasks under the same throttling, for as long as a load run. */
  reference: { longestTaskMs: number; longTasksOver50: number };
}

/** The reference page: a canvas redrawn in every frame, and a short list that changes every 50 ms. */
const REFERENCE_PAGE = `<!doctype html><meta charset="utf-8"><title>reference</title><canvas width="600" height="300"></canvas><ol></ol>
<script>
  const ctx = document.querySelector("canvas").getContext("2d");
  const list = document.querySelector("ol");
  let n = 0;
  const frame = () => {
    ctx.clearRect(0, 0, 600, 300);
    ctx.fillText("frame " + n, (n * 3) % 600, 100);
    ctx.fillRect((n * 5) % 600, 150, 10, 10);
    n++;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  setInterval(() => {
    const item = document.createElement("li");
    item.textContent = "message " + n;
    list.append(item);
    if (list.children.length > 30) list.firstElementChild.remove();
  }, 50);
</script>`;

const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Records long tasks and layout shifts from page load on. */
const OBSERVE = `
  window.__longTasks = [];
  window.__cls = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: "layout-shift", buffered: true });
`;

async function longestTaskSince(page: Page, since: number): Promise<{ longest: number; over50: number }> {
  return page.evaluate((from) => {
    const tasks = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter(
      (t) => t.start >= from,
    );
    return {
      longest: Math.max(0, ...tasks.map((t) => t.duration)),
      over50: tasks.filter((t) => t.duration > 50).length,
    };
  }, since);
}

async function busyMs(cdp: { send(method: string): Promise<unknown> }): Promise<number> {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  return (metrics.find((m) => m.name === "TaskDuration")?.value ?? 0) * 1000;
}

export async function measureWireStage(
  distDir: string,
  options: { minutes?: number; chromiumPath?: string } = {},
): Promise<StageBenchResult> {
  const minutes = options.minutes ?? 3;
  const executablePath = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}`);
  const site = createSiteServer({ distDir });
  const { port } = await site.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${port}`;
  const profile = await mkdtemp(join(tmpdir(), "sp-bench-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: chromiumArgs,
  });
  try {
    await context.addInitScript(OBSERVE);

    // Start-up, unthrottled: scroll through the heaviest lesson so every widget starts.
    const startup = await context.newPage();
    await startup.goto(`${base}/lessons/tcp-underneath/`, { waitUntil: "load" });
    const loadedAt = await startup.evaluate(() => performance.now());
    const height = await startup.evaluate(() => document.documentElement.scrollHeight);
    for (let y = 0; y < height; y += 600) {
      await startup.evaluate((top) => window.scrollTo(0, top), y);
      await startup.waitForTimeout(150);
    }
    await startup.locator('sp-wire-stage[data-state="OPEN"]').waitFor();
    await startup.locator('sp-frame-inspector[data-state="OPEN"]').waitFor();
    await startup.waitForTimeout(1000);
    const startupTasks = await longestTaskSince(startup, loadedAt);
    await startup.close();

    const phases: StageLoadPhase[] = [];
    for (const view of ["inspector", "stage"] as const) phases.push(await loadPhase(context, base, view, minutes));
    const reference = await referencePhase(context, minutes);
    return { startupLongestTaskMs: startupTasks.longest, phases, reference };
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await site.close();
  }
}

const VIEW_TAGS = { inspector: "sp-frame-inspector", stage: "sp-wire-stage" } as const;
/** What each widget has drawn at the end of a run: its rows, or the arrows on the stage's WebSocket side. */
const DRAWN: Record<StageLoadPhase["view"], (page: Page) => Promise<number>> = {
  inspector: (page) => page.locator("sp-frame-inspector [data-part=sequence] > li").count(),
  stage: (page) =>
    page
      .locator("sp-wire-stage")
      .evaluate(
        (el) => (el as unknown as { scene(side: string): { items: unknown[] } | null }).scene("ws")?.items.length ?? 0,
      ),
};

/** `minutes` of the reference page, 4× throttled, on the same tall screen as the load runs. */
async function referencePhase(context: BrowserContext, minutes: number): Promise<StageBenchResult["reference"]> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.setContent(REFERENCE_PAGE, { waitUntil: "load" });
  await page.waitForTimeout(2000);
  const started = await page.evaluate(() => performance.now());
  await page.waitForTimeout(minutes * 60_000);
  const tasks = await longestTaskSince(page, started);
  await page.close();
  return { longestTaskMs: tasks.longest, longTasksOver50: tasks.over50 };
}

/** `minutes` of load on lesson 5, 4× throttled, with `view` on screen. */
async function loadPhase(
  context: BrowserContext,
  base: string,
  view: StageLoadPhase["view"],
  minutes: number,
): Promise<StageLoadPhase> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.goto(`${base}/lessons/frames/`, { waitUntil: "load" });
  for (const tag of Object.values(VIEW_TAGS)) {
    await page.locator(tag).scrollIntoViewIfNeeded();
    await page.locator(`${tag}[data-state="OPEN"]`).waitFor({ timeout: 60_000 });
  }
  // A tall screen, the widget at its top.
  await page.setViewportSize({ width: 1280, height: 2400 });
  await page.locator(VIEW_TAGS[view]).evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.waitForTimeout(2000);
  // Layout shifts are counted from here: start-up (the page, then each widget replacing its
  // loading note) is measured separately, by the long-task figure above.
  const started = await page.evaluate(() => {
    (window as unknown as { __cls: number }).__cls = 0;
    return performance.now();
  });
  const runMs = minutes * 60_000;
  const tenth = runMs / 10;
  const busyPerMessageMs: number[] = [];
  // The page sends by itself, as a reader pressing Send again and again would: one message per
  // widget every 100 ms, each press in a task of its own (as input events are), the two widgets'
  // 50 ms apart. The message is typed once, before the run: typing is not what is measured.
  await page.evaluate((duration) => {
    const forms = [
      document.querySelector("sp-frame-inspector form[data-part=send-form]"),
      document.querySelector("sp-wire-stage form[data-part=send-form]"),
    ] as HTMLFormElement[];
    for (const form of forms) form.querySelector<HTMLInputElement>("[data-part=message]")!.value = "bench message";
    let n = 0;
    const send = (form: HTMLFormElement): void =>
      form.requestSubmit(form.querySelector<HTMLButtonElement>("button[type=submit]"));
    const timer = setInterval(() => {
      n++;
      send(forms[0]!);
      setTimeout(() => send(forms[1]!), 50);
    }, 100);
    (window as unknown as { __sent: () => number }).__sent = () => n;
    setTimeout(() => clearInterval(timer), duration);
  }, runMs);
  let lastBusy = await busyMs(cdp);
  let lastSent = 0;
  for (let i = 0; i < 10; i++) {
    await page.waitForTimeout(tenth);
    const busy = await busyMs(cdp);
    const sent = await page.evaluate(() => (window as unknown as { __sent: () => number }).__sent());
    busyPerMessageMs.push((busy - lastBusy) / Math.max(1, (sent - lastSent) * 2));
    lastBusy = busy;
    lastSent = sent;
  }
  const loadTasks = await longestTaskSince(page, started);
  const cls = await page.evaluate(() => (window as unknown as { __cls: number }).__cls);
  const inspectorEvents = Number(
    (await page.locator("sp-frame-inspector [data-part=step-label]").textContent())
      ?.match(/([\d,]+) events/)?.[1]
      ?.replaceAll(",", "") ?? 0,
  );
  const drawn = await DRAWN[view](page);
  await page.close();
  // A run whose widget drew nothing measured nothing.
  if (drawn === 0) throw new Error(`the ${view} drew nothing during the run`);
  return {
    view,
    loadLongestTaskMs: loadTasks.longest,
    loadLongTasksOver50: loadTasks.over50,
    busyPerMessageMs,
    busyGrowth: busyPerMessageMs[9]! / Math.max(1e-6, busyPerMessageMs[1]!),
    cls,
    messages: lastSent * 2,
    inspectorEvents,
    drawn,
  };
}
