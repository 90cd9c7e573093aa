// Browser tests for lessons 4 and 5: the frame inspector on the reader's own connection (real
// Chromium, real production server, real lab tap), stepping and deep links, the handshake
// stepper, and a recorded session replayed after the lab was stopped.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { clickRow, waitForRow } from "./inspector-lane.ts";

const baseUrl = inject("baseUrl");
const run = promisify(execFile);
let browser: Browser;
let page: Page;
let watch: PageWatch;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  expect(watch.pageErrors).toEqual([]);
  expect(foreignRequests(watch, baseUrl)).toEqual([]);
  await page?.close();
});

async function openLesson(path: string): Promise<Locator> {
  page = await browser.context.newPage();
  watch = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  const inspector = page.locator("sp-frame-inspector");
  await inspector.scrollIntoViewIfNeeded();
  await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
  return inspector;
}

interface LaneSnapshot {
  rows: { key: string; kind: string; progress: number; full: string; markerX: number; markerY: number }[];
}

const frameRow = (inspector: Locator, dir: "in" | "out", opcode: number) => inspector.locator(`.sequence li.dir-${dir} button[data-opcode="${opcode}"]`);

async function gridBytes(inspector: Locator): Promise<string[]> {
  return inspector.locator("[data-part=bytes] [role=option]").allInnerTexts();
}

