// Browser tests for the handshake playground in lesson 4 (real Chromium, real production server,
// the lab's private copy of itself): presets round-trip with the documented statuses, an edited
// request is sent as typed, the accept value is recomputed in the page, whatever the lab sends
// back is shown as text (never markup), it works from the keyboard, and axe finds nothing in
// either theme, idle or after runs.
import { describe, expect, inject, it } from "vitest";
import type { Locator } from "playwright-core";
import { handshakeExample } from "../../src/protocol/handshake-example.ts";
import { SELF_RUNS_PER_ADDRESS_PER_SECOND } from "../../src/server/self-runs-http.ts";
import { axeViolations } from "./axe.ts";
import { usePageSession } from "./page-session.ts";

const baseUrl = inject("baseUrl");
const LESSON = "/lessons/upgrade-handshake/";
const session = usePageSession(baseUrl);

const openPlayground = (scheme: "light" | "dark" = "light"): Promise<Locator> =>
  session.openWidget(LESSON, "sp-handshake-playground", scheme);

/**
 * The lab runs at most SELF_RUNS_PER_ADDRESS_PER_SECOND of these per address (after a small burst),
 * and every test here comes from 127.0.0.1: the tests keep to that pace, as a reader would, so a
 * run is never refused for the pace alone.
 */
let lastSend = 0;
async function keepPace(): Promise<void> {
  const wait = lastSend + 1000 / SELF_RUNS_PER_ADDRESS_PER_SECOND + 100 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  lastSend = Date.now();
}

/** Sends what the editor holds and waits for the report of that run. */
async function sendAndWait(playground: Locator, how: "button" | "keyboard" = "button"): Promise<void> {
  await keepPace();
  const before = await playground.locator("[data-part=verdict]").innerText();
  if (how === "button") await playground.getByRole("button", { name: "Send to the lab" }).click();
  else await playground.getByRole("textbox").press("Control+Enter");
  await session.page.locator('sp-handshake-playground[data-run="shown"]').waitFor({ timeout: 20_000 });
  await expect.poll(() => playground.locator("[data-part=verdict]").innerText(), { timeout: 20_000 }).not.toBe(before);
}

describe("the handshake playground", () => {
  it("a correct handshake for this page's address gets 101, the accept value checked in the page, and the frames after it", async () => {
    const playground = await openPlayground();
    const host = new URL(baseUrl).host;
    const editor = playground.getByRole("textbox", { name: /The request the lab will send/ });
    expect(await editor.inputValue()).toContain(`Host: ${host}\nUpgrade: websocket\n`);
    expect(await playground.getByRole("button", { name: "A correct handshake" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await sendAndWait(playground);
    expect(await playground.getAttribute("data-status")).toBe("101");
    expect(await playground.locator("[data-part=verdict]").innerText()).toMatch(
      /^101 Switching Protocols: .*accept value matches your key/,
    );
    const accept = await playground.locator("[data-part=accept]").innerText();
    expect(accept).toContain(handshakeExample.key);
    expect(accept).toContain(handshakeExample.accept);
    expect(accept).toContain("✓");
    // The head as it arrived, each line ending shown.
    const answer = await playground.locator("[data-part=answer]").innerText();
    expect(answer).toMatch(/^HTTP\/1\.1 101 Switching Protocols\\r\\n/);
    expect(answer).toContain(`Sec-WebSocket-Accept: ${handshakeExample.accept}\\r\\n`);
    const frames = await playground.locator("[data-part=frames] li").allInnerTexts();
    expect(frames).toHaveLength(4);
    expect(frames[0]).toContain("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    expect(frames[1]).toContain("81 05 48 65 6c 6c 6f");
    expect(frames.slice(2).every((f) => /1000 Normal Closure/.test(f))).toBe(true);
    expect(await playground.locator("[data-part=first-byte]").innerText()).toMatch(
      /^\d+\.\d ms after the TCP connection opened$/,
    );
  });

  it("presets get the statuses the lesson promises, and the lab's reason in words", async () => {
    const playground = await openPlayground();
    for (const [label, status, says] of [
      ["A foreign Origin", "403", /may not use this lab/],
      ["Version 8", "426", /Sec-WebSocket-Version: 13/],
      ["POST", "405", /must use GET/],
      ["HTTP/1.0", "400", /HTTP\/1\.1 or higher/],
      ["A foreign Host", "421", /does not answer for the host/],
    ] as const) {
      await playground.getByRole("button", { name: label, exact: true }).click();
      expect(await playground.locator("[data-part=rule]").innerText()).toContain(`The lab answers ${status}.`);
      await sendAndWait(playground);
      expect(await playground.getAttribute("data-status"), label).toBe(status);
      expect(await playground.locator("[data-part=answer]").innerText(), label).toMatch(says);
      expect(await playground.locator("[data-part=frames]").isVisible()).toBe(false);
    }
  });

  it("an edited request goes as typed, from the keyboard; a head without its empty line gets no answer", async () => {
    const playground = await openPlayground();
    const editor = playground.getByRole("textbox");
    await editor.fill((await editor.inputValue()).replace("Upgrade: websocket", "upgrade: WebSocket"));
    await sendAndWait(playground, "keyboard");
    expect(await playground.getAttribute("data-status")).toBe("101");
    await playground.locator("details.sent summary").click();
    expect(await playground.locator("[data-part=sent]").innerText()).toContain("upgrade: WebSocket\\r\\n");

    // The lab waits out its handshake timeout (10 s by default), then drops the connection.
    await editor.fill((await editor.inputValue()).replace(/\n\n$/, "\n"));
    await sendAndWait(playground);
    expect(await playground.getAttribute("data-status")).toBe("none");
    expect(await playground.locator("[data-part=ending]").innerText()).toMatch(
      /without a word: the request head never ended .* \(its handshake timeout\)/,
    );
  });

  it("shows whatever comes back as text: markup in the request and the lab's answer is never parsed", async () => {
    const playground = await openPlayground();
    const editor = playground.getByRole("textbox");
    // The lab quotes an Origin it cannot read in its refusal.
    await editor.fill(
      (await editor.inputValue()).replace(/^Origin: .*$/m, 'Origin: <img src=x onerror="window.__owned=1">'),
    );
    await sendAndWait(playground);
    expect(await playground.getAttribute("data-status")).toBe("403");
    expect(await playground.locator("[data-part=answer]").innerText()).toContain("<img src=x");
    expect(await playground.locator("img").count()).toBe(0);
    expect(await session.page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  });

  it("refuses an empty request in words, without asking the lab", async () => {
    const playground = await openPlayground();
    await playground.getByRole("textbox").fill("");
    await playground.getByRole("button", { name: "Send to the lab" }).click();
    expect(await playground.locator("[data-part=problem]").innerText()).toMatch(/nothing to send/);
  });

  it.each(["light", "dark"] as const)("has no axe violations in the %s theme, idle and after a run", async (scheme) => {
    const playground = await openPlayground(scheme);
    expect(await axeViolations(session.page), "idle").toEqual([]);
    await sendAndWait(playground);
    await playground.locator("details.sent summary").click();
    expect(await axeViolations(session.page), "after a 101").toEqual([]);
    await playground.getByRole("button", { name: "A foreign Origin", exact: true }).click();
    await sendAndWait(playground);
    expect(await axeViolations(session.page), "after a refusal").toEqual([]);
  });
});
