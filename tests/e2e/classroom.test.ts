// The classroom in one Chromium with three isolated contexts (teacher, two students) against
// the production server: joining, messages reaching everyone as text, the teacher leading a
// widget step, the teacher closing the room, and accessibility of the classroom pages.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { foreignRequests, launchContexts, watchPage, type PageWatch } from "./browser.ts";
import { axeViolations } from "./axe.ts";

const baseUrl = inject("baseUrl");
let close: () => Promise<void>;
let teacher: Page;
let ada: Page;
let bob: Page;
const watches: PageWatch[] = [];
const dialogs: string[] = [];
let code = "";

beforeAll(async () => {
  const browser = await launchContexts(3);
  close = browser.close;
  const pages = await Promise.all(browser.contexts.map((c) => c.newPage()));
  [teacher, ada, bob] = [pages[0]!, pages[1]!, pages[2]!];
  for (const page of [teacher, ada, bob]) {
    watches.push(watchPage(page));
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }
});

afterAll(async () => {
  await close?.();
});

const room = (page: Page): Locator => page.locator("sp-classroom");

async function ready(page: Page): Promise<Locator> {
  const widget = room(page);
  await widget.scrollIntoViewIfNeeded();
  await page.locator("sp-classroom[data-ready]").waitFor();
  return widget;
}

async function join(page: Page, nickname: string): Promise<void> {
  await page.goto(`${baseUrl}/join/?code=${code}`);
  const widget = await ready(page);
  await widget.locator("[data-part=nickname]").fill(nickname);
  await widget.locator("[data-part=join]").click();
  await page.locator('sp-classroom[data-state="in-room"]').waitFor();
}

/** This tab's room secret (teacher key or resume token), from its own session storage. */
async function secretOf(page: Page): Promise<string> {
  // The tab's own session, or the teacher's session shared with the browser's other tabs.
  const session = await page.evaluate(
    () =>
      JSON.parse(sessionStorage.getItem("sp:classroom") ?? localStorage.getItem("sp:classroom-teacher") ?? "null") as {
        teacherKey?: string;
        resume?: string;
      } | null,
  );
  const secret = session?.teacherKey ?? session?.resume;
  if (!secret) throw new Error("this tab holds no room secret");
  return secret;
}

/** Everything the page renders: markup with every attribute, text, and the values typed into fields. */
const renderedText = (page: Page): Promise<string> =>
  page.evaluate(() =>
    [
      document.documentElement.outerHTML,
      document.body.innerText,
      ...[...document.querySelectorAll("input, textarea")].map((f) => (f as HTMLInputElement).value),
    ].join("\n"),
  );

async function expectSecretsHidden(pages: Page[]): Promise<void> {
  for (const page of pages) {
    const secret = await secretOf(page);
    const rendered = await renderedText(page);
    expect(rendered.includes(secret), `${page.url()} renders its room secret`).toBe(false);
  }
}

const messageTexts = (page: Page) =>
  room(page).locator("[data-part=messages] [data-part=message-text]").allTextContents();

