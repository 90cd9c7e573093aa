// Browser tests for lesson 6 (real Chromium, real production server, real lab tap): the pong the
// browser sends by itself and page JavaScript never sees; the close handshake with a chosen code,
// with no code (1005) and an abrupt drop (1006), read from the bytes and from the page's own
// CloseEvent; the browser's refusal of a code a page may not send; the lab's own misbehaving
// client; axe in both themes, idle and in use.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";
import { axeViolations } from "./axe.ts";
import { clickRow, waitForRow } from "./inspector-lane.ts";

const baseUrl = inject("baseUrl");
const LESSON = "/lessons/ping-pong-close/";
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

/**
 * Counts every message event the page's lab connections (not the tap's monitors, whose messages
 * are the capture itself) deliver to JavaScript, however the page listens.
 */
const COUNT_MESSAGES = `
  window.__messages = 0;
  const count = (socket) => { if (new URL(socket.url).pathname === "/lab/echo") window.__messages++; };
  const listen = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, ...rest) {
    if (type === "message") listen.call(this, "message", () => count(this));
    return listen.call(this, type, ...rest);
  };
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, "onmessage");
  Object.defineProperty(WebSocket.prototype, "onmessage", {
    set(handler) { listen.call(this, "message", () => count(this)); onmessage.set.call(this, handler); },
    get() { return onmessage.get.call(this); },
  });
`;

async function openLab(scheme: "light" | "dark" = "light"): Promise<Locator> {
  page = await browser.context.newPage();
  watch = watchPage(page);
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`${baseUrl}${LESSON}`);
  const lab = page.locator("sp-close-lab");
  await lab.scrollIntoViewIfNeeded();
  await page.locator('sp-close-lab[data-ready][data-state="OPEN"]').waitFor();
  expect(await lab.locator("[data-loading-note]").isVisible()).toBe(false);
  return lab;
}

async function connectAgain(lab: Locator): Promise<void> {
  await lab.getByRole("button", { name: "Connect again" }).click();
  await page.locator('sp-close-lab[data-state="OPEN"]').waitFor();
  await lab
    .locator("[data-part=close-frames] li")
    .first()
    .waitFor({ state: "detached" })
    .catch(() => undefined);
}

