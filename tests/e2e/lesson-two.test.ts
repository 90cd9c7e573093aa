// Browser tests for lesson 2: the simulated timeline (stepping by keyboard, deep links), the
// wire stage growing with each real message, and the real TCP reads under the frames.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { waitForRow } from "./inspector-lane.ts";

const baseUrl = inject("baseUrl");
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

async function open(path: string): Promise<void> {
  page = await browser.context.newPage();
  watch = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
}

async function readyTimeline(): Promise<Locator> {
  const timeline = page.locator("sp-timeline").first();
  await timeline.scrollIntoViewIfNeeded();
  await page.locator("sp-timeline[data-ready]").first().waitFor();
  return timeline;
}

describe("lesson 2: the TCP timeline", () => {
  it("steps forward and back through the simulation by keyboard", async () => {
    await open("/lessons/tcp-underneath/");
    const timeline = await readyTimeline();
    expect(await timeline.getAttribute("data-moment")).toBe("0");
    await timeline.locator("[data-part=next]").focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await timeline.getAttribute("data-moment")).toBe("3");
    const timeAt3 = Number(await timeline.getAttribute("data-time"));
    expect(timeAt3).toBeGreaterThan(0);
    await page.keyboard.press("ArrowLeft");
    expect(await timeline.getAttribute("data-moment")).toBe("2");
    expect(Number(await timeline.getAttribute("data-time"))).toBeLessThan(timeAt3);
    await page.keyboard.press("End");
    expect(await timeline.getAttribute("data-state")).toBe("finished");
    // The transcript says what happened, including the lost segment and its retransmission.
    const transcript = await timeline.locator("[data-part=transcript]").textContent();
    expect(transcript).toMatch(/SYN/);
    expect(transcript).toMatch(/lost/i);
    expect(transcript).toMatch(/retransmi/i);
    expect(await timeline.locator("[data-part=totals]").textContent()).toMatch(/\d/);
  });

  it("lets the reader choose which segment is lost, and counts the retransmission", async () => {
    await open("/lessons/tcp-underneath/");
    const timeline = await readyTimeline();
    const retransmissions = timeline.locator('[data-total="retransmissions"]');
    expect(await retransmissions.textContent()).toMatch(/\b1\b/);
    await timeline.locator("[data-part=drop]").selectOption("");
    await page.waitForFunction(() =>
      /\b0\b/.test(document.querySelector('sp-timeline [data-total="retransmissions"]')?.textContent ?? ""),
    );
    expect(await timeline.locator('[data-total="lost"]').textContent()).toMatch(/\b0\b/);
    await timeline.locator("[data-part=drop]").selectOption("3");
    await page.waitForFunction(() =>
      /\b1\b/.test(document.querySelector('sp-timeline [data-total="retransmissions"]')?.textContent ?? ""),
    );
  });

  it("reopens the same moment from a deep link", async () => {
    await open("/lessons/tcp-underneath/");
    const timeline = await readyTimeline();
    await timeline.locator("[data-part=next]").focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    const time = await timeline.getAttribute("data-time");
    const moment = await timeline.getAttribute("data-moment");
    const link = page.url();
    expect(new URL(link).hash).toMatch(/^#timeline-/);

    const second = await browser.context.newPage();
    const secondWatch = watchPage(second);
    await second.goto(link);
    const reopened = second.locator("sp-timeline").first();
    await second.locator("sp-timeline[data-ready]").first().waitFor();
    expect(await reopened.getAttribute("data-time")).toBe(time);
    expect(await reopened.getAttribute("data-moment")).toBe(moment);
    expect(secondWatch.pageErrors).toEqual([]);
    await second.close();
  });
});