describe("the classroom", () => {
  it("the teacher opens a room and two students join it with the code", async () => {
    await teacher.goto(`${baseUrl}/join/`);
    const widget = await ready(teacher);
    await widget.locator("[data-part=create]").click();
    await teacher.locator('sp-classroom[data-state="in-room"][data-role="teacher"]').waitFor();
    code = (await widget.locator("[data-part=room-code]").textContent())!.replace(/\s/g, "");
    expect(code).toMatch(/^[A-Z2-9]{6}$/);
    await join(ada, "Ada");
    await join(bob, "Bob");
    await teacher.locator('sp-classroom [data-part=participants] [data-nickname="Bob"]').waitFor();
    expect(await room(teacher).locator("[data-part=participants] [data-nickname]").count()).toBe(3);
  });

  it("shows no teacher key or resume token anywhere, though the frames panel shows the messages that carry them", async () => {
    // The teacher's "created" and each student's "joined" crossed their tapped connections.
    for (const page of [teacher, ada]) await room(page).locator("[data-part=frames] .frame").first().waitFor();
    await teacher.locator("sp-classroom [data-part=frames] .payload", { hasText: '"teacherKey":"••••"' }).waitFor();
    await ada.locator("sp-classroom [data-part=frames] .payload", { hasText: '"resume":"••••"' }).waitFor();
    expect(await room(teacher).locator("[data-part=secrets-note]").textContent()).toMatch(/hides the teacher key/);
    await expectSecretsHidden([teacher, ada, bob]);
    // In projector view too (the view a class reads).
    await room(teacher).locator("[data-part=projector]").click();
    await expectSecretsHidden([teacher]);
    await teacher.keyboard.press("Escape");
  });

  it("a removed student is kept out, under a look-alike name too, until the teacher lets them back in; a locked room takes nobody new", async () => {
    const widget = room(teacher);
    const row = widget.locator('[data-part=participants] [data-nickname="Bob"]');
    await row.locator("[data-part=remove]").click();
    await row.locator("[data-part=remove-confirm]").click();
    await bob.locator('sp-classroom[data-state="closed"]').waitFor();
    await widget.locator('[data-part=barred] [data-nickname="Bob"]').waitFor();
    await bob.goto(`${baseUrl}/join/?code=${code}`);
    const bobs = await ready(bob);
    // The name, a look-alike, and (from the same browser) a new name are all refused.
    for (const name of ["Bob", "B0b", "Robert"]) {
      await bobs.locator("[data-part=nickname]").fill(name);
      await bobs.locator("[data-part=join]").click();
      await bob.locator("sp-classroom [data-part=join-error]", { hasText: "removed Bob" }).waitFor();
      await bobs.locator("[data-part=nickname]").fill("");
    }
    await widget.locator('[data-part=barred] [data-nickname="Bob"] [data-part=readmit]').click();
    await widget.locator("[data-part=barred] li").waitFor({ state: "detached" });

    await widget.locator("[data-part=lock]").click();
    await teacher.locator('sp-classroom [data-part=lock][aria-pressed="true"]').waitFor();
    await bobs.locator("[data-part=nickname]").fill("Bob");
    await bobs.locator("[data-part=join]").click();
    await bob.locator("sp-classroom [data-part=join-error]", { hasText: "locked" }).waitFor();
    await widget.locator("[data-part=lock]").click();
    await teacher.locator('sp-classroom [data-part=lock][aria-pressed="false"]').waitFor();
    await bobs.locator("[data-part=join]").click();
    await bob.locator('sp-classroom[data-state="in-room"]').waitFor();
    await expectSecretsHidden([teacher, ada, bob]);
  });

  it("a message from one student reaches all three", async () => {
    await room(ada).locator("[data-part=message]").fill("hello class");
    await room(ada).locator("[data-part=send]").click();
    for (const page of [teacher, ada, bob]) {
      await page.locator("sp-classroom [data-part=message-text]", { hasText: "hello class" }).waitFor();
    }
  });

  it("a message with HTML in it shows as text and runs nothing", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    await room(bob).locator("[data-part=message]").fill(hostile);
    await room(bob).locator("[data-part=send]").click();
    for (const page of [teacher, ada, bob]) {
      await page.locator("sp-classroom [data-part=message-text]", { hasText: "onerror" }).waitFor();
      expect(await messageTexts(page)).toContain(hostile);
      expect(await room(page).locator("[data-part=messages] img").count()).toBe(0);
    }
    expect(dialogs).toEqual([]);
  });

  it("the teacher leads from a lesson opened in a new tab, the /join/ tab staying in the room, and a following student's copy moves to the same step", async () => {
    await room(ada).locator("[data-part=follow]").check();
    // A new tab of the teacher's browser: it has no session of its own, and joins as the teacher.
    const lessonTab = await teacher.context().newPage();
    watches.push(watchPage(lessonTab));
    await lessonTab.goto(`${baseUrl}/lessons/upgrade-handshake/`);
    await lessonTab.locator('sp-classroom-bar[data-state="connected"][data-role="teacher"]').waitFor();
    // Arriving brought the follower to the lesson.
    await ada.waitForURL(/\/lessons\/upgrade-handshake\//);
    await ada.locator('sp-classroom-bar[data-state="connected"][data-following="true"]').waitFor();
    expect(await teacher.locator('sp-classroom[data-state="in-room"][data-role="teacher"]').count()).toBe(1);
    const stepper = lessonTab.locator("sp-handshake-stepper");
    await stepper.scrollIntoViewIfNeeded();
    await lessonTab.locator("sp-handshake-stepper[data-ready]").waitFor();
    const follower = ada.locator("sp-handshake-stepper");
    await follower.scrollIntoViewIfNeeded();
    await ada.locator("sp-handshake-stepper[data-ready]").waitFor();
    for (let i = 0; i < 3; i++) await stepper.locator("[data-part=next]").click();
    expect(await stepper.getAttribute("data-step")).toBe("4");
    await ada.locator('sp-handshake-stepper[data-step="4"]').waitFor();
    // Lesson pages in a room render no secret either (the bar holds them, never shows them).
    await expectSecretsHidden([lessonTab, ada]);

    // A class prediction: asked from the teacher's card, answered on the student's own screen,
    // counted by the lab, tallied on the teacher's (projected) card, then revealed to everyone.
    const card = (page: Page): Locator => page.locator('sp-prediction[data-card="request-size"]');
    for (const page of [lessonTab, ada]) {
      await card(page).scrollIntoViewIfNeeded();
      await card(page).and(page.locator("[data-ready]")).waitFor();
    }
    await card(lessonTab).locator("[data-part=ask]").click();
    await ada.locator('sp-prediction[data-card="request-size"][data-mode="student-answering"]').waitFor();
    // The student's bar points to the question until they answer it.
    const note = ada.locator("sp-classroom-bar [data-part=poll-note]");
    await note.locator("a", { hasText: "Which is larger" }).waitFor();
    await card(lessonTab).locator("[data-part=answered]", { hasText: "0 of 2 students answered" }).waitFor();
    await card(ada).getByLabel("The upgrade request").check();
    await card(ada).locator("[data-part=lock]").click();
    await card(ada).locator("[data-part=status]", { hasText: "is in" }).waitFor();
    await note.waitFor({ state: "hidden" });
    await card(lessonTab).locator("[data-part=answered]", { hasText: "1 of 2 students answered so far" }).waitFor();
    expect(await card(lessonTab).locator(".tally-row .figure").allTextContents()).toEqual([
      "1 · 100%",
      "0 · 0%",
      "0 · 0%",
    ]);
    // The student does not see the count before the reveal.
    expect(await card(ada).locator("[data-part=tally]").isHidden()).toBe(true);
    await card(lessonTab).locator("[data-part=reveal]").click();
    await ada.locator('sp-prediction[data-card="request-size"][data-mode="revealed"]').waitFor();
    await card(ada).locator("[data-part=answered]", { hasText: "1 of 2 students answered (final)" }).waitFor();
    expect(await card(ada).locator(".tally-row[data-mine] .label").textContent()).toBe("The upgrade request (yours)");
    await lessonTab.close();
    // Bob did not choose to follow: his page stays where it was.
    expect(new URL(bob.url()).pathname).toBe("/join/");
  });

  it("the teacher closes the room and the students see why", async () => {
    await teacher.goto(`${baseUrl}/join/`);
    const widget = await ready(teacher);
    await teacher.locator('sp-classroom[data-state="in-room"][data-role="teacher"]').waitFor();
    // Coming back sent the teacher key in a "teach" frame, shown masked.
    await teacher.locator("sp-classroom [data-part=frames] .payload", { hasText: '"type":"teach"' }).waitFor();
    await expectSecretsHidden([teacher, ada]);
    await widget.locator("[data-part=close-reason]").fill("Class is over, thank you!");
    await widget.locator("[data-part=close-room]").click();
    const confirm = widget.locator("[data-part=close-room-confirm]");
    if (await confirm.count()) await confirm.click();
    await bob.locator("sp-classroom [data-part=status]", { hasText: "Class is over, thank you!" }).waitFor();
    expect(await room(bob).getAttribute("data-state")).toBe("closed");
  });

  it("made no request to any other host and logged no errors", () => {
    for (const watch of watches) {
      expect(watch.pageErrors).toEqual([]);
      expect(foreignRequests(watch, baseUrl)).toEqual([]);
    }
  });
});

