// Browser tests for lessons 4 and 5: the frame inspector on the reader's own connection (real
// Chromium, real production server, real lab tap), stepping and deep links (also opened in a
// fresh browser, where the step does not exist yet), byte notes on a phone, a loaded recording
// replayed under its own name, the tap's watch token never shown, the handshake stepper, and a
// recorded session replayed after the lab was stopped.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, readFile, rm } from "node:fs/promises";
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

const frameRow = (inspector: Locator, dir: "in" | "out", opcode: number) =>
  inspector.locator(`.sequence li.dir-${dir} button[data-opcode="${opcode}"]`);

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
    const unmasked = mine
      .slice(6)
      .map((b, i) => String.fromCharCode(parseInt(b, 16) ^ key[i % 4]!))
      .join("");
    expect(unmasked).toBe("Hello");
    const unmaskChars = await inspector.locator("[data-part=unmask] tr td:nth-child(5)").allInnerTexts();
    expect(unmaskChars.join("")).toBe("Hello");
    expect(await inspector.locator("[data-part=unmask-summary]").innerText()).toContain(mine.slice(2, 6).join(" "));

    await clickRow(inspector, frameRow(inspector, "out", 1).first());
    expect((await gridBytes(inspector)).join(" ")).toBe("81 05 48 65 6c 6c 6f");

    // Every byte explains itself on keyboard focus, a fact a line.
    await inspector.locator("[data-part=bytes]").focus();
    await page.keyboard.press("ArrowRight");
    const notes = await inspector.locator("[data-part=byte-notes] .note").allInnerTexts();
    expect(notes[0]).toBe("Byte 1: 0x05 = 0000 0101");
    expect(notes).toContain("MASK: bit 0 = 0");
    expect(notes).toContain("A server never masks the frames it sends. RFC 6455 §5.1");
    expect(notes).toContain("The payload is 5 bytes long. RFC 6455 §5.2");
  });

  it("animates each new frame across the lane's canvas and lands it; rows are picked by pointer or keyboard", async () => {
    const inspector = await openLesson("/lessons/frames/");
    // Tall enough to see the send button and the lane at once: a frame is animated only when the
    // lane is on screen as it arrives.
    await page.setViewportSize({ width: 1280, height: 1600 });
    const canvas = inspector.locator("[data-part=lane-canvas]");
    await canvas.evaluate((c) => c.scrollIntoView({ block: "end" }));
    await expect
      .poll(() =>
        inspector.getByRole("button", { name: "Send text" }).evaluate((b) => b.getBoundingClientRect().top >= 0),
      )
      .toBe(true);
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
        const row = (el as unknown as { laneSnapshot(): LaneSnapshot })
          .laneSnapshot()
          .rows.find((each) => each.key === k);
        if (!row) return null;
        if (row.progress >= 1) return { landed: true, x: row.markerX, close: true };
        const lane = el.querySelector<HTMLCanvasElement>("[data-part=lane-canvas]")!;
        const ratio = lane.width / lane.clientWidth;
        const [r, g, b] = lane
          .getContext("2d")!
          .getImageData(Math.round(row.markerX * ratio), Math.round(row.markerY * ratio), 1, 1).data;
        const probe = document.createElement("span");
        probe.style.color = "var(--client)";
        el.append(probe);
        const client = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
        probe.remove();
        return {
          landed: false,
          x: row.markerX,
          close: Math.abs(r! - client[0]!) + Math.abs(g! - client[1]!) + Math.abs(b! - client[2]!) < 40,
        };
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
    const snapshot = () =>
      inspector.evaluate((el) => (el as unknown as { laneSnapshot(): LaneSnapshot }).laneSnapshot());
    await expect
      .poll(async () =>
        (await snapshot()).rows.filter((row) => row.kind === "frame").every((row) => row.progress === 1),
      )
      .toBe(true);
    expect((await snapshot()).rows.length).toBeGreaterThanOrEqual(2);

    // The pointer: hovering a row gives its whole sentence; clicking it shows its bytes.
    const box = await inspector.evaluate(
      (el, k) =>
        (
          el as unknown as { laneRowBox(key: string): { x: number; y: number; width: number; height: number } }
        ).laneRowBox(k),
      key,
    );
    await canvas.hover({ position: { x: box.x + box.width / 2, y: box.y + box.height / 2 } });
    expect(await canvas.getAttribute("title")).toMatch(
      /^client → server, text · FIN · 11 bytes “Hello”, \+[\d.]+ m?s\.$/,
    );
    await clickRow(inspector, mine);
    expect(await inspector.locator("[data-part=detail-title]").innerText()).toMatch(
      /^The client sent a masked text frame/,
    );
    // The keyboard: the lab's echo is a button of its own, reached and pressed like any other.
    const echo = frameRow(inspector, "out", 1).first();
    await echo.focus();
    await page.keyboard.press("Enter");
    expect(await echo.getAttribute("aria-pressed")).toBe("true");
    expect(await mine.getAttribute("aria-pressed")).toBe("false");
    expect(await inspector.locator("[data-part=detail-title]").innerText()).toMatch(
      /^The server sent an unmasked text frame/,
    );
  });

  it("shows the browser's automatic pong to a server ping, and a fragmented message with its text", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Ping me" }).click();
    await waitForRow(frameRow(inspector, "out", 9).first());
    await waitForRow(frameRow(inspector, "in", 10).first());
    expect(await frameRow(inspector, "in", 10).first().innerText()).toContain("Are you there?");

    await inspector.getByRole("button", { name: "Fragmented message" }).click();
    await waitForRow(inspector.locator(".sequence li.message").first());
    const rows = await inspector
      .locator(".sequence li.dir-out button")
      .evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset.opcode));
    expect(rows.slice(-3)).toEqual(["1", "0", "0"]);
    expect(await inspector.locator(".sequence li.message").last().innerText()).toMatch(
      /3 frames[\s\S]*A message sent in three fragments/,
    );
  });

  it("lets the lab close with a chosen code, or drop the connection so the page sees 1006", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await inspector.getByRole("button", { name: "Close with 4001" }).click();
    await page.locator('sp-frame-inspector[data-state="CLOSED"]').waitFor();
    expect(await inspector.locator("[data-part=close-report]").innerText()).toMatch(
      /Closed with 4001 .*“Closed by the lab on request”/,
    );
    await waitForRow(frameRow(inspector, "out", 8).first());

    await inspector.getByRole("button", { name: "Reconnect" }).click();
    await page.locator('sp-frame-inspector[data-state="OPEN"]').waitFor();
    await inspector.getByRole("button", { name: "Drop the connection" }).click();
    await page.locator('sp-frame-inspector[data-state="CLOSED"]').waitFor();
    expect(await inspector.locator("[data-part=close-report]").innerText()).toMatch(
      /Closed with 1006 Abnormal Closure/,
    );
    // The lab's own account, in the (collapsed) event log: it cut the connection, no close frame.
    await inspector
      .locator("[data-part=log] li", { hasText: "started by the lab: 1006" })
      .waitFor({ state: "attached" });
  });

  it("checks the accept value of your real handshake in the browser", async () => {
    const inspector = await openLesson("/lessons/upgrade-handshake/");
    await inspector.locator('[data-part=accept-check][data-result="match"]').waitFor();
    expect(await inspector.locator("[data-part=request]").innerText()).toMatch(
      /^GET \/lab\/echo\?watch=… HTTP\/1\.1[\s\S]*Sec-WebSocket-Key: /,
    );
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
          for (const record of records)
            for (const node of record.addedNodes) if (node instanceof Element) seen.add(node);
        }).observe(el.querySelector(`[data-part=${part}]`)!, { childList: true });
      }
      (window as unknown as { __made: () => Record<string, number> }).__made = () =>
        Object.fromEntries(Object.entries(made).map(([part, nodes]) => [part, nodes.size]));
    });
    // 150 messages, sent as fast as a reader pressing Send again and again: each is two frames.
    await page.evaluate(async () => {
      const form = document.querySelector<HTMLFormElement>("sp-frame-inspector form[data-part=send-form]")!;
      for (let i = 0; i < 150; i++) {
        form.requestSubmit(form.querySelector<HTMLButtonElement>("button[type=submit]"));
        await new Promise((r) => setTimeout(r, 30)); // under the lab's 50 messages a second
      }
    });
    await page.waitForFunction(
      () => Number(document.querySelector("sp-frame-inspector")!.getAttribute("data-step")) >= 300,
    );
    await inspector.locator("summary", { hasText: "Event log" }).click();
    const log = inspector.locator("[data-part=log]");
    // The log follows live at most once a second, after a draw paced at 200 ms: wait until it
    // ends on the newest event.
    const logEndsOnNewest = async (): Promise<number> =>
      Number(await log.getAttribute("start")) -
      1 +
      (await log.locator("li").count()) -
      Number(await inspector.getAttribute("data-step"));
    await expect.poll(logEndsOnNewest).toBe(0);
    const total = Number(await inspector.getAttribute("data-step"));
    const listed = await log.locator("li").count();
    expect(listed).toBeGreaterThanOrEqual(200);
    expect(listed).toBeLessThanOrEqual(250);
    const first = Number(await log.getAttribute("start"));
    expect(first).toBeGreaterThan(1);
    const earlier = inspector.locator("[data-part=log-earlier]");
    expect(await earlier.isVisible()).toBe(true);
    expect(await earlier.innerText()).toBe(
      `${(first - 1).toLocaleString("en-US")} earlier events are not listed here: step back to see them.`,
    );
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
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        inspector.getByRole("button", { name: "Save for Wireshark (.pcapng)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pcapng$/);
      const file = join(dir, "capture.pcapng");
      await download.saveAs(file);
      const { stdout } = await run("tshark", [
        "-r",
        file,
        "-Y",
        "websocket",
        "-T",
        "fields",
        "-e",
        "websocket.opcode",
        "-e",
        "websocket.mask",
        "-e",
        "websocket.payload.text",
      ]);
      const rows = stdout
        .trim()
        .split("\n")
        .map((line) => line.split("\t"));
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
    const server: ChildProcess = spawn(process.execPath, [join(root, "src", "server", "start.mjs"), "--port", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
    });
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
      await expect
        .poll(() => page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state)), {
          timeout: 15_000,
        })
        .toBe("activated");

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        inspector.getByRole("button", { name: "Save recording" }).click(),
      ]);
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
      expect(await inspector.locator("[data-part=replaying]").innerText()).toMatch(
        /^Replaying capture\.json: \d+ frames, saved /,
      );
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