describe("lesson 5: the frame inspector on your own connection", () => {
  it("shows your masked Hello frame, unmasks it with your browser's key, and shows the lab's echo", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Send text" }).click();
    await waitForRow(frameRow(inspector, "out", 1).first());

    await clickRow(inspector, frameRow(inspector, "in", 1).first());
    const mine = await gridBytes(inspector);
    expect(mine.slice(0, 2)).toEqual(["81", "85"]);
    expect(mine).toHaveLength(2 + 4 + 5);
    const key = mine.slice(2, 6).map((b) => parseInt(b, 16));
    const unmasked = mine.slice(6).map((b, i) => String.fromCharCode(parseInt(b, 16) ^ key[i % 4]!)).join("");
    expect(unmasked).toBe("Hello");
    const unmaskChars = await inspector.locator("[data-part=unmask] tr td:nth-child(5)").allInnerTexts();
    expect(unmaskChars.join("")).toBe("Hello");
    expect(await inspector.locator("[data-part=unmask-summary]").innerText()).toContain(mine.slice(2, 6).join(" "));

    await clickRow(inspector, frameRow(inspector, "out", 1).first());
    expect((await gridBytes(inspector)).join(" ")).toBe("81 05 48 65 6c 6c 6f");

    // Every byte explains itself on keyboard focus.
    await inspector.locator("[data-part=bytes]").focus();
    await page.keyboard.press("ArrowRight");
    expect(await inspector.locator("[data-part=byte-explanation]").innerText()).toMatch(/^Byte 1: 0x05[\s\S]*MASK[\s\S]*RFC 6455 §5\.2/);
  });

  it("animates each new frame across the lane's canvas and lands it; rows are picked by pointer or keyboard", async () => {
    const inspector = await openLesson("/lessons/frames/");
    // Tall enough to see the send button and the lane at once: a frame is animated only when the
    // lane is on screen as it arrives.
    await page.setViewportSize({ width: 1280, height: 1600 });
    const canvas = inspector.locator("[data-part=lane-canvas]");
    await canvas.evaluate((c) => c.scrollIntoView({ block: "end" }));
    await expect.poll(() => inspector.getByRole("button", { name: "Send text" }).evaluate((b) => b.getBoundingClientRect().top >= 0)).toBe(true);
    await inspector.getByRole("button", { name: "Send text" }).click();
    const mine = frameRow(inspector, "in", 1).first();
    await waitForRow(mine);
    const key = (await mine.getAttribute("data-frame"))!;
    // While it crosses, its marker moves from the browser's side towards the lab's, and the canvas
    // really holds the client's colour where the lane says the marker is.
    const positions: number[] = [];
    const painted: boolean[] = [];
    // Sampled as often as the page answers, until it lands (a crossing takes FLIGHT_MS, 600 ms).
    for (let i = 0; i < 200; i++) {
      const seen = await inspector.evaluate((el, k) => {
        const row = (el as unknown as { laneSnapshot(): LaneSnapshot }).laneSnapshot().rows.find((each) => each.key === k);
        if (!row) return null;
        if (row.progress >= 1) return { landed: true, x: row.markerX, close: true };
        const lane = el.querySelector<HTMLCanvasElement>("[data-part=lane-canvas]")!;
        const ratio = lane.width / lane.clientWidth;
        const [r, g, b] = lane.getContext("2d")!.getImageData(Math.round(row.markerX * ratio), Math.round(row.markerY * ratio), 1, 1).data;
        const probe = document.createElement("span");
        probe.style.color = "var(--client)";
        el.append(probe);
        const client = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
        probe.remove();
        return { landed: false, x: row.markerX, close: Math.abs(r! - client[0]!) + Math.abs(g! - client[1]!) + Math.abs(b! - client[2]!) < 40 };
      }, key);
      if (seen?.landed) break;
      if (seen) {
        positions.push(seen.x);
        painted.push(seen.close);
      }
    }
    expect(new Set(positions).size).toBeGreaterThan(1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(painted.length).toBeGreaterThan(0);
    expect(painted.every(Boolean)).toBe(true);
    // Then every row lands.
    const snapshot = () => inspector.evaluate((el) => (el as unknown as { laneSnapshot(): LaneSnapshot }).laneSnapshot());
    await expect.poll(async () => (await snapshot()).rows.filter((row) => row.kind === "frame").every((row) => row.progress === 1)).toBe(true);
    expect((await snapshot()).rows.length).toBeGreaterThanOrEqual(2);

    // The pointer: hovering a row gives its whole sentence; clicking it shows its bytes.
    const box = await inspector.evaluate((el, k) => (el as unknown as { laneRowBox(key: string): { x: number; y: number; width: number; height: number } }).laneRowBox(k), key);
    await canvas.hover({ position: { x: box.x + box.width / 2, y: box.y + box.height / 2 } });
    expect(await canvas.getAttribute("title")).toMatch(/^client → server, text · FIN · 11 bytes “Hello”, \+[\d.]+ m?s\.$/);
    await clickRow(inspector, mine);
    expect(await inspector.locator("[data-part=detail-title]").innerText()).toMatch(/^The client sent a masked text frame/);
    // The keyboard: the lab's echo is a button of its own, reached and pressed like any other.
    const echo = frameRow(inspector, "out", 1).first();
    await echo.focus();
    await page.keyboard.press("Enter");
    expect(await echo.getAttribute("aria-pressed")).toBe("true");
    expect(await mine.getAttribute("aria-pressed")).toBe("false");
    expect(await inspector.locator("[data-part=detail-title]").innerText()).toMatch(/^The server sent an unmasked text frame/);
  });

  it("shows the browser's automatic pong to a server ping, and a fragmented message with its text", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Ping me" }).click();
    await waitForRow(frameRow(inspector, "out", 9).first());
    await waitForRow(frameRow(inspector, "in", 10).first());
    expect(await frameRow(inspector, "in", 10).first().innerText()).toContain("Are you there?");

    await inspector.getByRole("button", { name: "Fragmented message" }).click();
    await waitForRow(inspector.locator(".sequence li.message").first());
    const rows = await inspector.locator(".sequence li.dir-out button").evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.opcode));
    expect(rows.slice(-3)).toEqual(["1", "0", "0"]);
    expect(await inspector.locator(".sequence li.message").last().innerText()).toMatch(/3 frames[\s\S]*A message sent in three fragments/);
  });

  it("lets the lab close with a chosen code, or drop the connection so the page sees 1006", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Close with 4001" }).click();
    await page.locator('sp-frame-inspector[data-state="CLOSED"]').waitFor();
    expect(await inspector.locator("[data-part=close-report]").innerText()).toMatch(/Closed with 4001 .*“Closed by the lab on request”/);
    await waitForRow(frameRow(inspector, "out", 8).first());

    await inspector.getByRole("button", { name: "Reconnect" }).click();
    await page.locator('sp-frame-inspector[data-state="OPEN"]').waitFor();
    await inspector.getByRole("button", { name: "Drop the connection" }).click();
    await page.locator('sp-frame-inspector[data-state="CLOSED"]').waitFor();
    expect(await inspector.locator("[data-part=close-report]").innerText()).toMatch(/Closed with 1006 Abnormal Closure/);
    // The lab's own account, in the (collapsed) event log: it cut the connection, no close frame.
    await inspector.locator("[data-part=log] li", { hasText: "started by the lab: 1006" }).waitFor({ state: "attached" });
  });

  it("checks the accept value of your real handshake in the browser", async () => {
    const inspector = await openLesson("/lessons/upgrade-handshake/");
    await inspector.locator('[data-part=accept-check][data-result="match"]').waitFor();
    expect(await inspector.locator("[data-part=request]").innerText()).toMatch(/^GET \/lab\/echo\?watch=[\w-]+ HTTP\/1\.1[\s\S]*Sec-WebSocket-Key: /);
    expect(await inspector.locator("[data-part=response]").innerText()).toMatch(/^HTTP\/1\.1 101 Switching Protocols/);
  });

  it("keeps the event log to the newest events, numbered as in the recording, however long the session", async () => {
    const inspector = await openLesson("/lessons/frames/");
    // Every element ever put into the log, the frame lane's list, the byte grid and the unmask
    // table during the run: rows that leave are written again as new ones, so there are never
    // more than each view holds at once (made anew, they would be garbage for the browser).
    await inspector.evaluate((el) => {
      const made: Record<string, Set<Node>> = {};
      for (const part of ["log", "sequence", "bytes", "unmask"]) {
        const seen = (made[part] = new Set());
        new MutationObserver((records) => {
          for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) seen.add(node);
        }).observe(el.querySelector(`[data-part=${part}]`)!, { childList: true });
      }
      (window as unknown as { __made: () => Record<string, number> }).__made = () => Object.fromEntries(Object.entries(made).map(([part, nodes]) => [part, nodes.size]));
    });
    // 150 messages, sent as fast as a reader pressing Send again and again: each is two frames.
    await page.evaluate(async () => {
      const form = document.querySelector<HTMLFormElement>("sp-frame-inspector form[data-part=send-form]")!;
      for (let i = 0; i < 150; i++) {
        form.requestSubmit(form.querySelector<HTMLButtonElement>("button[type=submit]"));
        await new Promise((r) => setTimeout(r, 30)); // under the lab's 50 messages a second
      }
    });
    await page.waitForFunction(() => Number(document.querySelector("sp-frame-inspector")!.getAttribute("data-step")) >= 300);
    await inspector.locator("summary", { hasText: "Event log" }).click();
    const log = inspector.locator("[data-part=log]");
    // The log follows live at most once a second, after a draw paced at 200 ms: wait until it
    // ends on the newest event.
    const logEndsOnNewest = async (): Promise<number> => Number(await log.getAttribute("start")) - 1 + (await log.locator("li").count()) - Number(await inspector.getAttribute("data-step"));
    await expect.poll(logEndsOnNewest).toBe(0);
    const total = Number(await inspector.getAttribute("data-step"));
    const listed = await log.locator("li").count();
    expect(listed).toBeGreaterThanOrEqual(200);
    expect(listed).toBeLessThanOrEqual(250);
    const first = Number(await log.getAttribute("start"));
    expect(first).toBeGreaterThan(1);
    const earlier = inspector.locator("[data-part=log-earlier]");
    expect(await earlier.isVisible()).toBe(true);
    expect(await earlier.innerText()).toBe(`${(first - 1).toLocaleString("en-US")} earlier events are not listed here: step back to see them.`);
    expect(first - 1 + listed).toBeGreaterThanOrEqual(total - 5);
    const made = await page.evaluate(() => (window as unknown as { __made: () => Record<string, number> }).__made());
    expect(made.log).toBeLessThanOrEqual(250);
    // The lane lists the newest 24 frames and drops the oldest in batches of 12: it drops them
    // when the 37th arrives.
    expect(made.sequence).toBeLessThanOrEqual(24 + 12 + 1);
    // The largest frame shown is the page's masked "Hello": 2 header bytes, a 4-byte key, 5 of payload.
    expect(made.bytes).toBeLessThanOrEqual(2 + 4 + "Hello".length);
    expect(made.unmask).toBeLessThanOrEqual("Hello".length);

    // Stepping back to the start lists the first events again, and the note goes.
    await inspector.getByRole("button", { name: "Pause" }).focus();
    await page.keyboard.press("Home");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    expect(await log.locator("li").count()).toBe(3);
    expect(await log.getAttribute("start")).toBe("1");
    expect(await earlier.isVisible()).toBe(false);
  });

  it("saves your connection for Wireshark, which decodes the same frames", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Send text" }).click();
    await waitForRow(frameRow(inspector, "out", 1).first());
    const dir = await mkdtemp(join(tmpdir(), "sp-pcapng-"));
    try {
      const [download] = await Promise.all([page.waitForEvent("download"), inspector.getByRole("button", { name: "Save for Wireshark (.pcapng)" }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.pcapng$/);
      const file = join(dir, "capture.pcapng");
      await download.saveAs(file);
      const { stdout } = await run("tshark", ["-r", file, "-Y", "websocket", "-T", "fields", "-e", "websocket.opcode", "-e", "websocket.mask", "-e", "websocket.payload.text"]);
      const rows = stdout.trim().split("\n").map((line) => line.split("\t"));
      // Your masked "Hello" and the lab's unmasked echo, as Wireshark's own dissector reads them.
      expect(rows).toContainEqual(["1", "1", "Hello"]);
      expect(rows).toContainEqual(["1", "0", "Hello"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("steps back and forward by keyboard, and a deep link reopens the same step", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Send text" }).click();
    await waitForRow(frameRow(inspector, "out", 1).first());
    const total = Number(await inspector.getAttribute("data-step"));
    expect(total).toBeGreaterThan(4);

    // Pausing and stepping save the recording (for deep links): any save of this session will do.
    const saved = (): Promise<string | null> => page.evaluate(() => localStorage.getItem("sp:inspector-recording"));
    const savedBefore = await saved();
    await inspector.getByRole("button", { name: "Pause" }).focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    expect(await inspector.getAttribute("data-mode")).toBe("stopped");
    expect(Number(await inspector.getAttribute("data-step"))).toBe(total - 2);
    await page.keyboard.press("ArrowRight");
    expect(Number(await inspector.getAttribute("data-step"))).toBe(total - 1);
    await page.keyboard.press("Home");
    expect(await inspector.getAttribute("data-step")).toBe("0");
    expect(await inspector.locator(".sequence li").count()).toBe(0);
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    // page.url() follows a replaceState through a DevTools event, not in step with the key press.
    await expect.poll(() => new URL(page.url()).hash).toBe("#inspector-step=4");
    const framesAtStep = await inspector.locator(".sequence li").count();

    const link = page.url();
    // The recording is saved for deep links shortly after it changes (a timer): wait for it.
    await expect.poll(saved).not.toBe(savedBefore);
    const second = await browser.context.newPage();
    const secondWatch = watchPage(second);
    await second.goto(link);
    const reopened = second.locator("sp-frame-inspector");
    await second.locator("sp-frame-inspector[data-ready]").waitFor();
    expect(await reopened.getAttribute("data-step")).toBe("4");
    expect(await reopened.getAttribute("data-source")).toBe("file");
    expect(await reopened.locator(".sequence li").count()).toBe(framesAtStep);
    expect(secondWatch.pageErrors).toEqual([]);
    await second.close();
  });
});

describe("replaying a recording with the lab stopped", () => {
  it("saves a session, and replays it after the server is gone", async () => {
    // A production server of our own, so stopping it does not disturb the other tests.
    const root = resolve(import.meta.dirname, "..", "..");
    const server: ChildProcess = spawn(process.execPath, [join(root, "src", "server", "start.mjs"), "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" } });
    const url = await new Promise<string>((resolvePromise, reject) => {
      let out = "";
      server.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /running at (http:\/\/\S+?)\/?\s/.exec(out);
        if (match) resolvePromise(match[1]!);
      });
      server.once("exit", (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    const downloads = await mkdtemp(join(tmpdir(), "sp-recording-"));
    try {
      page = await browser.context.newPage();
      watch = watchPage(page);
      await page.goto(`${url}/lessons/frames/`);
      const inspector = page.locator("sp-frame-inspector");
      await inspector.scrollIntoViewIfNeeded();
      await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
      await inspector.getByRole("button", { name: "Send text" }).click();
      await waitForRow(frameRow(inspector, "out", 1).first());
      const recorded = Number(await inspector.getAttribute("data-step"));
      // The site's offline copy is in place once its worker is active (it installs after load).
      await expect.poll(() => page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state)), { timeout: 15_000 }).toBe("activated");

      const [download] = await Promise.all([page.waitForEvent("download"), inspector.getByRole("button", { name: "Save recording" }).click()]);
      const file = join(downloads, "capture.json");
      await download.saveAs(file);

      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGKILL");
      await exited;
      await page.locator('sp-frame-inspector[data-state="CLOSED"]').waitFor();

      await inspector.locator("input[type=file]").setInputFiles(file);
      await page.locator('sp-frame-inspector[data-source="file"]').waitFor();
      expect(await inspector.getAttribute("data-step")).toBe("0");
      await inspector.getByRole("button", { name: "Last event" }).click();
      expect(Number(await inspector.getAttribute("data-step"))).toBe(recorded);
      await clickRow(inspector, frameRow(inspector, "in", 1).first());
      expect((await gridBytes(inspector)).slice(0, 2)).toEqual(["81", "85"]);
      expect(await inspector.locator("[data-part=problem]").innerText()).toMatch(/Replaying “capture\.json”/);
      // The lab is gone, so Chromium logs the failed reconnects of other widgets; ignore those.
      watch.consoleErrors.length = 0;

      // A fresh tab, with the server still stopped: the lesson comes from the offline copy, and
      // the inspector replays the same recording.
      const fresh = await browser.context.newPage();
      try {
        const response = await fresh.goto(`${url}/lessons/frames/`);
        expect(response?.fromServiceWorker()).toBe(true);
        const again = fresh.locator("sp-frame-inspector");
        await again.scrollIntoViewIfNeeded();
        await fresh.locator("sp-frame-inspector[data-ready]").waitFor();
        await again.locator("input[type=file]").setInputFiles(file);
        await fresh.locator('sp-frame-inspector[data-source="file"]').waitFor();
        await again.getByRole("button", { name: "Last event" }).click();
        expect(Number(await again.getAttribute("data-step"))).toBe(recorded);
        await clickRow(again, frameRow(again, "in", 1).first());
        expect((await gridBytes(again)).slice(0, 2)).toEqual(["81", "85"]);
      } finally {
        await fresh.close();
      }
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
      await rm(downloads, { recursive: true, force: true });
      // This page's requests went to its own server, not the shared one.
      watch.requests = watch.requests.filter((r) => !r.startsWith(url.replace("http", "ws")) && !r.startsWith(url));
    }
  });
});

describe("lesson 4: the handshake stepper", () => {
  it("steps through your real handshake by keyboard, and a deep link opens a step", async () => {
    page = await browser.context.newPage();
    watch = watchPage(page);
    await page.goto(`${baseUrl}/lessons/upgrade-handshake/`);
    const stepper = page.locator("sp-handshake-stepper");
    await stepper.scrollIntoViewIfNeeded();
    await page.locator('sp-handshake-stepper[data-ready][data-source="live"]').waitFor();
    expect(await stepper.getAttribute("data-step")).toBe("1");
    await stepper.locator("[data-part=next]").focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowRight");
    expect(await stepper.getAttribute("data-step")).toBe("5");
    await stepper.locator('[data-part=accept-check][data-match="true"]').waitFor();
    expect(await stepper.locator("[data-part=accept-check]").innerText()).toMatch(/^✓ Match/);
    await page.keyboard.press("ArrowLeft");
    expect(await stepper.getAttribute("data-step")).toBe("4");
    expect(page.url()).toMatch(/#handshake-step=4$/);
    expect(await stepper.locator("[data-part=step-title]").innerText()).toMatch(/accept/i);

    await page.goto(`${baseUrl}/lessons/upgrade-handshake/#handshake-step=5`);
    await page.reload();
    await stepper.scrollIntoViewIfNeeded();
    await page.locator("sp-handshake-stepper[data-ready]").waitFor();
    expect(await stepper.getAttribute("data-step")).toBe("5");
    expect(await stepper.locator("[data-part=step-title]").innerText()).toMatch(/101/);
  });
});