describe("finding the classroom", () => {
  it("the home page and every lesson link to the classroom and the teacher's guide, which is a page of the site", async () => {
    const { contexts, close: done } = await launchContexts(1);
    const page = await contexts[0]!.newPage();
    const watch = watchPage(page);
    await page.goto(`${baseUrl}/`);
    const lessons = await page
      .locator(".lesson-list a")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname));
    expect(lessons.length).toBeGreaterThan(5);
    for (const path of ["/", ...lessons]) {
      if (path !== "/") await page.goto(`${baseUrl}${path}`);
      const nav = page.locator('nav[aria-label="Site"]');
      expect(await nav.locator('a[href="/join/"]').textContent(), path).toBe("Classroom");
      expect(await nav.locator('a[href="/teachers/"]').textContent(), path).toBe("For teachers");
    }
    await page.locator('nav[aria-label="Site"] a[href="/teachers/"]').click();
    await page.locator("h1", { hasText: "Teaching with Switching Protocols" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("Let back in");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(watch.pageErrors).toEqual([]);
    await done();
  });
});

describe("presenter mode", () => {
  it("steps a lesson by keyboard at projector size, and a deep link reopens the same section", async () => {
    const { contexts, close: done } = await launchContexts(1);
    const page = await contexts[0]!.newPage();
    const watch = watchPage(page);
    await page.goto(`${baseUrl}/lessons/frames/`);
    await page.locator("[data-part=present]").click();
    await page.locator("html[data-presenter]").waitFor({ state: "attached" });
    const counter = page.locator("[data-part=presenter-counter]");
    expect(await counter.textContent()).toMatch(/^1 \/ \d+$/);
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    expect(await counter.textContent()).toMatch(/^3 \/ /);
    expect(new URL(page.url()).hash).toBe("#present=3");
    await page.keyboard.press("End");
    const total = (await counter.textContent())!.split(" / ")[1];
    expect(await counter.textContent()).toBe(`${total} / ${total}`);

    await page.goto(`${baseUrl}/lessons/frames/#present=2`);
    await page.reload();
    await page.locator("html[data-presenter]").waitFor({ state: "attached" });
    expect(await page.locator("[data-part=presenter-counter]").textContent()).toMatch(/^2 \/ /);
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.documentElement.hasAttribute("data-presenter"));
    expect(watch.pageErrors).toEqual([]);
    await done();
  });

  it("stepping a widget on a slide keeps #present=N, and that link reopens the slide with the widget at its step", async () => {
    const { contexts, close: done } = await launchContexts(1);
    const page = await contexts[0]!.newPage();
    const watch = watchPage(page);
    // Sections are marked when presenter mode first starts.
    await page.goto(`${baseUrl}/lessons/upgrade-handshake/#present=1`);
    await page.locator("html[data-presenter]").waitFor({ state: "attached" });
    const slide =
      Number(
        await page
          .locator("sp-handshake-stepper")
          .evaluate((e) => e.closest<HTMLElement>("[data-presenter-section]")?.dataset.presenterSection ?? "-1"),
      ) + 1;
    expect(slide).toBeGreaterThan(0);
    // A link to the slide and the stepper's first step opens the part of the slide that holds it.
    await page.goto(`${baseUrl}/lessons/upgrade-handshake/#present=${slide}&handshake-step=1`);
    await page.reload();
    await page.locator("html[data-presenter]").waitFor({ state: "attached" });
    await page.locator("sp-handshake-stepper[data-ready]").waitFor();
    const stepper = page.locator("sp-handshake-stepper");
    await stepper.locator("[data-part=next]").click();
    await stepper.locator("[data-part=next]").click();
    await page.locator('sp-handshake-stepper[data-step="3"]').waitFor();
    const link = new URL(page.url()).hash;
    expect(link).toBe(`#present=${slide}&handshake-step=3`);
    // The slide's own keys still step slides afterwards, and the widget's step rides along.
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.documentElement.hasAttribute("data-presenter"));
    expect(new URL(page.url()).hash).toBe("#handshake-step=3");

    const fresh = await contexts[0]!.newPage();
    await fresh.goto(`${baseUrl}/lessons/upgrade-handshake/${link}`);
    await fresh.locator("html[data-presenter]").waitFor({ state: "attached" });
    expect(await fresh.locator("[data-part=presenter-counter]").textContent()).toMatch(new RegExp(`^${slide} / `));
    await fresh.locator('sp-handshake-stepper[data-ready][data-step="3"]').waitFor();
    expect(await fresh.locator("sp-handshake-stepper").isVisible()).toBe(true);
    expect(watch.pageErrors).toEqual([]);
    await done();
  });
});