/** Saves the open page's recording as a file, as a reader would, and says what it holds (the tap's token is in its first event). */
async function saveRecording(
  inspector: Locator,
  dir: string,
): Promise<{ file: string; events: number; savedAt: string; token: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    inspector.getByRole("button", { name: "Save recording" }).click(),
  ]);
  const file = join(dir, "capture.json");
  await download.saveAs(file);
  const saved = JSON.parse(await readFile(file, "utf8")) as {
    events: { type: string; token?: string }[];
    savedAt: string;
  };
  return {
    file,
    events: saved.events.length,
    savedAt: saved.savedAt,
    token: saved.events.find((e) => e.type === "hello")?.token ?? "",
  };
}

/**
 * Every word the inspector writes about what it shows, as a reader sees it: the badge, the status
 * line, the notes, the lane when empty, the handshake's captions, and both live regions (parts
 * hidden at the moment say nothing).
 */
async function stateWords(inspector: Locator): Promise<string> {
  return inspector.evaluate((el) =>
    [
      "badge",
      "connection",
      "replaying",
      "step-label",
      "link-note",
      "replay-hint",
      "problem",
      "sequence-empty",
      "request-from",
      "request-size",
      "response-size",
      "announcer",
    ]
      .map((part) => el.querySelector<HTMLElement>(`[data-part="${part}"]`))
      .filter((node): node is HTMLElement => node !== null && !node.hidden)
      .map((node) => node.textContent ?? "")
      .join(" | "),
  );
}

