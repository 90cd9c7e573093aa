// `npm run bench`: measures the production build and the lab, prints the figures next to their
// budgets, and exits 1 if any budget is exceeded. Budgets live here, never in tests.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isBuildStale, runAstroBuild } from "../src/server/build-if-needed.ts";
import { measurePages } from "./page-weight.ts";
import { measureEchoLatency } from "./echo-latency.ts";
import { measureRoomBroadcast } from "./room-broadcast.ts";
import { measureWireStage } from "./wire-stage.ts";
import { measureLabVsWs } from "./lab-vs-ws.ts";
import { measureRoomFill } from "./room-fill.ts";
import { LIGHTHOUSE_RUNS, measureLighthouse } from "./lighthouse.ts";
import { stealNote, watchSteal } from "./host-steal.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

const budgets = {
  /** Scripts a page needs before it works (gzip): chrome only; widget code loads lazily. */
  initialJsGzip: 8 * 1024,
  /** HTML + CSS + initial scripts of one page (gzip). */
  initialTotalGzip: 60 * 1024,
  /**
   * Code fetched when widgets scroll into view, per page (gzip), everything reachable through
   * dynamic imports: widget code, XState, the protocol code, and on pages that show a live
   * handshake, Shiki's core and JavaScript regex engine (about 60 KiB of it). Raised from 128
   * to 144 KiB when the classroom bar and presenter mode arrived (about 7 KiB on every lesson),
   * to 160 KiB when the wire stage arrived on every lesson (about 15 KiB: the stage and the
   * live HTTP simulation it runs), and to 164 KiB when the stage began painting its diagrams on a
   * canvas (about 2 KiB of drawing code in place of the browser's SVG, which took the stage's long
   * tasks under the load below from 324 to 4 in three minutes; lesson 4 went from 159.8 to 161.3).
   */
  lazyJsGzip: 164 * 1024,
  /** Loopback echo round trip through the production server. */
  echoMedianMs: 2,
  echoP95Ms: 10,
  /** Classroom broadcast, send to receipt at every one of 61 participants (60 students and the teacher). */
  roomBroadcastP95Ms: 50,
  /** Server heap per room connection (socket, ws state, membership), measured on the server's thread. */
  roomHeapPerConnection: 200 * 1024,
  /** Filling a 1,000-member classroom room, over a plain `ws` room (list to the newcomer, a delta to everyone else) filled the same way. */
  roomFillTimeRatio: 2,
  /** No task on the main thread longer than this (the RAIL budget for a response to input). */
  longTaskMs: 50,
  /** Busy time per message at the end of a long session over its start: flat, not growing with the recording. */
  busyGrowth: 1.5,
  /** Cumulative layout shift while the stage and inspector run: none at all (the issue asks for CLS 0). */
  cls: 0,
  /** Echo messages per second with every client tapped, over a plain `ws` echo server's: at least this. */
  tapEchoThroughputRatio: 0.8,
  /** Echo round trip p99 with every client tapped, over a plain `ws` echo server's. */
  tapEchoP99Ratio: 1.5,
  /** Resident memory of the server holding 10,000 idle lab sockets: the issue's 150 MB, read strictly (10^6 bytes). */
  idleRssBytes: 150_000_000,
  /** The same, over a plain `ws` server holding as many. */
  idleRssRatio: 1.2,
  /**
   * Lighthouse (mobile) category scores on the home page, the join page and every lesson: each at
   * least this. What holds the lessons at 99 (Lantern's simulation, read with LANTERN_DEBUG): FCP
   * is the document (about 750 ms simulated), then the first render of about 1,000 elements
   * (style and layout, 100 to 150 ms here, times 4), then the page's module scripts (eight on
   * lesson 5), which Lantern counts as render-blocking because Chrome fetches them at High
   * priority: two rounds on six HTTP/1.1 connections, about 450 ms. Fetched at low priority they leave FCP, but the first
   * render then falls after FCP and counts as blocking time instead (TBT 165 to 281 ms, scores 94
   * to 97 on lesson 5). Run to run, one page's simulated FCP spreads over 300 ms on this machine.
   */
  lighthouseScore: 100,
};

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const failures: string[] = [];
const check = (label: string, value: number, budget: number, show: (n: number) => string): string => {
  const ok = value <= budget;
  if (!ok) failures.push(`${label}: ${show(value)} > ${show(budget)}`);
  return `${show(value)} ${ok ? "≤" : "OVER"} ${show(budget)}`;
};
const checkAtLeast = (label: string, value: number, budget: number, show: (n: number) => string): string => {
  const ok = value >= budget;
  if (!ok) failures.push(`${label}: ${show(value)} < ${show(budget)}`);
  return `${show(value)} ${ok ? "≥" : "UNDER"} ${show(budget)}`;
};

