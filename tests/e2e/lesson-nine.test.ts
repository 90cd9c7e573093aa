// Browser tests for lesson 9 (real Chromium, the real production server): the three openings side
// by side after a real run: the reader's own HTTP/1.1 connection from the tap, the lab's HTTP/2
// twin with the reader's masking keys (SETTINGS_ENABLE_CONNECT_PROTOCOL, CONNECT with :protocol
// websocket, 200, the same frames inside DATA), and HTTP/3 marked as simulation; the comparison
// table read from the model; the tap's token never shown; the course list 0–10 in order; the
// cross-references to lesson 9 as links; axe in both themes.
import { describe, expect, inject, it } from "vitest";
import type { Locator } from "playwright-core";
import { HTTP_VERSIONS, EXAMPLE_CONVERSATION, successStatus } from "../../src/protocol/websocket-openings.ts";
import { axeViolations } from "./axe.ts";
import { usePageSession } from "./page-session.ts";

const baseUrl = inject("baseUrl");
const LESSON = "/lessons/beyond-http-1-1/";
const session = usePageSession(baseUrl);

const openWidget = (scheme: "light" | "dark" = "light"): Promise<Locator> =>
  session.openWidget(LESSON, "sp-three-openings", scheme);

async function run(widget: Locator, message: string): Promise<void> {
  await widget.getByLabel("Your message").fill(message);
  await widget.getByRole("button", { name: "Open it three ways" }).click();
  await session.page
    .locator('sp-three-openings:is([data-run="shown"], [data-run="failed"])')
    .waitFor({ timeout: 20_000 });
  expect(
    await widget.locator("[data-part=problem]").isVisible(),
    await widget.locator("[data-part=problem]").innerText(),
  ).toBe(false);
}

const rows = (widget: Locator, version: string, phase: string): Locator =>
  widget.locator(`[data-part="rows-${version}-${phase}"] > li`);

