// Browser tests against the production server (started by global-setup.ts): lesson 0's echo
// console over a real WebSocket, lesson navigation, the theme toggle, progress, and the
// promises every page keeps (no console errors, no request to another host).
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { foreignRequests, launchBrowser, watchPage, type Browser, type PageWatch } from "./browser.ts";

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

async function openPage(path: string): Promise<void> {
  page = await browser.context.newPage();
  watch = watchPage(page);
  await page.goto(`${baseUrl}${path}`);
}

afterEach(async () => {
  // Every page in every test: nothing went wrong and nothing left the origin.
  expect(watch.pageErrors).toEqual([]);
  expect(watch.consoleErrors).toEqual([]);
  expect(foreignRequests(watch, baseUrl)).toEqual([]);
  await page.close();
});

const consoleWidget = () => page.locator("sp-echo-console");
const logText = () => consoleWidget().locator("tbody").innerText();

async function connectEcho(): Promise<void> {
  await consoleWidget().scrollIntoViewIfNeeded();
  await page.locator("sp-echo-console[data-ready]").waitFor();
  await consoleWidget()
    .getByRole("button", { name: /^(Connect|Reconnect)$/ })
    .click();
  await page.locator('sp-echo-console[data-state="OPEN"]').waitFor();
}

describe("home page", () => {
  it("introduces the tutorial and lists lessons with summary and time", async () => {
    await openPage("/");
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toMatch(/wire/);
    const items = page.locator(".lesson-list > li");
    expect(await items.count()).toBeGreaterThanOrEqual(1);
    const first = await items.first().innerText();
    expect(first).toMatch(/Lesson 0/);
    expect(first).toMatch(/About \d+ min/);
    expect(first).toMatch(/real WebSocket/);
  });
});

