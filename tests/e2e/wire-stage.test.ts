// Browser tests for the wire stage against the production server: a real frame crossing the
// stage and landing (its bytes parsed from the lab's capture), pause / step / resume live, a
// minute of sending with the newest event still in view, a deep link reopened in a fresh
// browser, every lesson's stage at phone width, and axe in both themes, idle, playing and paused.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { axeViolations } from "./axe.ts";

const baseUrl = inject("baseUrl");
const LESSONS = [
  "start-here",
  "http-stateless",
  "tcp-underneath",
  "server-push",
  "upgrade-handshake",
  "frames",
  "classroom",
];
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
  expect(watch.consoleErrors).toEqual([]);
  expect(foreignRequests(watch, baseUrl)).toEqual([]);
  await page?.close();
});

async function openStage(path: string, on: Browser = browser): Promise<Locator> {
  page = await on.context.newPage();
  watch = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
  const stage = page.locator("sp-wire-stage");
  await stage.scrollIntoViewIfNeeded();
  await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
  return stage;
}

const number = async (stage: Locator, name: string): Promise<number> =>
  Number(await stage.getAttribute(`data-${name}`));

/** What one side of the stage shows now (the canvas's scene, as the element reports it). */
interface Scene {
  top: number;
  height: number;
  items: {
    id: number;
    from: string;
    kind: string;
    lost: boolean;
    landed: boolean;
    full: string;
    x1: number;
    y1: number;
    x2: number;
    y2: number;
    markerX: number;
    markerY: number;
  }[];
  labels: string[];
}
const sceneOf = (stage: Locator, side: "ws" | "http"): Promise<Scene> =>
  stage.evaluate((el, s) => (el as unknown as { scene(side: string): Scene }).scene(s), side);
/** The first item on a side that matches, once there is one. */
async function itemOn(
  stage: Locator,
  side: "ws" | "http",
  match: (item: Scene["items"][number]) => boolean,
): Promise<Scene["items"][number]> {
  let found: Scene["items"][number] | undefined;
  await expect
    .poll(async () => (found = (await sceneOf(stage, side)).items.find(match)) !== undefined, { timeout: 20_000 })
    .toBe(true);
  return found!;
}