if (await isBuildStale(root, dist)) await runAstroBuild(root);

console.log("Page weight (gzip)");
for (const page of await measurePages(dist)) {
  const total = page.htmlGzip + page.cssGzip + page.jsGzip;
  console.log(
    `  ${page.page.padEnd(28)} html ${kb(page.htmlGzip)} · css ${kb(page.cssGzip)} · js ${check(`${page.page} initial js`, page.jsGzip, budgets.initialJsGzip, kb)} · total ${check(`${page.page} total`, total, budgets.initialTotalGzip, kb)} · lazy widgets ${check(`${page.page} lazy js`, page.lazyJsGzip, budgets.lazyJsGzip, kb)}`,
  );
}

const latency = await measureEchoLatency(dist, 2000);
const ms = (n: number): string => `${n.toFixed(3)} ms`;
console.log(`Echo round trip over loopback (${latency.messages} messages)`);
console.log(
  `  median ${check("echo median", latency.medianMs, budgets.echoMedianMs, ms)} · p95 ${check("echo p95", latency.p95Ms, budgets.echoP95Ms, ms)}`,
);

const room = await measureRoomBroadcast(dist, { students: 60, messages: 300, intervalMs: 10, timeLimitMs: 30_000 });
console.log(
  `Classroom broadcast over loopback (${room.participants} participants, ${room.messages} messages, ${room.receipts} receipts)`,
);
console.log(
  `  median ${ms(room.medianMs)} · p95 ${check("room broadcast p95", room.p95Ms, budgets.roomBroadcastP95Ms, ms)} · max ${ms(room.maxMs)}`,
);
console.log(
  `  server heap per connection ${check("room heap per connection", room.heapPerConnectionBytes, budgets.roomHeapPerConnection, kb)}${room.collected ? "" : " (no forced collection: run node --expose-gc bench/run.ts for a steadier figure)"}`,
);

let stolen = watchSteal();
const versus = await measureLabVsWs(dist, { clients: 100, seconds: 3, rounds: 4, idle: 10_000 });
const versusSteal = stolen();
const ratio = (n: number): string => `${n.toFixed(2)}×`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
console.log(
  `The lab beside a plain ws echo server started by this benchmark (each in its own process; ${versus.clients} closed-loop echo clients, every lab client watched by its own monitor; ${versus.rounds} alternating rounds of ${versus.seconds} s each, pooled${stealNote(versusSteal)})`,
);
console.log(
  `  messages/s: lab ${versus.lab.messagesPerSecond.toFixed(0)} · ws ${versus.ws.messagesPerSecond.toFixed(0)} · ratio ${checkAtLeast("tapped echo throughput ratio", versus.lab.messagesPerSecond / versus.ws.messagesPerSecond, budgets.tapEchoThroughputRatio, ratio)}`,
);
console.log(
  `  round trip p50: lab ${ms(versus.lab.p50Ms)} · ws ${ms(versus.ws.p50Ms)} (${ratio(versus.lab.p50Ms / versus.ws.p50Ms)}) · p99: lab ${ms(versus.lab.p99Ms)} · ws ${ms(versus.ws.p99Ms)} · ratio ${check("tapped echo p99 ratio", versus.lab.p99Ms / versus.ws.p99Ms, budgets.tapEchoP99Ratio, ratio)}`,
);
console.log(
  `  ${versus.idle} idle sockets, resident memory after V8's last-resort collection: lab ${check("idle sockets resident memory", versus.labIdleRssBytes, budgets.idleRssBytes, mb)} · ws ${mb(versus.wsIdleRssBytes)} · ratio ${check("idle sockets memory ratio", versus.labIdleRssBytes / versus.wsIdleRssBytes, budgets.idleRssRatio, ratio)}${versus.collected ? "" : " (no forced collection)"}`,
);

