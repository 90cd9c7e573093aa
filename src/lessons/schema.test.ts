import { describe, expect, it } from "vitest";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { lessonSchema, referenceUrl } from "./schema.ts";
import { lessonHref, lessonSlug, neighbours, sortLessons } from "./order.ts";

const valid = {
  title: "Start here",
  summary: "A summary that is long enough to say something.",
  order: 0,
  objectives: ["Open a WebSocket to the lab", "Read the close code back"],
  minutes: 15,
  references: [{ doc: "RFC 6455", section: "§7.4.1", title: "Defined Status Codes" }],
};

describe("lesson schema", () => {
  it("accepts a complete lesson", () => {
    expect(lessonSchema.parse(valid)).toEqual(valid);
  });

  it("requires objectives, references and a whole number of minutes", () => {
    expect(lessonSchema.safeParse({ ...valid, objectives: [] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...valid, references: [] }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...valid, minutes: 2.5 }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...valid, order: -1 }).success).toBe(false);
    const { summary: _omitted, ...withoutSummary } = valid;
    expect(lessonSchema.safeParse(withoutSummary).success).toBe(false);
  });

  it("checks the form of references and refuses unknown fields", () => {
    expect(lessonSchema.safeParse({ ...valid, references: [{ doc: "rfc6455", title: "x y z" }] }).success).toBe(false);
    expect(
      lessonSchema.safeParse({ ...valid, references: [{ doc: "RFC 6455", section: "7.4", title: "Codes" }] }).success,
    ).toBe(false);
    expect(
      lessonSchema.safeParse({ ...valid, references: [{ doc: "WHATWG WebSockets Standard", title: "The interface" }] })
        .success,
    ).toBe(true);
    expect(lessonSchema.safeParse({ ...valid, author: "someone" }).success).toBe(false);
  });

  it("links RFC references to their section", () => {
    expect(referenceUrl({ doc: "RFC 6455", section: "§7.4.1", title: "x" })).toBe(
      "https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1",
    );
    expect(referenceUrl({ doc: "RFC 9110", title: "x" })).toBe("https://www.rfc-editor.org/rfc/rfc9110");
    expect(referenceUrl({ doc: "WHATWG WebSockets Standard", title: "x" })).toBeNull();
  });

  it("holds for every lesson in content/lessons", async () => {
    const dir = join(import.meta.dirname, "..", "..", "content", "lessons");
    const files = (await readdir(dir)).filter((f) => f.endsWith(".mdx"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(join(dir, file), "utf8");
      expect(text.startsWith("---\n"), file).toBe(true);
      // Front matter is checked by Astro at build time; here we check file name and order agree.
      const order = /\norder:\s*(\d+)\n/.exec(text)?.[1];
      expect(Number(order), file).toBe(Number(file.slice(0, 2)));
      expect(() => lessonSlug(file.replace(/\.mdx$/, ""))).not.toThrow();
    }
  });

  it("covers the curriculum's lessons 0 to 10, none missing, and every link between lessons finds its lesson", async () => {
    const dir = join(import.meta.dirname, "..", "..", "content", "lessons");
    const files = (await readdir(dir)).filter((f) => f.endsWith(".mdx")).sort();
    expect(files.map((f) => Number(f.slice(0, 2)))).toEqual([...Array(11).keys()]);
    const slugs = new Set(files.map((f) => lessonSlug(f.replace(/\.mdx$/, ""))));
    for (const file of files) {
      const text = await readFile(join(dir, file), "utf8");
      // Markdown links "](/lessons/slug/…" and quiz links href: "/lessons/slug/…".
      for (const match of text.matchAll(/(?:\]\(|href: ")\/lessons\/([a-z0-9-]+)\//g))
        expect(slugs.has(match[1]!), `${file} links to /lessons/${match[1]}/`).toBe(true);
    }
  });
});

describe("lesson order", () => {
  const entry = (id: string, order: number) => ({ id, data: { order, title: id } });

  it("sorts by order and builds URLs without the number", () => {
    const sorted = sortLessons([entry("02-tcp", 2), entry("00-start-here", 0), entry("01-http", 1)]);
    expect(sorted.map((e) => e.id)).toEqual(["00-start-here", "01-http", "02-tcp"]);
    expect(lessonHref("00-start-here")).toBe("/lessons/start-here/");
  });

  it("refuses a file name that disagrees with its order, duplicates and bad names", () => {
    expect(() => sortLessons([entry("03-tcp", 2)])).toThrow(/order 2 but its file name says 3/);
    expect(() => sortLessons([entry("01-a", 1), entry("01-b", 1)])).toThrow(/both have order 1/);
    expect(() => sortLessons([entry("intro", 0)])).toThrow(/NN-slug\.mdx/);
  });

  it("finds previous and next lessons, with none at the ends", () => {
    const sorted = sortLessons([entry("00-a", 0), entry("01-b", 1), entry("02-c", 2)]);
    expect(neighbours(sorted, "00-a")).toMatchObject({ previous: null, next: { href: "/lessons/b/" } });
    expect(neighbours(sorted, "01-b")).toMatchObject({
      previous: { href: "/lessons/a/" },
      next: { href: "/lessons/c/" },
    });
    expect(neighbours(sorted, "02-c")).toMatchObject({ previous: { href: "/lessons/b/" }, next: null });
  });
});