describe("presenter slides fit the projector", () => {
  // Every part of every slide of every lesson, at both projector sizes: nothing
  // ends below the top of the presenter bar, nothing sits under it, and the page does not scroll.
  it.each([
    [1920, 1080],
    [1280, 720],
  ])(
    "at %i×%i",
    async (width, height) => {
      const { contexts, close: done } = await launchContexts(1);
      const page = await contexts[0]!.newPage();
      const watch = watchPage(page);
      await page.setViewportSize({ width, height });
      const problems: string[] = [];
      let parts = 0;
      await page.goto(`${baseUrl}/`);
      const slugs = await page
        .locator(".lesson-list a")
        .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).pathname.split("/")[2]!));
      for (const slug of slugs) {
        await page.goto(`${baseUrl}/lessons/${slug}/#present=1`);
        await page.locator("html[data-presenter]").waitFor({ state: "attached" });
        for (let step = 0; step < 100; step++) {
          // A widget on the slide starts when shown and the slide is fitted again once it has
          // grown: wait for the fit to hold, as the class would see it a moment later.
          const fits = () =>
            page.evaluate(() => {
              const bar = document.querySelector(".presenter-bar")!.getBoundingClientRect();
              const shown = [
                ...document.querySelectorAll<HTMLElement>("[data-presenter-current]:not([data-presenter-hidden])"),
              ].filter((e) => e.getClientRects().length > 0);
              const lowest = Math.max(...shown.map((e) => e.getBoundingClientRect().bottom));
              return {
                ok: lowest <= bar.top && document.documentElement.scrollHeight <= window.innerHeight,
                lowest,
                barTop: bar.top,
                counter: document.querySelector("[data-part=presenter-counter]")!.textContent,
                last: document.querySelector("[data-part=presenter-next]")!.getAttribute("aria-disabled") === "true",
              };
            });
          const widgets = await page.evaluate(
            () =>
              [...document.querySelectorAll("[data-presenter-current]:not([data-presenter-hidden])")]
                .flatMap((e) => [e, ...e.querySelectorAll("*")])
                .filter((e) => e.localName.startsWith("sp-")).length,
          );
          if (widgets > 0) {
            await page.waitForFunction(() =>
              [...document.querySelectorAll("[data-presenter-current]:not([data-presenter-hidden])")]
                .flatMap((e) => [e, ...e.querySelectorAll("*")])
                .every((e) => !e.localName.startsWith("sp-") || customElements.get(e.localName) !== undefined),
            );
            await page.waitForTimeout(400); // started, grown, and fitted again (250 ms after the last change)
          }
          let state = await fits();
          for (let wait = 0; wait < 20 && !state.ok; wait++) {
            await page.waitForTimeout(100);
            state = await fits();
          }
          parts++;
          if (!state.ok)
            problems.push(
              `${slug} ${state.counter}: content to ${Math.round(state.lowest)} px, bar at ${Math.round(state.barTop)} px`,
            );
          if (state.last) break;
          await page.keyboard.press("ArrowRight");
        }
      }
      expect(problems).toEqual([]);
      expect(parts).toBeGreaterThan(60);
      expect(watch.pageErrors).toEqual([]);
      await done();
    },
    240_000,
  );

  it("on a phone the bar is a strip along the bottom that leaves the slide's end visible", async () => {
    const { contexts, close: done } = await launchContexts(1);
    const page = await contexts[0]!.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/lessons/frames/#present=3`);
    await page.locator("html[data-presenter]").waitFor({ state: "attached" });
    const bar = await page.locator(".presenter-bar").boundingBox();
    expect(bar!.width).toBe(390);
    expect(bar!.height).toBeLessThan(120);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // Scrolled to the end, the slide's last element ends above the bar.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const lowest = await page.evaluate(() =>
      Math.max(
        ...[...document.querySelectorAll("[data-presenter-current]:not([data-presenter-hidden])")].map(
          (e) => e.getBoundingClientRect().bottom,
        ),
      ),
    );
    expect(lowest).toBeLessThanOrEqual(bar!.y + 1);
    await done();
  });
});

describe.each(["light", "dark"] as const)("accessibility of the classroom pages in the %s theme", (scheme) => {
  it("the join page has no axe violations, before and inside a room", async () => {
    const { contexts, close: done } = await launchContexts(1);
    const page = await contexts[0]!.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}/join/`);
    await ready(page);
    expect(await axeViolations(page), "before").toEqual([]);
    await room(page).locator("[data-part=create]").click();
    await page.locator('sp-classroom[data-state="in-room"]').waitFor();
    await room(page).locator("[data-part=message]").fill("testing the room");
    await room(page).locator("[data-part=send]").click();
    await page.locator("sp-classroom [data-part=message-text]", { hasText: "testing the room" }).waitFor();
    expect(await axeViolations(page), "in a room").toEqual([]);
    await room(page).locator("[data-part=projector]").click();
    expect(await axeViolations(page), "projector view").toEqual([]);
    await done();
  });

  it("lesson 10 has no axe violations", async () => {
    const { contexts, close: done } = await launchContexts(1);
    const page = await contexts[0]!.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${baseUrl}/lessons/classroom/`);
    await ready(page);
    expect(await axeViolations(page)).toEqual([]);
    await done();
  });
});
