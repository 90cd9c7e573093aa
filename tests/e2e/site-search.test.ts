// Site search in real Chromium against the production build: Pagefind's index is built with the
// site and served by the lab, so a search runs with nothing but this server (the page session
// checks that no request leaves it). Results link to the lessons, matches are marked, and a
// lesson's text is shown as text.
import { describe, expect, inject, it } from "vitest";
import type { Locator } from "playwright-core";
import { axeViolations } from "./axe.ts";
import { usePageSession } from "./page-session.ts";

const baseUrl = inject("baseUrl");
const session = usePageSession(baseUrl);

async function searchFor(query: string, scheme: "light" | "dark" = "light"): Promise<Locator> {
  const page = await session.open(`/search/?q=${encodeURIComponent(query)}`, scheme);
  const search = page.locator("sp-site-search");
  await expect.poll(() => search.locator("[data-part=status]").innerText(), { timeout: 15_000 }).not.toBe("");
  return search;
}

describe("site search", () => {
  it("finds Sec-WebSocket-Accept in the lessons, the handshake lesson among them, with the words marked", async () => {
    const search = await searchFor("Sec-WebSocket-Accept");
    expect(await search.locator("[data-part=status]").innerText()).toMatch(
      /^\d+ lessons? mentions? “Sec-WebSocket-Accept”\.$/,
    );
    const links = await search.locator(".results a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain("/lessons/upgrade-handshake/");
    expect(links.every((href) => href?.startsWith("/lessons/"))).toBe(true);
    expect(
      (await search.locator(".results mark").allInnerTexts()).some((text) => /Sec-WebSocket-Accept/i.test(text)),
    ).toBe(true);
    await search.locator(".results a", { hasText: "The Upgrade handshake" }).click();
    await session.page.waitForURL(/\/lessons\/upgrade-handshake\/$/);
  });

  it("searches as the reader types, keeps the query in the address, and says when nothing matches", async () => {
    const search = await searchFor("1006");
    const input = search.getByLabel("Search the lessons");
    await input.fill("extended CONNECT");
    await expect.poll(() => search.locator("[data-part=status]").innerText()).toMatch(/“extended CONNECT”/);
    expect(new URL(session.page.url()).searchParams.get("q")).toBe("extended CONNECT");
    expect(await search.locator(".results a").first().getAttribute("href")).toBe("/lessons/beyond-http-1-1/");
    await input.fill("zzqqxx");
    await expect.poll(() => search.locator("[data-part=status]").innerText()).toBe("No lesson mentions “zzqqxx”.");
    expect(await search.locator(".results li").count()).toBe(0);
  });

  it("is reached from every page's header", async () => {
    const page = await session.open("/lessons/frames/");
    await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Search" }).click();
    await page.waitForURL(/\/search\/$/);
    await page.getByLabel("Search the lessons").fill("masking key");
    await expect.poll(() => page.locator("sp-site-search .results a").count()).toBeGreaterThan(0);
  });

  it.each(["light", "dark"] as const)("has no axe violations in the %s theme", async (scheme) => {
    await searchFor("ping", scheme);
    expect(await axeViolations(session.page)).toEqual([]);
  });
});
