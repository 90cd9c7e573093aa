// Facts a strict review found wrong in the lessons, kept from coming back: each check reads the
// lesson text and fails if the old mistake returns or the correction goes missing. (Facts a
// widget shows as numbers or tables are tested against src/protocol where they are computed.)
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const lesson = (file: string): Promise<string> => readFile(join(root, "content", "lessons", file), "utf8");
/** Sentences, roughly: enough to keep two claims from sitting in the same one. Line breaks inside a paragraph are joined. */
const sentences = (text: string): string[] => text.replace(/\s*\n\s*/g, " ").split(/(?<=[.!?])\s+|",\s*|\}\s*,/);

describe("facts the lessons must get right", () => {
  it("cites RFC 9293 §2.2, not §3.1 (the header format), for TCP's byte stream", async () => {
    for (const file of ["02-tcp-underneath.mdx", "05-frames.mdx"]) {
      for (const s of sentences(await lesson(file))) {
        if (/byte stream|message boundaries/i.test(s)) expect(s, file).not.toMatch(/9293 §3\.1/);
      }
    }
    expect(await lesson("05-frames.mdx")).toMatch(/RFC 9293 §2\.2/);
  });

  it("never says short polling keeps a request waiting: it is answered at once", async () => {
    const push = await lesson("03-server-push.mdx");
    // The quiz once said "Polling, long polling and SSE all work by keeping a request waiting".
    expect(push).not.toMatch(/(short )?polling,? (long polling )?and SSE all work by keeping a request waiting/i);
    expect(push).not.toMatch(/short polling (keeps|is keeping) a request waiting/i);
    expect(push).toMatch(/Short polling asks again and again; long polling and SSE keep a request open/);
  });

  it("does not promise a 1006 when a cable is pulled, nor that a WebSocket must use the page's port", async () => {
    const start = await lesson("00-start-here.mdx");
    for (const s of sentences(start)) {
      if (/cable/i.test(s)) expect(s).not.toMatch(/1006/);
    }
    expect(start).not.toMatch(/a WebSocket uses the same host and port as the page/);
    expect(start).toMatch(/may open a WebSocket to any\s+server/);
  });

  it("explains 1005 by the close frame the page received, the lab's reply", async () => {
    const start = await lesson("00-start-here.mdx");
    expect(start).toMatch(/lab's answering close frame carried none/);
    expect(start).toMatch(/close frame it \*received\*/);
  });

  it("acknowledges the next byte expected, and names fast retransmit beside the timeout", async () => {
    const tcp = await lesson("02-tcp-underneath.mdx");
    expect(tcp).not.toMatch(/acknowledging the last byte/);
    expect(tcp).toMatch(/\*\*next byte it expects\*\*/);
    expect(tcp).toMatch(/\*\*Fast retransmit\*\*[\s\S]*RFC 5681 §3\.2/);
  });

  it("states the length's top bit rule and UTF-8 across fragments in lesson 5, with their sections", async () => {
    const frames = await lesson("05-frames.mdx");
    expect(frames).toMatch(/64-bit\s+form the most significant bit must be 0 \(§5\.2\)/);
    expect(frames).toMatch(/across its fragments[\s\S]{0,200}fails the\s+connection \(§8\.1\), with close code `1007`/);
  });

  it("calls Origin the page's origin, not the page, and mentions pipelining where HTTP/1.1 answers one at a time", async () => {
    expect(await lesson("04-upgrade-handshake.mdx")).toMatch(
      /\*\*`Origin`\*\*: the origin \(scheme, host and port\) of the page/,
    );
    expect(await lesson("01-http-stateless.mdx")).toMatch(/\*pipelining\*, RFC 9112 §9\.3\.2/);
  });

  it("uses no 8080 as an example port in the README or the teachers' guide: it is the myth the lessons correct", async () => {
    for (const file of ["README.md", join("docs", "teachers-guide.md")])
      expect(await readFile(join(root, file), "utf8"), file).not.toMatch(/\b8080\b/);
  });
});

describe("the house explains itself", () => {
  it("the README and ARCHITECTURE.md point only inside the repository, at paths that exist", async () => {
    for (const file of ["README.md", "ARCHITECTURE.md"]) {
      const text = await readFile(join(root, file), "utf8");
      expect(text, file).not.toMatch(/\.\.\/shared|\]\(\.\.\//);
      // Every path in backticks under the repository's own folders, placeholders aside.
      const paths = [...text.matchAll(/`((?:src|content|tests|bench|docs)\/[^`\s<>*]+?)`/g)]
        .map((m) => m[1]!.replace(/[.,:;]+$/, ""))
        .filter((p) => !p.includes("NN-"));
      expect(paths.length, file).toBeGreaterThan(5);
      for (const path of paths) expect(existsSync(join(root, path)), `${file} names ${path}`).toBe(true);
    }
  });
});
