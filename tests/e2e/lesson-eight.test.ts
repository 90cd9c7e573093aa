// Browser tests for lesson 8 (real Chromium, the real production server with its other site on a
// second origin, the real lab tap): another origin's page opens a WebSocket to the lab, the
// browser sends the lab's cookie with it, the lab refuses it with 403 and the lesson shows both;
// the naive server accepts the same page; the echo console's flood gets 1008; the reader's watch
// token is never shown; axe in both themes, on the lesson and on the other site's page.
import { describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { axeViolations } from "./axe.ts";
import { usePageSession } from "./page-session.ts";

const baseUrl = inject("baseUrl");
const LESSON = "/lessons/security/";
const session = usePageSession(baseUrl);

const openDemo = (scheme: "light" | "dark" = "light"): Promise<Locator> =>
  session.openWidget(LESSON, "sp-hijack-demo", scheme);

/** Opens the other site from the demo's link and waits for its page to finish trying. */
async function visitOtherSite(demo: Locator, outcome: "refused" | "accepted"): Promise<Page> {
  const [other] = await Promise.all([
    session.page.waitForEvent("popup"),
    demo.getByRole("link", { name: "Open the other site" }).click(),
  ]);
  await other.locator(`sp-other-site[data-outcome="${outcome}"]`).waitFor({ timeout: 15_000 });
  return other;
}

describe("lesson 8: cross-site WebSocket hijacking", () => {
  it("the other site's handshake carries the lab's cookie, and the lab refuses it by Origin with 403", async () => {
    const demo = await openDemo();
    await demo.getByRole("button", { name: "Get the demo cookie" }).click();
    await expect.poll(() => demo.getAttribute("data-cookie")).toMatch(/^reader-[0-9a-f]{12}$/);
    const cookie = (await demo.getAttribute("data-cookie"))!;
    const href = (await demo.getByRole("link", { name: "Open the other site" }).getAttribute("href"))!;
    const otherOrigin = new URL(href).origin;
    expect(otherOrigin).not.toBe(new URL(baseUrl).origin);
    expect(new URL(href).hostname).toBe(new URL(baseUrl).hostname);

    const other = await visitOtherSite(demo, "refused");
    // The other page learns nothing but an error and 1006.
    const log = await other.locator("[data-part=log]").innerText();
    expect(log).toContain("close: code 1006");
    // No status reaches the page (a port number may well contain the digits 403, so whole words only).
    expect(log).not.toMatch(/\b403\b/);
    expect(await other.locator("[data-part=origin]").innerText()).toBe(otherOrigin);
    await other.close();

    await session.page.locator('sp-hijack-demo[data-state="refused"]').waitFor({ timeout: 10_000 });
    const request = await demo.locator("[data-part=request]").innerText();
    expect(request).toContain(`Origin: ${otherOrigin}`);
    expect(request).toContain(`Cookie: sp-demo=${cookie}`);
    expect(await demo.locator('[data-part=request] mark[data-mark="cookie"]').innerText()).toContain(cookie);
    expect(await demo.locator("[data-part=answer]").innerText()).toMatch(
      new RegExp(`^403 Forbidden: Pages from ${otherOrigin.replace(/\./g, "\\.")} may not use this lab`),
    );
    expect(await demo.locator("[data-part=verdict]").innerText()).toMatch(/^Refused: /);
    // The reader's watch token stays out of the page's text.
    const token = new URLSearchParams(new URL(href).hash.slice(1)).get("watch")!;
    expect(token.length).toBeGreaterThanOrEqual(22);
    expect(await session.page.locator("body").innerText()).not.toContain(token);
  });

  it("a server that forgets the Origin check accepts the same page, which then talks to it", async () => {
    const demo = await openDemo();
    await demo.getByRole("button", { name: "Get the demo cookie" }).click();
    await expect.poll(() => demo.getAttribute("data-cookie")).toBeTruthy();
    await demo.getByRole("radio", { name: /A server that forgets to check/ }).check();
    expect(await demo.getByRole("link", { name: "Open the other site" }).getAttribute("href")).toContain(
      "target=naive",
    );
    const other = await visitOtherSite(demo, "accepted");
    expect(await other.locator("[data-part=log]").innerText()).toMatch(/message: "Hello from another site/);
    await other.close();
    await session.page.locator('sp-hijack-demo[data-state="accepted"]').waitFor({ timeout: 10_000 });
    expect(await demo.locator("[data-part=request]").innerText()).toContain("GET /lab/naive-echo?watch=… HTTP/1.1");
    expect(await demo.locator("[data-part=answer]").innerText()).toMatch(
      /^101 Switching Protocols · then the page sent “Hello from another site.*” and the server echoed/,
    );
  });

  it("the echo console's flood is closed with 1008 by the lab's rate limit", async () => {
    const page = await session.open(LESSON);
    const console_ = page.locator("sp-echo-console");
    await console_.scrollIntoViewIfNeeded();
    await console_.getByRole("button", { name: "Connect" }).click();
    await page.locator('sp-echo-console[data-state="OPEN"]').waitFor();
    await expect
      .poll(() => console_.locator("[data-part=flood-note]").innerText())
      .toMatch(/The button sends \d+ at once/);
    await console_.getByRole("button", { name: /rate limit allows/ }).click();
    await page.locator('sp-echo-console[data-state="CLOSED"]').waitFor({ timeout: 10_000 });
    expect(await console_.locator("[data-part=close-report]").innerText()).toMatch(/1008 Policy Violation/);
  });

  it.each(["light", "dark"] as const)(
    "has no axe violations in the %s theme, on the lesson idle and after an attempt, and on the other site",
    async (scheme) => {
      const demo = await openDemo(scheme);
      expect(await axeViolations(session.page), "idle").toEqual([]);
      const other = await visitOtherSite(demo, "refused");
      await other.emulateMedia({ colorScheme: scheme });
      expect(await axeViolations(other), "the other site").toEqual([]);
      await other.close();
      await session.page.locator('sp-hijack-demo[data-state="refused"]').waitFor({ timeout: 10_000 });
      expect(await axeViolations(session.page), "after an attempt").toEqual([]);
    },
  );
});