describe("lesson 2: the wire stage and the inspector", () => {
  it("adds a simulated HTTP exchange for each real message the lab sends", async () => {
    await open("/lessons/tcp-underneath/");
    const view = page.locator("sp-wire-stage");
    await view.scrollIntoViewIfNeeded();
    await page.locator('sp-wire-stage[data-ready][data-state="OPEN"]').waitFor();
    const requests = async (): Promise<number> => Number(await view.getAttribute("data-http-requests"));
    const send = view.getByRole("button", { name: "Send", exact: true });

    // Each message the lab sends back (an echo, a push) is delivered over HTTP by a response of
    // its own to a poll: the simulated side grows by one delivered exchange per real message.
    await send.click();
    await page.locator('sp-wire-stage[data-real-messages="2"][data-http-delivered="1"]').waitFor();
    const afterOne = await requests();
    expect(afterOne).toBeGreaterThanOrEqual(1);

    await send.click();
    await page.locator('sp-wire-stage[data-real-messages="4"][data-http-delivered="2"]').waitFor();
    await view.getByRole("button", { name: "Lab pushes a message" }).click();
    await page.locator('sp-wire-stage[data-real-messages="5"][data-http-delivered="3"]').waitFor();
    expect(await requests()).toBeGreaterThan(afterOne);
    // The transcript is written as the reader opens it (closed, it would only cost layout).
    await view.getByText("Transcript (both sides, every item)").click();
    await expect
      .poll(() => view.locator("[data-part=transcript]").textContent())
      .toMatch(/HTTP \(simulated\), [^:]+: browser → server/);
    // Two handshake heads and five data frames on the real side; more than that over HTTP.
    expect(Number(await view.getAttribute("data-ws-items"))).toBe(7);
    expect(Number(await view.getAttribute("data-http-items"))).toBeGreaterThan(5);
  });

  it("shows the real TCP reads of your connection under the frames", async () => {
    await open("/lessons/tcp-underneath/");
    const inspector = page.locator("sp-frame-inspector");
    await inspector.scrollIntoViewIfNeeded();
    await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
    await inspector.getByRole("button", { name: "Burst of 5" }).click();
    await waitForRow(inspector.locator(".sequence li.dir-out button").nth(4));
    const serverSide = inspector.locator("[data-part=boundaries-out]");
    // The byte views follow a live burst once a second, not with every frame.
    await expect.poll(() => serverSide.locator(".span.frame").count()).toBeGreaterThanOrEqual(5);
    expect(await serverSide.locator(".span.chunk").count()).toBeGreaterThanOrEqual(1);
    expect(await inspector.locator("[data-part=boundaries-in] .span.chunk").count()).toBe(0);

    // A second burst redraws the grid in the boxes already there (made anew every second under a
    // steady load, they were most of the inspector's garbage): the first box is the same element.
    const frameBoxes = serverSide.locator(".span.frame");
    const before = await frameBoxes.count();
    await frameBoxes.first().evaluate((box) => ((box as HTMLElement & { kept?: boolean }).kept = true));
    await inspector.getByRole("button", { name: "Burst of 5" }).click();
    await expect.poll(() => frameBoxes.count()).toBeGreaterThanOrEqual(before + 5);
    expect(await frameBoxes.first().evaluate((box) => (box as HTMLElement & { kept?: boolean }).kept === true)).toBe(
      true,
    );
    expect(await frameBoxes.allInnerTexts()).toEqual(
      Array.from({ length: await frameBoxes.count() }, (_, i) => `F${i + 1}`),
    );
  });

  it("shows five frames your browser sent in one TCP read when the lab holds its reads", async () => {
    await open("/lessons/tcp-underneath/");
    const inspector = page.locator("sp-frame-inspector");
    await inspector.scrollIntoViewIfNeeded();
    await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
    await inspector.getByRole("button", { name: "Hold reads, then you send 5" }).click();
    // The five echoes come once the lab reads again.
    await waitForRow(inspector.locator(".sequence li.dir-out button").nth(4));
    const clientSide = inspector.locator("[data-part=boundaries-in]");
    await expect.poll(() => clientSide.locator(".span.frame").count()).toBeGreaterThanOrEqual(5);
    // Each "held i of 5" frame is 6 header bytes (masked) and 11 of text: one read of 5 × 17 bytes.
    await expect
      .poll(() => clientSide.locator(".span.chunk").evaluateAll((boxes) => boxes.map((b) => (b as HTMLElement).title)))
      .toContainEqual(expect.stringMatching(/^TCP read: bytes \d+–\d+ \(85 bytes\)$/));
  });
});
