// Lessons printed as handouts, in real Chromium: with print media, the page chrome and every
// widget's controls are gone, the colours are light even for a reader in the dark theme, links
// show where they lead, and page.pdf() makes a document of a sensible number of pages.
import { describe, expect, inject, it } from "vitest";
import { usePageSession } from "./page-session.ts";

const baseUrl = inject("baseUrl");
const session = usePageSession(baseUrl);

/** Pages in a PDF: its page objects (/Type /Page, not /Pages). */
const pdfPages = (pdf: Buffer): number => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

describe("printing a lesson", () => {
  it.each([
    ["/lessons/frames/", "light"],
    ["/lessons/beyond-http-1-1/", "dark"],
  ] as const)("prints %s (%s theme) as a clean handout", async (path, scheme) => {
    const page = await session.open(path, scheme);
    // Widgets start when seen: scroll through so each shows its state, as a reader's page would.
    await page.evaluate(async () => {
      for (let y = 0; y < document.documentElement.scrollHeight; y += 700) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 20));
      }
      window.scrollTo(0, 0);
    });
    await page.emulateMedia({ media: "print", colorScheme: scheme });

    const visible = (selector: string) =>
      page
        .locator(selector)
        .evaluateAll(
          (elements) =>
            elements.filter(
              (e) =>
                (e as HTMLElement).offsetParent !== null ||
                (getComputedStyle(e).display !== "none" && e.getClientRects().length > 0),
            ).length,
        );
    expect(await visible("article.lesson button"), "buttons").toBe(0);
    expect(await visible(".widget-frame input, .widget-frame select"), "widget inputs").toBe(0);
    expect(await visible("nav.course, nav.toc, .pager, .site-header nav, .theme-toggle"), "page chrome").toBe(0);
    expect(await page.locator("article.lesson h1").isVisible()).toBe(true);
    expect(await page.locator(".widget-frame").first().isVisible(), "widgets stay, as they stand").toBe(true);

    // Dark text on white paper, whatever the screen's theme.
    const colours = await page.evaluate(() => ({
      text: getComputedStyle(document.body).color,
      paper: getComputedStyle(document.body).backgroundColor,
    }));
    expect(colours.paper).toBe("rgb(255, 255, 255)");
    const [r, g, b] = colours.text.match(/\d+/g)!.map(Number);
    expect((r! + g! + b!) / 3).toBeLessThan(80);

    // An RFC reference prints its address.
    const after = await page
      .locator(".references a")
      .first()
      .evaluate((a) => getComputedStyle(a, "::after").content);
    expect(after).toMatch(/https:\/\/www\.rfc-editor\.org\/rfc\/rfc\d+/);

    const pdf = await page.pdf({ format: "A4", printBackground: false });
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThan(3);
    expect(pages).toBeLessThan(60);
  });
});