describe("lesson 0: the echo console", () => {
  it("opens a real WebSocket, reports CONNECTING then OPEN, and echoes text", async () => {
    await openPage("/lessons/start-here/");
    expect(await page.locator("sp-echo-console").getAttribute("data-state")).toBeNull();
    await connectEcho();
    const states = await logText();
    expect(states).toMatch(/readyState 0, CONNECTING[\s\S]*readyState 1, OPEN/);

    const message = consoleWidget().getByLabel("Message", { exact: true });
    await message.fill("Hello");
    await message.press("Enter");
    await consoleWidget().locator('tr[data-direction="received"]').first().waitFor();
    const log = await logText();
    expect(log).toContain("Sent a text message of 5 bytes: “Hello”");
    expect(log).toContain("Received a text message of 5 bytes: “Hello”");
    expect(await consoleWidget().locator('[aria-live="polite"]').innerText()).toContain(
      "Received a text message of 5 bytes",
    );
  });

  it("counts text in UTF-8 bytes and keeps binary as binary", async () => {
    await openPage("/lessons/start-here/");
    await connectEcho();
    const message = consoleWidget().getByLabel("Message", { exact: true });
    await message.fill("héllo");
    await consoleWidget().getByRole("button", { name: "Send", exact: true }).click();
    await consoleWidget().locator("tbody").getByText("Received a text message of 6 bytes: “héllo”").waitFor();

    await consoleWidget()
      .getByRole("radio", { name: /Binary/ })
      .check();
    await message.fill("de ad be ef");
    await consoleWidget().getByRole("button", { name: "Send", exact: true }).click();
    await consoleWidget().locator("tbody").getByText("Received a binary message of 4 bytes: de ad be ef").waitFor();

    await message.fill("zz");
    await consoleWidget().getByRole("button", { name: "Send", exact: true }).click();
    expect(await consoleWidget().getByRole("alert").innerText()).toMatch(/not a hex byte/);
  });

  it("closes with a chosen code and reason, then reconnects", async () => {
    await openPage("/lessons/start-here/");
    await connectEcho();
    await consoleWidget().getByLabel("Close code").fill("4000");
    await consoleWidget().getByLabel("Reason").fill("see you");
    await consoleWidget().getByRole("button", { name: "Close", exact: true }).click();
    await page.locator('sp-echo-console[data-state="CLOSED"]').waitFor();
    const report = await consoleWidget().locator("[data-part=close-report]").innerText();
    expect(report).toMatch(/Closed with 4000 Private use/);
    expect(report).toContain("“see you”");
    expect(await logText()).toMatch(/readyState 2, CLOSING[\s\S]*readyState 3, CLOSED/);

    await connectEcho();
    expect(await logText()).toMatch(/#2 \+[\d.]+ ms\s+state\s+readyState 1, OPEN/);
  });

  it("reports 1005 when closed without a code, and refuses codes a page may not send", async () => {
    await openPage("/lessons/start-here/");
    await connectEcho();
    await consoleWidget().getByLabel("Close code").fill("1006");
    await consoleWidget().getByRole("button", { name: "Close", exact: true }).click();
    await consoleWidget()
      .locator("tbody")
      .getByText(/1006 is reserved for the protocol/)
      .waitFor();
    expect(await consoleWidget().getAttribute("data-state")).toBe("OPEN");

    await consoleWidget().getByLabel("Close code").fill("");
    await consoleWidget().getByLabel("Reason").fill("");
    await consoleWidget().getByRole("button", { name: "Close", exact: true }).click();
    await page.locator('sp-echo-console[data-state="CLOSED"]').waitFor();
    expect(await consoleWidget().locator("[data-part=close-report]").innerText()).toMatch(
      /Closed with 1005 No Status Received/,
    );
  });

  it("is closed by the lab with 1009 when a message is over the size limit the lab reports", async () => {
    await openPage("/lessons/start-here/");
    await connectEcho();
    const limit = (await (await fetch(`${baseUrl}/lab/info`)).json()) as { maxMessageBytes: number };
    await consoleWidget()
      .locator("[data-part=limit-note]")
      .getByText(`${(limit.maxMessageBytes + 1).toLocaleString("en")} bytes`)
      .waitFor();
    await consoleWidget()
      .getByRole("button", { name: /over the lab's size limit/ })
      .click();
    await page.locator('sp-echo-console[data-state="CLOSED"]').waitFor();
    expect(await consoleWidget().locator("[data-part=close-report]").innerText()).toMatch(
      /Closed with 1009 Message Too Big/,
    );
  });

  it("works from the keyboard alone", async () => {
    await openPage("/lessons/start-here/");
    await consoleWidget().scrollIntoViewIfNeeded();
    await page.locator("sp-echo-console[data-ready]").waitFor();
    await consoleWidget().getByRole("button", { name: "Connect" }).focus();
    await page.keyboard.press("Enter");
    await page.locator('sp-echo-console[data-state="OPEN"]').waitFor();
    // Connect disables itself once pressed; focus moves on to the message field.
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === "message");
    await page.keyboard.press("End");
    await page.keyboard.type(" by keyboard");
    await page.keyboard.press("Enter");
    await consoleWidget()
      .locator("tbody")
      .getByText("Received a text message of 17 bytes: “Hello by keyboard”")
      .waitFor();
    // Shift+Tab reaches the message type radios; arrow keys switch them.
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("ArrowDown");
    expect(
      await consoleWidget()
        .getByRole("radio", { name: /Binary/ })
        .isChecked(),
    ).toBe(true);
  });
});

describe("site chrome", () => {
  it("walks every lesson with the next links and back with the previous links", async () => {
    await openPage("/");
    const lessonHrefs = await page
      .locator(".lesson-list > li a")
      .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    expect(lessonHrefs.length).toBeGreaterThanOrEqual(1);

    await page.goto(`${baseUrl}${lessonHrefs[0]}`);
    const visited: string[] = [];
    for (let i = 0; i < lessonHrefs.length; i++) {
      visited.push(new URL(page.url()).pathname);
      await page.locator('a[data-pager="next"]').click();
      await page.waitForLoadState("domcontentloaded");
    }
    expect(visited).toEqual(lessonHrefs);
    // After the last lesson, "next" leads back to the course overview.
    expect(new URL(page.url()).pathname).toBe("/");

    await page.goto(`${baseUrl}${lessonHrefs.at(-1)}`);
    const back: string[] = [];
    for (let i = 0; i < lessonHrefs.length; i++) {
      back.push(new URL(page.url()).pathname);
      await page.locator('a[data-pager="previous"]').click();
      await page.waitForLoadState("domcontentloaded");
    }
    expect(back).toEqual([...lessonHrefs].reverse());
    expect(new URL(page.url()).pathname).toBe("/");
  });

  it("toggles the theme, remembers it, and follows the OS otherwise", async () => {
    await openPage("/lessons/start-here/");
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe("light");
    await page.getByRole("button", { name: "Use dark theme" }).click();
    expect(await theme()).toBe("dark");
    await page.reload();
    expect(await theme()).toBe("dark");
    await page.getByRole("button", { name: "Use light theme" }).click();
    expect(await theme()).toBe("light");
    expect(await page.evaluate(() => localStorage.getItem("sp:theme"))).toBeNull();
    await page.emulateMedia({ colorScheme: "dark" });
    await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  });

  it("remembers progress, validates it when read back, and lets the quiz finish a lesson", async () => {
    await openPage("/lessons/start-here/");
    await page.getByLabel("I have finished this lesson").check();
    await page.goto(`${baseUrl}/`);
    expect(await page.locator('.lesson-list li[data-progress-slug="start-here"]').getAttribute("data-progress")).toBe(
      "done",
    );

    await page.evaluate(() =>
      localStorage.setItem("sp:progress", '{"version":1,"lessons":{"start-here":{"done":"yes"},"<img>":{}}}'),
    );
    await page.reload();
    expect(await page.locator('.lesson-list li[data-progress-slug="start-here"]').getAttribute("data-progress")).toBe(
      "new",
    );

    await page.goto(`${baseUrl}/lessons/start-here/`);
    const questions = page.locator("sp-quiz form[data-question]");
    // Checking with nothing chosen says so in the feedback's live region.
    await questions.first().getByRole("button", { name: "Check answer" }).click();
    expect(await questions.first().locator("[data-feedback-out]").innerText()).toBe("Pick an answer first.");
    for (let i = 0; i < (await questions.count()); i++) {
      const question = questions.nth(i);
      await question.locator("input[data-correct]").check();
      await question.getByRole("button", { name: "Check answer" }).click();
      expect(await question.locator("[data-feedback-out]").innerText()).toMatch(/^Correct\./);
      if (i === 0)
        expect(await page.locator("sp-quiz [data-score]").innerText()).toMatch(
          /^Score so far: 1 of 1 answered correctly, \d+ questions? left\.$/,
        );
    }
    expect(await page.locator("sp-quiz [data-score]").innerText()).toMatch(/All \d+ answers correct/);
    expect(await page.getByLabel("I have finished this lesson").isChecked()).toBe(true);
  });

  it("skips text blocks far from the view once laid out, without changing the page's height or where a heading is", async () => {
    // Lesson 5 is the longest: dozens of paragraphs, tables, code and two live widgets.
    await openPage("/lessons/frames/#summary");
    const prose = page.locator(".prose[data-skip-offscreen]");
    await prose.waitFor({ state: "attached" });
    const geometry = () =>
      page.evaluate(() => ({
        height: document.documentElement.scrollHeight,
        heading: Math.round(document.getElementById("summary")!.getBoundingClientRect().top + scrollY),
        skipped: [...document.querySelectorAll(".prose > p")].filter(
          (p) => getComputedStyle(p).contentVisibility === "auto",
        ).length,
      }));
    const skipping = await geometry();
    expect(skipping.skipped).toBeGreaterThan(10);
    await page.evaluate(() => document.querySelector(".prose")!.removeAttribute("data-skip-offscreen"));
    const full = await geometry();
    expect(full.skipped).toBe(0);
    // Every skipped block stands in with the size it was laid out at.
    expect(Math.abs(skipping.height - full.height)).toBeLessThanOrEqual(1);
    expect(Math.abs(skipping.heading - full.heading)).toBeLessThanOrEqual(1);
  });

  it("keeps the lesson list and the table of contents apart at 1280 and 1920 wide, and the list off a phone's first screen", async () => {
    await openPage("/lessons/frames/");
    const box = (selector: string) => page.locator(selector).boundingBox();
    const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const [width, height] of [
      [1280, 720],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      // Top, middle, and the very end, where a list placed under the other would come into view.
      for (const y of [0, 3000, Number.MAX_SAFE_INTEGER]) {
        await page.evaluate((top) => window.scrollTo(0, Math.min(top, document.documentElement.scrollHeight)), y);
        const [course, toc, lesson] = await Promise.all([box("nav.course"), box("nav.toc"), box("article.lesson")]);
        expect(course && toc && lesson, `${width}: all three laid out`).toBeTruthy();
        expect(overlap(course!, toc!), `${width} at ${y}: list and contents`).toBe(false);
        expect(overlap(course!, lesson!) || overlap(toc!, lesson!), `${width} at ${y}: beside the lesson`).toBe(false);
      }
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => window.scrollTo(0, 0));
    expect((await box("nav.course"))!.y).toBeGreaterThan(844);
    expect((await box("#lesson-title"))!.y).toBeLessThan(400);
  });

  it("copies a code block with its button, and the lab address as an export line, without ligatures", async () => {
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    await openPage("/lessons/start-here/");
    const curl = page.locator(".code-block", { hasText: "curl --include" }).first();
    await curl.scrollIntoViewIfNeeded();
    await curl.getByRole("button", { name: "Copy" }).click();
    await expect.poll(() => curl.getByRole("button").innerText()).toBe("Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(await curl.locator("pre").innerText());
    expect(copied).toContain("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
    expect(await page.locator("[data-copy-announcer]").innerText()).toBe("Copied");
    const lab = page.locator("sp-lab-address .code-block");
    await lab.getByRole("button", { name: "Copy" }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(`export LAB=${new URL(baseUrl).host}`);
    expect(await curl.locator("pre").evaluate((pre) => getComputedStyle(pre).fontVariantLigatures)).toBe("none");
  });

  it("serves pages with a Content-Security-Policy and a skip link to the content", async () => {
    await openPage("/lessons/start-here/");
    const response = await page.request.get(`${baseUrl}/lessons/start-here/`);
    const csp = response.headers()["content-security-policy"]!;
    // WebAssembly for the site search may compile; JavaScript from strings may not.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");
    expect(csp).not.toMatch(/'unsafe-eval'/);
    // The one inline script is the theme's, allowed by the hash of its exact text: it ran (the
    // page has a theme) and the policy refused nothing.
    const inline = await page.evaluate(() =>
      [...document.querySelectorAll("script:not([src])")].map((s) => s.textContent ?? ""),
    );
    expect(inline).toHaveLength(1);
    const { createHash } = await import("node:crypto");
    expect(csp).toContain(`'sha256-${createHash("sha256").update(inline[0]!).digest("base64")}'`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toMatch(/^(light|dark)$/);
    // The site's stylesheet is inlined (no render-blocking request) and allowed by its hash alone:
    // the policy has no 'unsafe-inline' for style elements, and the page is styled.
    const styles = await page.evaluate(() => [...document.querySelectorAll("style")].map((s) => s.textContent ?? ""));
    expect(styles.length).toBeGreaterThanOrEqual(1);
    const styleSrc = csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("style-src "))!;
    expect(styleSrc).not.toContain("unsafe-inline");
    for (const text of styles)
      expect(styleSrc).toContain(`'sha256-${createHash("sha256").update(text).digest("base64")}'`);
    expect(await page.evaluate(() => getComputedStyle(document.querySelector(".skip-link")!).position)).not.toBe(
      "static",
    );
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(await page.locator("main, header, footer, nav").count()).toBeGreaterThanOrEqual(4);
  });
});