stolen = watchSteal();
const fills = await measureRoomFill(dist, [60, 300, 1000]);
console.log(
  `Filling a classroom room, beside a plain ws room started by this benchmark (a join gets the list, everyone else a one-line delta; each server in its own process; members join one after another${stealNote(stolen())})`,
);
for (const f of fills) {
  const timeRatio = f.lab.ms / f.ws.ms;
  const shownRatio =
    f.members === 1000
      ? check("room fill time ratio at 1,000", timeRatio, budgets.roomFillTimeRatio, ratio)
      : ratio(timeRatio);
  console.log(
    `  ${String(f.members).padStart(5)} members: time lab ${ms(f.lab.ms)} · ws ${ms(f.ws.ms)} · ratio ${shownRatio} · bytes sent lab ${kb(f.lab.bytes)} · ws ${kb(f.ws.bytes)} (${ratio(f.lab.bytes / f.ws.bytes)}), ${(f.lab.bytes / f.members / 1024).toFixed(2)} KiB per join`,
  );
}

stolen = watchSteal();
const lighthousePages = await measureLighthouse(dist);
console.log(
  `Lighthouse, mobile (simulated slow 4G and a 4× slower CPU), in Debian's Chromium against the production server, the median of ${LIGHTHOUSE_RUNS} runs per page${stealNote(stolen())}`,
);
for (const page of lighthousePages) {
  const score = (name: string, value: number): string =>
    `${name} ${checkAtLeast(`${page.path} ${name}`, value, budgets.lighthouseScore, (n) => String(n))}`;
  const { performance, accessibility, bestPractices, seo } = page.scores;
  console.log(
    `  ${page.path.padEnd(28)} ${score("performance", performance)} · ${score("accessibility", accessibility)} · ${score("best practices", bestPractices)} · ${score("SEO", seo)}`,
  );
  console.log(
    `  ${"".padEnd(28)} FCP ${page.fcpMs.toFixed(0)} ms · LCP ${page.lcpMs.toFixed(0)} ms · TBT ${page.tbtMs.toFixed(0)} ms · CLS ${page.cls.toFixed(3)} · JavaScript transferred ${kb(page.jsTransferBytes)}`,
  );
}

const stageMinutes = Number(process.env.BENCH_STAGE_MINUTES ?? 3);
stolen = watchSteal();
const stage = await measureWireStage(dist, { minutes: stageMinutes });
console.log(
  `Wire stage and inspector in Chromium (lesson 5; 10 messages/s per widget for ${stageMinutes} min, CPU throttled 4×, once with each widget in view${stealNote(stolen())})`,
);
console.log(
  `  start-up of lesson 2's widgets, longest task ${check("start-up long task", stage.startupLongestTaskMs, budgets.longTaskMs, ms)}`,
);
for (const phase of stage.phases) {
  const drew =
    phase.view === "stage"
      ? `${phase.drawn} items on the stage's WebSocket side`
      : `${phase.drawn} rows in the inspector's lane`;
  console.log(
    `  ${phase.view} in view (${phase.messages} messages; ${phase.inspectorEvents} events recorded by the inspector; ${drew} at the end)`,
  );
  console.log(
    `    under load, longest task ${check(`${phase.view}: load long task`, phase.loadLongestTaskMs, budgets.longTaskMs, ms)} (${phase.loadLongTasksOver50} over 50 ms) · CLS ${check(`${phase.view}: CLS`, phase.cls, budgets.cls, (n) => n.toFixed(4))}`,
  );
  console.log(
    `    main-thread busy time per message, by tenth of the run: ${phase.busyPerMessageMs.map((n) => n.toFixed(2)).join(" · ")} ms`,
  );
  console.log(
    `    growth, last tenth over the second ${check(`${phase.view}: busy time growth`, phase.busyGrowth, budgets.busyGrowth, (n) => `${n.toFixed(2)}×`)}`,
  );
}
console.log(
  `  reference page (a canvas redrawn every frame, a list changed every 50 ms), same throttling and time: longest task ${ms(stage.reference.longestTaskMs)} (${stage.reference.longTasksOver50} over 50 ms; no budget: the machine's own floor)`,
);

if (failures.length > 0) {
  console.error(`\nOver budget:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("\nAll budgets met.");