describe("lesson 6: ping, pong and close", () => {
  it("shows the pong your browser sent by itself, echoing the ping, while your JavaScript saw nothing", async () => {
    page = await browser.context.newPage();
    watch = watchPage(page);
    await page.addInitScript(COUNT_MESSAGES);
    await page.goto(`${baseUrl}${LESSON}`);
    const inspector = page.locator("sp-frame-inspector");
    await inspector.scrollIntoViewIfNeeded();
    await page.locator('sp-frame-inspector[data-ready][data-state="OPEN"]').waitFor();
    // The counter works: an echo is a message the page does see.
    await inspector.getByRole("button", { name: "Send text" }).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __messages: number }).__messages)).toBe(1);
    const before = await page.evaluate(() => (window as unknown as { __messages: number }).__messages);
    await inspector.getByRole("button", { name: "Ping me" }).click();
    const pong = inspector.locator('.sequence li.dir-in button[data-opcode="10"]').first();
    await waitForRow(pong);
    expect(await pong.getAttribute("data-masked")).toBe("true");
    await clickRow(inspector, pong);
    const bytes = await inspector.locator("[data-part=bytes] [role=option]").allInnerTexts();
    const key = bytes.slice(2, 6).map((b) => parseInt(b, 16));
    const payload = bytes
      .slice(6)
      .map((b, i) => String.fromCharCode(parseInt(b, 16) ^ key[i % 4]!))
      .join("");
    expect(bytes[0]).toBe("8a");
    expect(payload).toBe("Are you there?");
    await waitForRow(inspector.locator('.sequence li.dir-out button[data-opcode="9"]').first());
    expect(await page.evaluate(() => (window as unknown as { __messages: number }).__messages)).toBe(before);
  });

  it("closes with your code and reason, with no code (1005), and by a dropped connection (1006)", async () => {
    const lab = await openLab();
    const frames = lab.locator("[data-part=close-frames] li");

    await lab.getByLabel("Code").selectOption("4000");
    await lab.getByLabel("Reason").fill("bye");
    await lab.getByRole("button", { name: "Close with this code" }).click();
    await page.locator('sp-close-lab[data-state="CLOSED"]').waitFor();
    await expect.poll(() => frames.count()).toBe(2);
    expect(await frames.nth(0).innerText()).toMatch(
      /^Your browser → the lab: 88 85 [0-9a-f ]+ \(masked.*close code 4000 .*reason “bye”/,
    );
    expect(await frames.nth(1).innerText()).toMatch(
      /^The lab → your browser: 88 05 0f a0 62 79 65 \(not masked.*close code 4000/,
    );
    expect(await lab.locator("[data-part=ending]").innerText()).toMatch(/^Both sides sent a close frame/);
    expect(await lab.locator("[data-part=page-event]").innerText()).toMatch(
      /^Your page's CloseEvent: code 4000, reason “bye”, wasClean true/,
    );

    await connectAgain(lab);
    await lab.getByRole("button", { name: "close() with no code" }).click();
    await page.locator('sp-close-lab[data-state="CLOSED"]').waitFor();
    await expect.poll(() => frames.count()).toBe(2);
    expect(await frames.nth(1).innerText()).toMatch(/^The lab → your browser: 88 00 .*empty body: no code/);
    expect(await lab.locator("[data-part=page-event]").innerText()).toMatch(
      /^Your page's CloseEvent: code 1005, reason “”, wasClean true/,
    );

    await connectAgain(lab);
    await lab.getByRole("button", { name: "Drops the TCP connection" }).click();
    await page.locator('sp-close-lab[data-state="CLOSED"]').waitFor();
    await expect
      .poll(() => lab.locator("[data-part=page-event]").innerText())
      .toMatch(/^Your page's CloseEvent: code 1006, reason “”, wasClean false/);
    expect(await frames.count()).toBe(0);
    await expect
      .poll(() => lab.locator("[data-part=ending]").innerText())
      .toMatch(/no close frame either way: a page reports 1006/);
  });

  it("lets the lab close with its code, and refuses a code a page may not send, as the browser would", async () => {
    const lab = await openLab();
    await lab.getByLabel("Code").selectOption("1001");
    await lab.getByRole("button", { name: "Close with this code" }).click();
    await expect
      .poll(() => lab.locator("[data-part=problem]").innerText())
      .toMatch(/A page may only close with code 1000 or a code from 3000 to 4999/);
    expect(await lab.getAttribute("data-state")).toBe("OPEN");

    await lab.getByRole("button", { name: "1011 Internal Error" }).click();
    await page.locator('sp-close-lab[data-state="CLOSED"]').waitFor();
    const frames = lab.locator("[data-part=close-frames] li");
    await expect.poll(() => frames.count()).toBe(2);
    expect(await frames.nth(0).innerText()).toMatch(/^The lab → your browser: 88 .*close code 1011 Internal Error/);
    expect(await frames.nth(1).innerText()).toMatch(/^Your browser → the lab: 88 .*\(masked.*close code 1011/);
    expect(await lab.locator("[data-part=page-event]").innerText()).toMatch(
      /code 1011, reason “The lab says goodbye”, wasClean true/,
    );
  });

  it("shows what the lab answers to frames a browser never sends", async () => {
    const lab = await openLab();
    const report = lab.locator("[data-part=breaker-report]");
    for (const [label, pattern] of [
      ["A frame with opcode 0x3", /close code 1002 Protocol Error/],
      ["A text frame that is not UTF-8", /close code 1007/],
      ["A peer that never answers pings", /got no pong, and ended the TCP connection .* with no close frame/],
    ] as const) {
      await lab.getByRole("button", { name: label }).click();
      await expect.poll(() => report.getAttribute("data-case"), { timeout: 10_000 }).not.toBeNull();
      await expect
        .poll(() => lab.locator("[data-part=breaker-answer]").innerText(), { timeout: 10_000 })
        .toMatch(pattern);
    }
    expect(await lab.locator("[data-part=breaker-sent]").innerText()).toBe("nothing at all");
    await lab.getByRole("button", { name: "A frame with opcode 0x3" }).click();
    await expect
      .poll(() => lab.locator("[data-part=breaker-broken]").innerText(), { timeout: 10_000 })
      .toMatch(/opcode.*RFC 6455 §5\.2/);
    expect(await lab.locator("[data-part=breaker-sent]").innerText()).toMatch(/^83 82 /);
  });

  it.each(["light", "dark"] as const)("has no axe violations in the %s theme, idle and in use", async (scheme) => {
    const lab = await openLab(scheme);
    expect(await axeViolations(page), "idle").toEqual([]);
    await lab.getByRole("button", { name: "close() with no code" }).click();
    await page.locator('sp-close-lab[data-state="CLOSED"]').waitFor();
    await lab.getByRole("button", { name: "A message over the lab's size limit" }).click();
    await expect.poll(() => lab.locator("[data-part=breaker-answer]").innerText(), { timeout: 10_000 }).toMatch(/1009/);
    await page.locator("sp-quiz form").first().getByRole("button", { name: "Check answer" }).click();
    expect(await axeViolations(page), "in use").toEqual([]);
  });
});