describe("lesson 9: one WebSocket, opened three ways", () => {
  it("before a run, shows what the model expects, and HTTP/3 as a simulation", async () => {
    const widget = await openWidget();
    expect(
      await rows(widget, "h2", "opening").evaluateAll((li) => li.map((l) => l.getAttribute("data-source"))),
    ).toEqual(["expected", "expected"]);
    expect(await rows(widget, "h3", "connection").first().innerText()).toMatch(
      /Initial: ClientHello[\s\S]*simulated from the model/,
    );
  });

  it("shows the reader's HTTP/1.1, the lab's HTTP/2 and the simulated HTTP/3 side by side, carrying the same frames", async () => {
    const widget = await openWidget();
    const message = "Hallo, neun! ✓";
    await run(widget, message);
    expect(await widget.locator("[data-part=status]").innerText()).toContain(message);

    // HTTP/1.1: the reader's own GET and the lab's 101, seen on the wire; TCP's handshake is not.
    expect(
      await rows(widget, "http/1.1", "connection").evaluateAll((li) => li.map((l) => l.getAttribute("data-source"))),
    ).toEqual(["unseen", "unseen", "unseen"]);
    const [get, switched] = [rows(widget, "http/1.1", "opening").nth(0), rows(widget, "http/1.1", "opening").nth(1)];
    expect(await get.getAttribute("data-source")).toBe("seen");
    expect(await get.locator(".row-title").innerText()).toMatch(/GET \/lab\/echo\?watch=… HTTP\/1\.1$/);
    await get.locator("summary").click();
    expect(await get.locator(".row-text").innerText()).toMatch(/Sec-WebSocket-Key: [A-Za-z0-9+/]{22}==/);
    expect(await switched.locator(".row-title").innerText()).toContain("HTTP/1.1 101 Switching Protocols");

    // HTTP/2: the lab's SETTINGS allow extended CONNECT; CONNECT with :protocol websocket; 200 with no accept.
    const h2Connection = await rows(widget, "h2", "connection").allInnerTexts();
    expect(
      h2Connection.some((text) => /SETTINGS: .*SETTINGS_ENABLE_CONNECT_PROTOCOL = 1[\s\S]*seen on the wire/.test(text)),
    ).toBe(true);
    const [connect, ok] = [rows(widget, "h2", "opening").nth(0), rows(widget, "h2", "opening").nth(1)];
    await connect.locator("summary").click();
    await ok.locator("summary").click();
    const request = await connect.locator(".row-text").innerText();
    expect(request).toContain(":method: CONNECT");
    expect(request).toContain(":protocol: websocket");
    expect(request).not.toMatch(/sec-websocket-key|upgrade/i);
    expect(await ok.locator(".row-text").innerText()).toContain(":status: 200");
    expect(await ok.locator(".row-text").innerText()).not.toMatch(/accept/i);

    // The same four WebSocket frames, byte for byte, inside HTTP/2 DATA and HTTP/3 DATA.
    for (const version of ["h2", "h3"]) {
      expect(await widget.locator(`[data-version="${version}"] li[data-same="true"]`).count(), version).toBe(4);
    }
    expect(await widget.locator('[data-version="h3"] .rows > li:not([data-source="simulated"])').count()).toBe(0);
    expect(await widget.locator("[data-part=totals]").innerText()).toMatch(
      /Bytes before the first message.*HTTP\/1\.1 [\d,]+, HTTP\/2 [\d,]+, HTTP\/3 [\d,]+/,
    );

    // Side by side: at this width the three columns of a phase share one row.
    const tops = await widget
      .locator('.phase:has([data-part="rows-h2-opening"]) .cell')
      .evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    // The tap's token stays off the page.
    expect(await session.page.locator("body").innerText()).not.toMatch(/watch=[A-Za-z0-9_-]{22,}/);
  });

  it("shows the reader's message as text, never as markup", async () => {
    const widget = await openWidget();
    await run(widget, '<img src=x onerror="window.__owned=1">');
    expect(await widget.locator("[data-part=status]").innerText()).toContain("<img src=x");
    expect(await widget.locator("img").count()).toBe(0);
    expect(await session.page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  });

  it("shows one version alone when the reader asks, across the whole width", async () => {
    const widget = await openWidget();
    await widget.getByRole("radio", { name: "HTTP/2" }).check();
    expect(await widget.locator('.cell[data-version="http/1.1"]').first().isVisible()).toBe(false);
    expect(await widget.locator('.cell[data-version="h3"]').first().isVisible()).toBe(false);
    const cell = (await widget.locator('.cell[data-version="h2"]').first().boundingBox())!;
    const grid = (await widget.locator("[data-part=grid]").boundingBox())!;
    expect(cell.width).toBeGreaterThan(grid.width * 0.9);
  });

  it("fills the comparison table from the model", async () => {
    const widget = await openWidget();
    const success = await widget.locator("table.comparison tr", { hasText: "Success" }).locator("td").allInnerTexts();
    expect(success).toEqual(HTTP_VERSIONS.map((v) => String(successStatus(v, EXAMPLE_CONVERSATION))));
    const reuse = await widget
      .locator("table.comparison tr", { hasText: "already open" })
      .locator("td")
      .allInnerTexts();
    expect(reuse.slice(1)).toEqual(["1", "1"]);
  });

  it("lists the lessons 0 to 10 in order, with lesson 9 between 8 and 10", async () => {
    const page = await session.open(LESSON);
    const numbers = await page.locator("nav.course ol a .num").allInnerTexts();
    expect(numbers).toEqual([...Array(11).keys()].map((n) => `${n}.`));
    expect(await page.locator('nav.course a[aria-current="page"]').getAttribute("href")).toBe(LESSON);
    expect(await page.locator("a[data-pager=previous]").getAttribute("href")).toBe("/lessons/security/");
    expect(await page.locator("a[data-pager=next]").getAttribute("href")).toBe("/lessons/classroom/");
  });

  it("is reached by links from lessons 1 and 2, the quiz's included", async () => {
    const page = await session.open("/lessons/http-stateless/");
    const inProse = page.locator("article.lesson").getByRole("link", { name: "lesson 9", exact: true });
    expect(await inProse.getAttribute("href")).toBe(LESSON);
    await page.goto(`${baseUrl}/lessons/tcp-underneath/`);
    const question = page.locator("sp-quiz form", { hasText: "two WebSocket connections open" });
    await question.getByLabel("Nothing, they share one TCP connection").check();
    await question.getByRole("button", { name: "Check answer" }).click();
    const link = question.getByRole("link", { name: /Lesson 9/ });
    expect(await link.isVisible()).toBe(true);
    expect(await link.getAttribute("href")).toBe(LESSON);
  });

  it.each(["light", "dark"] as const)(
    "has no axe violations in the %s theme, before and after a run",
    async (scheme) => {
      const widget = await openWidget(scheme);
      expect(await axeViolations(session.page), "idle").toEqual([]);
      await run(widget, "Hello");
      await widget.locator("details.row-bytes summary").first().click();
      expect(await axeViolations(session.page), "after a run").toEqual([]);
    },
  );
});