describe("the wire stage", () => {
  it("animates your real frame across the stage and lands it, bytes from the capture", async () => {
    const stage = await openStage("/lessons/start-here/");
    await stage.locator("[data-part=rtt]").selectOption("300");
    await stage.locator("[data-part=speed]").selectOption("0.1");
    await stage.getByRole("button", { name: "Send", exact: true }).click();
    // The masked "Hello" a browser sends is 11 bytes: a 2-byte header, a 4-byte key and 5 of text.
    const frame = await itemOn(stage, "ws", (item) => item.from === "client" && item.kind === "data");
    // Its description comes from the captured bytes; its label may have joined a neighbour's.
    expect(frame.full).toMatch(/“Hello” \(6-byte header, masked\), 11 B on the wire/);
    expect((await sceneOf(stage, "ws")).labels.join(" ")).toMatch(/“Hello”|\+\d more/);
    // The marker moves across, and it is really painted where the scene says: the canvas holds
    // the client's colour at the marker's centre.
    const positions: number[] = [];
    const painted: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const seen = await stage.evaluate((el, id) => {
        const scene = (el as unknown as { scene(side: string): Scene }).scene("ws");
        const item = scene.items.find((each) => each.id === id);
        if (!item) return null;
        const canvas = el.querySelector<HTMLCanvasElement>("[data-part=diagram-ws]")!;
        const ratio = canvas.width / canvas.clientWidth;
        const [r, g, b] = canvas
          .getContext("2d")!
          .getImageData(Math.round(item.markerX * ratio), Math.round((item.markerY - scene.top) * ratio), 1, 1).data;
        const probe = document.createElement("span");
        probe.style.color = "var(--client)";
        el.append(probe);
        const client = getComputedStyle(probe).color.match(/\d+/g)!.map(Number);
        probe.remove();
        const close = Math.abs(r! - client[0]!) + Math.abs(g! - client[1]!) + Math.abs(b! - client[2]!) < 40;
        return { x: item.markerX, landed: item.landed, close };
      }, frame.id);
      if (seen && !seen.landed) {
        positions.push(seen.x);
        painted.push(seen.close);
      }
      await page.waitForTimeout(150);
    }
    expect(new Set(positions).size).toBeGreaterThan(1);
    expect(painted.length).toBeGreaterThan(0);
    expect(painted.every(Boolean)).toBe(true);
    const landed = await itemOn(stage, "ws", (item) => item.from === "client" && item.kind === "data" && item.landed);
    // Pointing at the middle of its arrow gives its full sentence (the canvas's tooltip); paused,
    // so the arrow stays where the scene says.
    await stage.getByRole("button", { name: "Pause" }).click();
    const top = (await sceneOf(stage, "ws")).top;
    const canvas = stage.locator("[data-part=diagram-ws]");
    await canvas.hover({ position: { x: (landed.x1 + landed.x2) / 2, y: (landed.y1 + landed.y2) / 2 - top } });
    expect(await canvas.getAttribute("title")).toBe(landed.full);
    await stage.getByRole("button", { name: "Back to live" }).click();
    await itemOn(stage, "ws", (item) => item.from === "server" && item.kind === "data" && item.landed);
    // The HTTP side's POST follows its TCP handshake, a round trip later (slowed 10×).
    await itemOn(stage, "http", (item) => item.kind === "tcp");
    await itemOn(stage, "http", (item) => item.kind === "http");
    await stage.getByText("Transcript (both sides, every item)").click();
    await expect
      .poll(() => stage.locator("[data-part=transcript]").textContent())
      .toMatch(/WebSocket \(real\).*11 B on the wire/);
    expect(await stage.locator("[data-part=ws-bytes]").textContent()).toMatch(/\d+ B/);
  });

  it("with reduced motion, frames appear where they land and the view holds still between events", async () => {
    const reduced = await launchBrowser({ reducedMotion: "reduce" });
    try {
      const stage = await openStage("/lessons/start-here/", reduced);
      await stage.getByRole("button", { name: "Send", exact: true }).click();
      const frame = await itemOn(stage, "ws", (item) => item.from === "client" && item.kind === "data");
      expect(frame.landed).toBe(true);
      await page.waitForTimeout(1500);
      const before = (await sceneOf(stage, "ws")).top;
      await page.waitForTimeout(1000);
      expect((await sceneOf(stage, "ws")).top).toBe(before);
      await page.close();
    } finally {
      await reduced.close();
    }
  });

  it("pauses, steps back and forward through events, and resumes live", async () => {
    const stage = await openStage("/lessons/frames/");
    await stage.getByRole("button", { name: "Send", exact: true }).click();
    await page.locator('sp-wire-stage[data-real-messages="2"]').waitFor();
    await stage.getByRole("button", { name: "Pause" }).click();
    expect(await stage.getAttribute("data-mode")).toBe("paused");
    const pausedAt = await number(stage, "time");
    await stage.getByRole("button", { name: "Step back one event" }).click();
    const back = await number(stage, "time");
    expect(back).toBeLessThan(pausedAt);
    await stage.getByRole("button", { name: "Step back one event" }).focus();
    await page.keyboard.press("ArrowLeft");
    const backTwice = await number(stage, "time");
    expect(backTwice).toBeLessThan(back);
    await page.keyboard.press("ArrowRight");
    expect(await number(stage, "time")).toBe(back);
    await expect.poll(() => page.url()).toMatch(/#wire-step=\d+&wire-rec=/);
    await stage.getByRole("button", { name: "Back to live" }).click();
    expect(await stage.getAttribute("data-mode")).toBe("live");
    await expect.poll(async () => number(stage, "time")).toBeGreaterThan(pausedAt);
  });

  it("keeps the newest event in view after a minute of sending", { timeout: 150_000 }, async () => {
    const stage = await openStage("/lessons/start-here/");
    const send = stage.getByRole("button", { name: "Send", exact: true });
    const input = stage.locator("[data-part=message]");
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 60_000) {
      await input.fill(`message ${++sent}`);
      await send.click();
      await page.waitForTimeout(1000);
    }
    await page.locator(`sp-wire-stage[data-real-messages="${2 * sent}"]`).waitFor();
    // Let the view catch up with the last echo, then look without scrolling anything.
    await page.waitForTimeout(1500);
    // The canvas fills its box, so the window [top, top + height) of the scene is what is seen.
    const box = await stage.locator("[data-part=side-ws]").boundingBox();
    const canvasBox = await stage.locator("[data-part=diagram-ws]").boundingBox();
    expect(box && canvasBox).toBeTruthy();
    expect(canvasBox!.y).toBeCloseTo(box!.y, 0);
    expect(canvasBox!.height).toBeCloseTo(box!.height, 0);
    // The newest event may be the lab's heartbeat (a ping one interval after the opening, then
    // its pong), which lands at the end of this minute: it is what must be in view then.
    const scene = await sceneOf(stage, "ws");
    expect(scene.items.length).toBeGreaterThan(0);
    const newest = scene.items.reduce((a, b) => (b.id > a.id ? b : a));
    expect(Math.min(newest.y1, newest.y2)).toBeGreaterThanOrEqual(scene.top - 1);
    expect(Math.max(newest.y1, newest.y2)).toBeLessThanOrEqual(scene.top + scene.height + 1);
    expect(newest.full).toMatch(new RegExp(`message ${sent}”|message ${sent}|\\bping\\b|\\bpong\\b`));
    // The drawing holds what is in view, not the whole minute.
    expect(scene.items.length).toBeLessThan(60);
  });

  it("reopens a paused step from its link in a fresh browser", async () => {
    const stage = await openStage("/lessons/frames/");
    await stage.getByRole("button", { name: "Send", exact: true }).click();
    await page.locator('sp-wire-stage[data-real-messages="2"]').waitFor();
    await page.waitForTimeout(800);
    await stage.getByRole("button", { name: "Pause" }).click();
    await stage.getByRole("button", { name: "Step back one event" }).click();
    await page.waitForFunction(() => /wire-rec=/.test(location.hash));
    const link = page.url();
    const step = await number(stage, "step");
    // "Paused at 409 ms · step 7 of 8": the same instant must come back, not just the same number.
    const instant = /at (.+) · step \d+/.exec((await stage.locator("[data-part=position]").textContent()) ?? "")?.[1];
    expect(instant).toBeTruthy();
    const fresh = await launchBrowser();
    try {
      const other = await fresh.context.newPage();
      const otherWatch = watchPage(other);
      await other.goto(link);
      const reopened = other.locator('sp-wire-stage[data-mode="paused"]');
      await reopened.waitFor();
      await expect.poll(async () => Number(await reopened.getAttribute("data-step"))).toBe(step);
      expect(await reopened.locator("[data-part=position]").textContent()).toContain(`at ${instant} · step ${step} of`);
      expect(await reopened.locator("[data-part=state]").textContent()).toBe("recording");
      expect(
        (await sceneOf(reopened, "ws")).items.filter((item) => item.kind === "handshake").length,
      ).toBeGreaterThanOrEqual(1);
      expect(otherWatch.pageErrors).toEqual([]);
      await other.close();
    } finally {
      await fresh.close();
    }
  });
});