/** What a replay must never say ("Go live" names the button that leaves it). */
const SAYS_LIVE = /(?<!Go )\blive\b|No frames yet|not captured yet/i;

describe("a recording loaded from a file", () => {
  it("is replayed under its own name, with its frames and save date, never as live, at every step", async () => {
    const inspector = await openLesson("/lessons/frames/");
    for (let i = 0; i < 2; i++) {
      await inspector.getByRole("button", { name: "Send text" }).click();
      await waitForRow(frameRow(inspector, "out", 1).nth(i));
    }
    const frames = await inspector.locator(".sequence li button").count();
    const dir = await mkdtemp(join(tmpdir(), "sp-replay-"));
    const other = await launchBrowser();
    try {
      const { file, events, savedAt } = await saveRecording(inspector, dir);
      const date = `${savedAt.slice(0, 10)} ${savedAt.slice(11, 16)} UTC`;
      // Another browser, with nothing of this session in it: the reader who was sent the file.
      const fresh = await other.context.newPage();
      const freshWatch = watchPage(fresh);
      await fresh.goto(`${baseUrl}/lessons/frames/`);
      const replay = fresh.locator("sp-frame-inspector");
      await replay.scrollIntoViewIfNeeded();
      await fresh.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
      expect(await replay.locator("[data-part=badge]").textContent()).toBe("live");
      await replay.locator("input[type=file]").setInputFiles(file);
      await fresh.locator('sp-frame-inspector[data-view="replay"]').waitFor();

      const status = replay.locator(".status");
      expect(await replay.locator("[data-part=badge]").textContent()).toBe("replay");
      expect(await status.innerText()).toBe(
        `Replaying capture.json: ${frames} frames, saved ${date} · Event 0 of ${events}`,
      );
      const empty = replay.locator("[data-part=sequence-empty]");
      expect(await empty.isVisible()).toBe(true);
      expect(await empty.textContent()).toMatch(
        new RegExp(
          `^capture\\.json holds ${frames} frames; none is shown at event 0\\. The next comes with event \\d+: press Play or step forward\\.$`,
        ),
      );
      expect(await replay.locator("[data-part=request-from]").textContent()).toBe("Request in capture.json");
      expect(await stateWords(replay)).not.toMatch(SAYS_LIVE);

      // Step by step to the end, then back to the start: at no step does it call itself live.
      await replay.getByRole("button", { name: "Step forward" }).focus();
      for (let step = 1; step <= events; step++) {
        await fresh.keyboard.press("ArrowRight");
        expect(await replay.getAttribute("data-step")).toBe(String(step));
        const words = await stateWords(replay);
        expect(words, `step ${step}`).not.toMatch(SAYS_LIVE);
        expect(words, `step ${step}`).toContain(`Replaying capture.json: ${frames} frames`);
      }
      expect(await empty.isVisible()).toBe(false);
      // (Step forward is disabled at the end, and lets the focus go.)
      await replay.getByRole("button", { name: "Step back" }).focus();
      await fresh.keyboard.press("Home");
      expect(await replay.locator("[data-part=announcer]").textContent()).toBe(
        "Replaying capture.json, back at the start: no events shown.",
      );
      await replay.getByRole("button", { name: "Play" }).click();
      await expect
        .poll(() => replay.locator("[data-part=step-label]").textContent())
        .toMatch(/^Playing: event [1-9]\d* of /);
      expect(await stateWords(replay)).not.toMatch(SAYS_LIVE);
      expect(freshWatch.pageErrors).toEqual([]);
    } finally {
      await other.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a link to a step, opened in a fresh browser", () => {
  it("waits for the step on the reader's own connection, says why in the live region, and lands on it when it arrives", async () => {
    const asked = 12;
    const other = await launchBrowser();
    try {
      page = await other.context.newPage();
      watch = watchPage(page);
      await page.goto(`${baseUrl}/lessons/frames/#inspector-step=${asked}`);
      const inspector = page.locator("sp-frame-inspector");
      await inspector.scrollIntoViewIfNeeded();
      await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
      const note = inspector.locator("[data-part=link-note]");
      expect(await note.getAttribute("role")).toBe("status");
      await expect
        .poll(() => note.textContent())
        .toMatch(
          new RegExp(
            `^The link asks for step ${asked}; your connection has [1-9] events? so far\\. It will show step ${asked} when it arrives: send a message or ask the lab for frames\\.$`,
          ),
        );
      expect(await note.isVisible()).toBe(true);
      expect(await inspector.getAttribute("data-view")).toBe("live");
      // The address keeps the step while it is awaited.
      expect(new URL(page.url()).hash).toBe(`#inspector-step=${asked}`);

      // Each message brings more events; the view stops at the step as soon as it is there.
      for (let i = 0; i < 10 && (await inspector.getAttribute("data-view")) === "live"; i++) {
        const before = Number(await inspector.getAttribute("data-step"));
        await inspector.getByRole("button", { name: "Send text" }).click();
        await expect
          .poll(
            async () =>
              (await inspector.getAttribute("data-view")) !== "live" ||
              Number(await inspector.getAttribute("data-step")) >= before + 2,
          )
          .toBe(true);
      }
      await page.locator('sp-frame-inspector[data-view="paused"]').waitFor();
      expect(await inspector.getAttribute("data-step")).toBe(String(asked));
      expect(await note.textContent()).toBe(`Showing step ${asked}, as the link asked.`);
      expect(await inspector.locator("[data-part=step-label]").textContent()).toMatch(
        new RegExp(`^Paused at event ${asked} of \\d+$`),
      );
      expect(new URL(page.url()).hash).toBe(`#inspector-step=${asked}`);
      // The reader takes over: the note goes.
      await inspector.getByRole("button", { name: "Step back" }).click();
      expect(await note.isVisible()).toBe(false);
      expect(watch.pageErrors).toEqual([]);
      expect(foreignRequests(watch, baseUrl)).toEqual([]);
    } finally {
      // The page closes with its browser (closing it again after the test does nothing).
      await other.close();
    }
  });

  it("goes to the step of a recording loaded afterwards, or to its last event when the step is past its end, and says so", async () => {
    const inspector = await openLesson("/lessons/frames/");
    for (let i = 0; i < 2; i++) {
      await inspector.getByRole("button", { name: "Send text" }).click();
      await waitForRow(frameRow(inspector, "out", 1).nth(i));
    }
    const dir = await mkdtemp(join(tmpdir(), "sp-link-"));
    const other = await launchBrowser();
    try {
      const { file, events } = await saveRecording(inspector, dir);
      const fresh = await other.context.newPage();
      const freshWatch = watchPage(fresh);
      await fresh.goto(`${baseUrl}/lessons/frames/#inspector-step=${events}`);
      const replay = fresh.locator("sp-frame-inspector");
      await replay.scrollIntoViewIfNeeded();
      await fresh.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
      const note = replay.locator("[data-part=link-note]");
      // The fresh connection has only its handshake's few events: the step waits, and the note says so.
      await expect.poll(() => note.textContent()).toMatch(new RegExp(`^The link asks for step ${events}`));
      expect(await replay.getAttribute("data-view")).toBe("live");

      await replay.locator("input[type=file]").setInputFiles(file);
      await fresh.locator('sp-frame-inspector[data-view="replay"]').waitFor();
      await expect.poll(() => replay.getAttribute("data-step")).toBe(String(events));
      expect(await note.textContent()).toBe(`Showing step ${events}, as the link asked.`);
      expect(await stateWords(replay)).not.toMatch(SAYS_LIVE);

      // A teacher's next link reaches the page in place: past the end of this file.
      await fresh.evaluate(() => (location.hash = "#inspector-step=500"));
      await expect
        .poll(() => note.textContent())
        .toBe(`The link asks for step 500, but capture.json has ${events} events: showing its last one.`);
      expect(await replay.getAttribute("data-step")).toBe(String(events));
      expect(freshWatch.pageErrors).toEqual([]);
    } finally {
      await other.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("byte notes on a phone", () => {
  it("explain a byte in short lines, one fact each with its RFC 6455 section, that fit 390 px", async () => {
    const inspector = await openLesson("/lessons/frames/");
    await page.setViewportSize({ width: 390, height: 844 });
    await inspector.getByRole("button", { name: "Send text" }).click();
    await clickRow(inspector, frameRow(inspector, "in", 1).first());
    const bytes = inspector.locator("[data-part=bytes]");
    await bytes.focus();
    const notes = inspector.locator("[data-part=byte-notes]");
    for (const [index, head, field] of [
      [1, "Byte 1: 0x85 = 1000 0101", "MASK: bit 0 = 1"],
      [3, undefined, "masking key: bytes 2–5"],
    ] as const) {
      await page.keyboard.press("Home");
      for (let i = 0; i < index; i++) await page.keyboard.press("ArrowRight");
      const lines = await notes.locator(".note").allInnerTexts();
      if (head) expect(lines[0]).toBe(head);
      expect(lines).toContain(field);
      const facts = await notes.locator(".note-fact").allInnerTexts();
      expect(facts.length).toBeGreaterThan(1);
      for (const fact of facts) expect(fact).toMatch(/^[A-Z0-9][^;]*\. RFC 6455 §\d+(\.\d+)*$/);
      // Nothing runs past the panel, and no fact takes more than two lines of a phone.
      expect(await notes.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      const linesPerFact = await notes
        .locator(".note-fact .note-text")
        .evaluateAll((spans) => spans.map((span) => span.getClientRects().length));
      expect(Math.max(...linesPerFact)).toBeLessThanOrEqual(2);
    }
    expect(await notes.locator(".note").allInnerTexts()).toContain(
      "Payload byte i is XORed with key byte i mod 4. RFC 6455 §5.3",
    );

    // The list of every field: where each sits in the frame, then its facts.
    await inspector.locator("summary", { hasText: "Every field of this frame" }).click();
    const mask = inspector.locator("[data-part=fields] li").nth(5);
    expect(await mask.locator(".note").allInnerTexts()).toEqual([
      "MASK: byte 1, bit 0 = 1",
      "The payload is masked. RFC 6455 §5.2",
      "The 4-byte masking key follows the length. RFC 6455 §5.2",
      "A client masks every frame it sends. RFC 6455 §5.1",
    ]);
  });
});

describe("the tap's watch token", () => {
  for (const path of [
    "/lessons/tcp-underneath/",
    "/lessons/upgrade-handshake/",
    "/lessons/frames/",
    "/lessons/ping-pong-close/",
  ]) {
    it(`is never in the page on ${path}, while the inspector shows the request that carried it`, async () => {
      const inspector = await openLesson(path);
      await inspector
        .locator("summary", { hasText: "Opening handshake" })
        .evaluate((summary) => ((summary.parentElement as HTMLDetailsElement).open = true));
      const request = inspector.locator("[data-part=request]");
      await expect.poll(() => request.textContent()).toMatch(/^GET \/lab\/echo\?watch=… HTTP\/1\.1\n/);
      // The inspector's token, as its saved recording holds it, is the one its connection carried.
      const dir = await mkdtemp(join(tmpdir(), "sp-token-"));
      try {
        const { token } = await saveRecording(inspector, dir);
        expect(token).toMatch(/^[A-Za-z0-9_-]{22,64}$/);
        expect(watch.requests.filter((url) => url.includes(`watch=${token}`)).length).toBeGreaterThanOrEqual(2);
        const everything = await page.evaluate(
          () => `${document.documentElement.outerHTML}\n${document.body.innerText}\n${location.href}`,
        );
        expect(everything).not.toContain(token);
        // Nor does the inspector show any other tap's token.
        expect(await inspector.evaluate((el) => el.outerHTML)).not.toMatch(/watch=[A-Za-z0-9_-]{22}/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
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
    // The stepper shows the request its own tapped connection sent, whose target holds the tap's
    // watch token (the reader's secret): every token the page used is hidden, byte for byte.
    const tokens = [
      ...new Set(watch.requests.flatMap((url) => [...url.matchAll(/watch=([A-Za-z0-9_-]{16,})/g)].map((m) => m[1]!))),
    ];
    expect(tokens.length).toBeGreaterThan(0);
    expect(await stepper.locator("[data-part=request-lines]").innerText()).toMatch(/watch=·{16,}/);
    const everything = await page.evaluate(
      () => `${document.documentElement.outerHTML}\n${document.body.innerText}\n${location.href}`,
    );
    for (const token of tokens) expect(everything).not.toContain(token);
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