describe("every lesson's stage at phone width", () => {
  it("fits 390 px without horizontal overflow, on every lesson", async () => {
    for (const slug of LESSONS) {
      page = await browser.context.newPage();
      watch = watchPage(page);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${baseUrl}/lessons/${slug}/`);
      const stage = page.locator("sp-wire-stage");
      expect(await stage.count(), slug).toBe(1);
      await stage.scrollIntoViewIfNeeded();
      await page.locator("sp-wire-stage[data-ready]").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), slug).toBeLessThanOrEqual(390);
      await page.close();
    }
    page = await browser.context.newPage();
    watch = watchPage(page);
  });
});

describe.each(["light", "dark"] as const)("the stage's accessibility in the %s theme", (scheme) => {
  it("has no axe violations on any lesson with the stage idle, playing and paused", { timeout: 240_000 }, async () => {
    for (const slug of LESSONS) {
      page = await browser.context.newPage();
      watch = watchPage(page);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${baseUrl}/lessons/${slug}/`);
      const stage = page.locator("sp-wire-stage");
      await stage.scrollIntoViewIfNeeded();
      await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
      // The stage is taller than the window: put its top just under the sticky header (the page's
      // scroll-padding), as a reader scrolling to it would see it, not half under the header, where
      // axe measures its controls as covered.
      await stage.evaluate((element) => element.scrollIntoView({ block: "start" }));
      expect(await axeViolations(page), `${slug} idle`).toEqual([]);
      const send = stage.getByRole("button", { name: "Send", exact: true });
      const push = stage.locator("[data-action=push]");
      if (await send.count()) await send.click();
      else await push.click();
      await itemOn(stage, "ws", (item) => item.kind === "data");
      await stage.locator("details").evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      // The transcript is written on the details' toggle event, a task after the opening.
      await stage.locator("[data-part=transcript] li").first().waitFor();
      expect(await axeViolations(page), `${slug} playing`).toEqual([]);
      await stage.getByRole("button", { name: "Pause" }).click();
      await stage.getByRole("button", { name: "Step back one event" }).click();
      expect(await axeViolations(page), `${slug} paused`).toEqual([]);
      await page.close();
    }
    page = await browser.context.newPage();
    watch = watchPage(page);
  });
});
