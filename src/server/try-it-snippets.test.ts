// Every try-it snippet of every lesson, run exactly as written against the real production
// server (createSiteServer on 127.0.0.1:0), the way a reader runs it: shell blocks with `bash -c`
// after the `export LAB=…` line that <LabAddress /> shows (with -e and pipefail, so no command in
// a block may fail unnoticed), and saved Node scripts under the name the lesson gives, with the
// command it gives. Each run is held to what the lesson says it shows: the expectations come
// from the lesson's own words and sample output, or are computed with src/protocol. The blocks
// come from the extractor (src/lessons/try-it-snippets.ts), so a new block without a check here
// fails; DevTools console snippets run in Chromium instead (tests/e2e/try-it.test.ts).
//
// Tools: bash, curl, node, openssl, ss (iproute2), nc (netcat-openbsd), sudo and tcpdump, and
// script (bsdutils), which gives the snippets that run until Ctrl-C (and wscat, which reads
// what is typed at a terminal) a terminal of their own. wscat is this project's devDependency, so
// its `npx wscat` runs the installed copy from the repository's folder, as for a reader who runs
// it beside `npm start`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { classifyBlocks, labExportLine, tryItBlocks, type ClassifiedBlock } from "../lessons/try-it-snippets.ts";
import { encodeClosePayload } from "../protocol/close-payload.ts";
import { encodeFrame } from "../protocol/frame-encode.ts";
import { computeAccept } from "../protocol/handshake.ts";
import { toHex } from "../protocol/hex.ts";
import { HTTP2_PREFACE } from "../protocol/http2-frames.ts";
import { frameExample, handshakeExample } from "../protocol/rfc-examples.ts";
import { createRoomAsTeacher, takeOpenedClients } from "./room/room-test-helpers.ts";
import { defaultLabSettings, type LabSettings } from "./settings.ts";
import { startSite, upgradeRequest, type Running } from "./test-helpers.ts";

const root = join(import.meta.dirname, "..", "..");
const lessonsDir = join(root, "content", "lessons");
const lessonFiles = (await readdir(lessonsDir)).filter((f) => f.endsWith(".mdx")).sort();
const blocks: ClassifiedBlock[] = [];
for (const file of lessonFiles)
  blocks.push(
    ...classifyBlocks(tryItBlocks(file.replace(/\.mdx$/, ""), await readFile(join(lessonsDir, file), "utf8"))),
  );
const labAddressSource = await readFile(join(root, "src", "widgets", "lab-address", "LabAddress.astro"), "utf8");

/** The lab as a reader runs it, with its default settings. */
let lab: Running;
/**
 * A lab whose waits are short, for the snippets that wait for one (the heartbeat's ping and
 * drop, the handshake timeout), and whose races start late, so a poll sent right after creating
 * one surely comes before the first event, whatever the machine's load.
 */
let tunedLab: Running;
const tunedSettings: Partial<LabSettings> = { heartbeatIntervalMs: 1000, handshakeTimeoutMs: 1000, raceLeadMs: 30_000 };
const scratch: string[] = [];

beforeAll(async () => {
  lab = await startSite();
  tunedLab = await startSite(tunedSettings);
});

afterAll(async () => {
  for (const client of takeOpenedClients()) client.ws.terminate();
  await lab?.stop();
  await tunedLab?.stop();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

// ---- Running snippets -------------------------------------------------------------------------

interface Ran {
  /** Exit status, or null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The line <LabAddress /> tells a reader on this lab's pages to paste first. */
const exportLine = (running: Running): string => labExportLine(labAddressSource, `127.0.0.1:${running.port}`);

/** A clean environment: the Node running this test first, then the system's tools. */
function snippetEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // HOME is the snippet's own folder, so no ~/.curlrc or other personal setting takes part.
  return {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: home,
    LANG: "C.UTF-8",
    SHELL: "/bin/bash",
    ...extra,
  };
}

/**
 * A hang must not hold the suite: after this long the snippet is killed and its check fails
 * with what it printed. Never an assertion about time; every check waits for what it expects.
 */
const HANG_GUARD_MS = 30_000;

function collect(child: ChildProcess, what: string): Promise<Ran> {
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      // The snippet's whole process group (spawned detached): nc, node or tcpdump under bash too.
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      reject(
        new Error(
          `${what} was still running after ${HANG_GUARD_MS} ms and was killed.\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, HANG_GUARD_MS);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs shell text as a reader pastes it, after the export line, in `cwd`. */
async function runShell(code: string, options: { running: Running; cwd: string; stdin?: string }): Promise<Ran> {
  const child = spawn("bash", ["-e", "-o", "pipefail", "-c", `${exportLine(options.running)}\n${code}`], {
    cwd: options.cwd,
    env: snippetEnv(options.cwd),
    detached: true,
  });
  const ran = collect(child, code.split("\n")[0]!);
  child.stdin!.end(options.stdin ?? "");
  return ran;
}

/** Runs a saved script with the command its lesson gives, in a folder where it is saved. */
async function runScript(block: ClassifiedBlock, running: Running, options: { cwd?: string } = {}): Promise<Ran> {
  if (block.kind !== "node-script" || block.run === null)
    throw new Error(`${block.id} is not a script with a run command`);
  return runShell(block.run, { running, cwd: options.cwd ?? (await folderFor(block.lesson)) });
}

interface Terminal {
  output(): string;
  waitFor(test: (output: string) => boolean, what: string): Promise<void>;
  /** What Ctrl-C does in a terminal: SIGINT for the foreground job, through the terminal. */
  ctrlC(): void;
  /** Types a line and presses Enter. */
  type(line: string): void;
  ended: Promise<Ran>;
  /** After a failed check: Ctrl-C if it still runs, and wait for it to end. */
  stop(): Promise<void>;
}

/** Runs shell text in a terminal of its own (script(1)), for snippets that run until Ctrl-C. */
function openTerminal(code: string, options: { running: Running; cwd: string; home?: string }): Terminal {
  // util-linux's script(1), from Debian's bsdutils (an essential package), named by its path: a system tool, not a package's binary.
  const child = spawn("/usr/bin/script", ["-q", "-e", "-c", 'bash -e -o pipefail -c "$SNIPPET"', "/dev/null"], {
    cwd: options.cwd,
    env: snippetEnv(options.home ?? options.cwd, { SNIPPET: `${exportLine(options.running)}\n${code}` }),
    detached: true,
  });
  const ended = collect(child, code.split("\n")[0]!);
  const terminalText: string[] = [];
  child.stdout!.on("data", (text: string) => terminalText.push(text));
  // A terminal writes \r\n and colours and moves the cursor (wscat's prompt); the checks read lines of text.
  const output = (): string =>
    terminalText
      .join("")
      // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is removed
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
      .replace(/\r+\n/g, "\n");
  let over = false;
  void ended.then(
    () => (over = true),
    () => (over = true),
  );
  return {
    output,
    ended,
    ctrlC: () => child.stdin!.write("\x03"),
    type: (line) => child.stdin!.write(`${line}\r`),
    async stop() {
      if (!over) child.stdin!.write("\x03");
      await ended.catch(() => undefined);
    },
    async waitFor(test, what) {
      const givingUpAt = Date.now() + HANG_GUARD_MS;
      while (!test(output())) {
        if (over) throw new Error(`the snippet ended before ${what}:\n${output()}`);
        if (Date.now() > givingUpAt)
          throw new Error(`still no sign of ${what} after ${HANG_GUARD_MS} ms:\n${output()}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    },
  };
}

/** A fresh folder holding every script the lesson tells the reader to save, as a reader's would. */
async function folderFor(lesson: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `sp-try-it-${lesson}-`));
  scratch.push(dir);
  for (const block of blocks)
    if (block.lesson === lesson && block.kind === "node-script")
      await writeFile(join(dir, block.file), `${block.code}\n`);
  return dir;
}

// ---- What the lessons say ---------------------------------------------------------------------

const byId = (id: string): ClassifiedBlock => {
  const block = blocks.find((b) => b.id === id);
  if (!block) throw new Error(`no block ${id}`);
  return block;
};

/** The lesson's words `pattern` matches in `text`, or a failure saying the lesson no longer says them. */
function said(text: string, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`the lesson no longer says what the check reads (${pattern}) in:\n${text}`);
  return match;
}

/** From the code a lesson shows, the part `pattern` captures (a key, a message, a count). */
function fromCode(block: ClassifiedBlock, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(block.code);
  if (!match) throw new Error(`${block.id} no longer has what the check reads (${pattern})`);
  return match;
}

const usedSamples = new Set<string>();
/** The sample output the lesson prints after `block` ("It prints something like this"). */
function sampleOf(block: ClassifiedBlock): string[] {
  const sample = blocks.find((b) => b.kind === "output" && b.of === block.id);
  if (!sample) throw new Error(`the lesson shows no output for ${block.id}`);
  usedSamples.add(sample.id);
  return sample.code.split("\n");
}

/** The block of lines a reader types into the command of `block`. */
function typedInto(block: ClassifiedBlock): ClassifiedBlock {
  const typed = blocks.find((b) => b.kind === "typed-input" && b.of === block.id);
  if (!typed) throw new Error(`the lesson shows no lines to type into ${block.id}`);
  usedSamples.add(typed.id);
  return typed;
}

/** The file name a saved script's lesson gives it. */
function scriptFile(block: ClassifiedBlock): string {
  if (block.kind !== "node-script") throw new Error(`${block.id} is not a saved script`);
  return block.file;
}

/** A fresh folder of the lesson's scripts in which `block`'s script is changed as the lesson suggests. */
async function folderWithChange(block: ClassifiedBlock, changed: string): Promise<string> {
  const dir = await folderFor(block.lesson);
  await writeFile(join(dir, scriptFile(block)), `${changed}\n`);
  return dir;
}

/** The lesson's words after `block`, up to the next command: past its sample output, if it has one. */
function textAfter(block: ClassifiedBlock): string {
  const own = blocks.filter((b) => b.lesson === block.lesson);
  const parts = [block.after];
  for (const next of own.slice(own.indexOf(block) + 1)) {
    if (next.kind !== "output" && next.kind !== "typed-input") break;
    parts.push(next.after);
  }
  return parts.join("\n");
}

const lines = (text: string): string[] => text.replace(/\n$/, "").split("\n");
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const frameHex = (frame: Parameters<typeof encodeFrame>[0], separator = " "): string => {
  const encoded = encodeFrame(frame);
  if (!encoded.ok) throw new Error(encoded.error);
  return toHex(encoded.bytes, separator);
};
const statusLines = (text: string): number[] => [...text.matchAll(/^HTTP\/1\.1 (\d{3}) /gm)].map((m) => Number(m[1]));
const clientPorts = (text: string): number[] => [...text.matchAll(/"clientPort":(\d+)/g)].map((m) => Number(m[1]));

/** The status each handshake's comment line in a block announces ("# a page from another site: 403"). */
const announcedStatuses = (block: ClassifiedBlock): number[] =>
  [...block.code.matchAll(/^# .*: (\d{3})\b/gm)].map((m) => Number(m[1]));

/** A WebSocket held open on the lab, as a lesson page holds one; resolves with its local port. */
async function holdConnection(running: Running): Promise<{ localPort: number; close(): void }> {
  const socket: Socket = connect(running.port, "127.0.0.1");
  await new Promise<void>((done, fail) => {
    socket.once("error", fail);
    socket.once("data", (chunk) =>
      chunk.toString("latin1").startsWith("HTTP/1.1 101 ") ? done() : fail(new Error(chunk.toString("latin1"))),
    );
    socket.write(upgradeRequest("/lab/echo", { Host: `127.0.0.1:${running.port}`, Origin: running.origin }));
  });
  return { localPort: socket.localPort!, close: () => socket.destroy() };
}

/** One plain HTTP exchange on a connection of its own, closed after the answer. */
function oneExchange(running: Running, path: string): Promise<void> {
  return new Promise((done, fail) => {
    request(
      { host: "127.0.0.1", port: running.port, path, agent: false, headers: { Connection: "close" } },
      (response) => {
        response.resume();
        response.on("end", done);
      },
    )
      .on("error", fail)
      .end();
  });
}

/** curl's opening handshake with the RFC's sample key, which --max-time stops on purpose. */
async function expectTimedOutHandshake(block: ClassifiedBlock): Promise<void> {
  const [, exitCode, words] = said(
    `${block.prose}\n${block.after}`,
    /`curl: \((\d+)\) ([^`]+)`: that timeout is on purpose/,
  );
  const key = fromCode(block, /Sec-WebSocket-Key: ([A-Za-z0-9+/=]+)/)[1]!;
  expect(key).toBe(handshakeExample.key);
  const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
  expect(ran.code).toBe(Number(exitCode));
  expect(ran.stderr).toContain(`curl: (${exitCode}) ${words}`);
  expect(ran.stdout).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
  expect(ran.stdout).toContain(`Sec-WebSocket-Accept: ${await computeAccept(key)}\r\n`);
}

/**
 * A run against the lesson's sample output, line by line. `same` says which of the sample's lines
 * the lesson says may differ, and how they must still agree (the masking key's bytes, sizes).
 */
function expectLikeSample(
  actual: string[],
  sample: string[],
  same: (actualLine: string, sampleLine: string) => boolean = (a, s) => a === s,
): void {
  expect(actual.length, `run:\n${actual.join("\n")}\nsample:\n${sample.join("\n")}`).toBe(sample.length);
  sample.forEach((line, i) =>
    expect(same(actual[i]!, line), `line ${i + 1}: "${actual[i]}" for the sample's "${line}"`).toBe(true),
  );
}

/** A client frame the lesson prints as "→ name bytes": masked, so only its first two bytes and its length are the sample's. */
const sameMaskedFrame = (actual: string, sample: string): boolean => {
  const a = actual.split(/\s+/);
  const s = sample.split(/\s+/);
  return a.length === s.length && a.slice(0, 4).join(" ") === s.slice(0, 4).join(" ");
};

// ---- The checks, one per runnable block -------------------------------------------------------

type Check = (block: ClassifiedBlock) => Promise<void>;

const checks: Record<string, Check> = {
  "00-start-here#0": async (block) => {
    await expectTimedOutHandshake(block);
    // "Leave out the Origin line and the lab answers 403 Forbidden instead."
    const [, refusal] = said(
      block.after,
      /Leave out the `Origin` line and the lab answers `(\d{3} [A-Za-z ]+)` instead/,
    );
    const withoutOrigin = block.code
      .split("\n")
      .filter((line) => !line.includes("Origin:"))
      .join("\n");
    const ran = await runShell(withoutOrigin, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    expect(ran.stdout.startsWith(`HTTP/1.1 ${refusal}\r\n`)).toBe(true);
  },

  "00-start-here#1": async (block) => {
    // "type lines and see each one come back after a <; Ctrl-C ends it"
    said(block.prose, /type lines and\s+see each one come back after a `<`; Ctrl-C ends it/);
    const terminal = openTerminal(block.code, { running: lab, cwd: root, home: await folderFor(block.lesson) });
    onTestFinished(() => terminal.stop());
    await terminal.waitFor((text) => text.includes("Connected"), "wscat's connection");
    for (const line of ["Hello from a terminal", "and a second line"]) {
      terminal.type(line);
      await terminal.waitFor((text) => text.split("\n").some((l) => l.endsWith(`< ${line}`)), `the echo of "${line}"`);
    }
    terminal.ctrlC();
    await terminal.ended;
  },

  "00-start-here#2": async (block) => {
    const sent = fromCode(block, /socket\.send\("([^"]+)"\)/)[1];
    const [, code, reason] = fromCode(block, /socket\.close\((\d+), "([^"]*)"\)/);
    const ran = await runScript(block, lab);
    expect(ran).toMatchObject({ code: 0, stdout: `echoed: ${sent}\nclosed: ${code} ${reason}\n` });
  },

  "01-http-stateless#0": async (block) => {
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    // "the second request says it is re-using the existing connection, and both answers report the same client port"
    expect(ran.stdout.match(/re-using/gi)).toHaveLength(1);
    expect(ran.stdout.match(/connected to/gi)).toHaveLength(1);
    const ports = clientPorts(ran.stdout);
    expect(ports).toHaveLength(2);
    expect(new Set(ports).size).toBe(1);
    // "The lab's answers also say Connection: keep-alive and Keep-Alive: timeout=…"
    said(block.after, /`Connection: keep-alive` and `Keep-Alive: timeout=…`/);
    expect(ran.stdout.match(/^< Connection: keep-alive\r?$/gim)).toHaveLength(2);
    expect(ran.stdout.match(/^< Keep-Alive: timeout=\d+\r?$/gim)).toHaveLength(2);
  },

  "01-http-stateless#1": async (block) => {
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    // "Each time, curl has to connect again, and the client ports differ"
    said(block.prose, /curl has to connect again, and the client\s+ports differ/);
    expect(ran.stdout).not.toMatch(/re-using/i);
    expect(ran.stdout.match(/connected to/gi)).toHaveLength(4);
    expect(new Set(clientPorts(ran.stdout)).size).toBe(4);
    expect(ran.stdout.match(/^< Connection: close\r?$/gim)).toHaveLength(4);
  },

  "01-http-stateless#2": async (block) => {
    const requests = Number(fromCode(block, /i < (\d+)/)[1]);
    const ran = await runScript(block, lab);
    expect(ran.code).toBe(0);
    const runs = ran.stdout.split(/^keepAlive: /m).filter(Boolean);
    const reports = runs.map((run) => {
      const [flag, ...rows] = lines(run);
      return {
        flag,
        rows: rows.map((row) => said(row, /^ {2}client port (\d+), request #(\d+) on connection (\S+)$/)),
      };
    });
    expect(reports.map((r) => [r.flag, r.rows.length])).toEqual([
      ["true", requests],
      ["false", requests],
    ]);
    // "With keepAlive: true the three requests share one port. With false, … every request needs a connection of its own"
    const [kept, closed] = reports;
    expect(new Set(kept!.rows.map((r) => r[1])).size).toBe(1);
    expect(kept!.rows.map((r) => r[2])).toEqual(Array.from({ length: requests }, (_, i) => String(i + 1)));
    expect(new Set(closed!.rows.map((r) => r[1])).size).toBe(requests);
    expect(closed!.rows.every((r) => r[2] === "1")).toBe(true);
  },

  "02-tcp-underneath#0": async (block) => {
    // "while a lesson page is open": a WebSocket held open on the lab, as a page holds one.
    const page = await holdConnection(lab);
    try {
      const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
      expect(ran.code).toBe(0);
      // Both ends of the connection, each with its 4-tuple.
      expect(ran.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${lab.port}\\s+127\\.0\\.0\\.1:${page.localPort}\\b`));
      expect(ran.stdout).toMatch(new RegExp(`127\\.0\\.0\\.1:${page.localPort}\\s+127\\.0\\.0\\.1:${lab.port}\\b`));
    } finally {
      page.close();
    }
  },

  "02-tcp-underneath#1": async (block) => {
    // "It prints each segment as it passes until you stop it with Ctrl-C"
    said(block.prose, /until you stop it with Ctrl-C/);
    const terminal = openTerminal(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    onTestFinished(() => terminal.stop());
    await terminal.waitFor((out) => /listening on lo\b/.test(out), "tcpdump listens");
    await oneExchange(lab, "/lab/http/whoami");
    // "SYN, ACK and FIN flags included": both FINs mean the whole connection has been printed.
    const fin = (from: string, to: string): RegExp => new RegExp(`IP ${from} > ${to}: Flags \\[F\\.\\]`);
    const labEnd = `127\\.0\\.0\\.1\\.${lab.port}`;
    const peer = "127\\.0\\.0\\.1\\.\\d+";
    await terminal.waitFor((out) => fin(peer, labEnd).test(out) && fin(labEnd, peer).test(out), "both FIN segments");
    terminal.ctrlC();
    const ran = await terminal.ended;
    expect(ran.code).toBe(0);
    const out = terminal.output();
    expect(out).toMatch(new RegExp(`IP ${peer} > ${labEnd}: Flags \\[S\\]`));
    expect(out).toMatch(new RegExp(`IP ${labEnd} > ${peer}: Flags \\[S\\.\\]`));
    expect(out).toMatch(new RegExp(`IP ${peer} > ${labEnd}: Flags \\[\\.\\], ack 1,`));
    expect(out).toMatch(/\d+ packets captured/);
  },

  "02-tcp-underneath#2": async (block) => {
    const writes = [...block.code.matchAll(/client\.(?:write|end)\("([^"]*)"\)/g)].map((m) => m[1]!);
    expect(writes.length).toBeGreaterThan(1);
    const ran = await runScript(block, lab);
    expect(ran.code).toBe(0);
    const reads = lines(ran.stdout).map((line) => {
      const [, length, text] = said(line, /^server read (\d+) bytes: (".*")$/);
      const read = JSON.parse(text!) as string;
      expect(read.length).toBe(Number(length));
      return read;
    });
    // The reads hold the writes' bytes, in order, wherever their boundaries fell.
    expect(reads.join("")).toBe(writes.join(""));
  },

  "03-server-push#0": async (block) => {
    const events = Number(fromCode(block, /events=(\d+)/)[1]);
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    const ids = [...ran.stdout.matchAll(/^id: (\d+)\ndata: (\{.*\})\n\n/gm)].map((m) => {
      expect(JSON.parse(m[2]!)).toMatchObject({ id: Number(m[1]) });
      return Number(m[1]);
    });
    // The stream ends after the race's last event, so curl returns.
    expect(ids).toEqual(Array.from({ length: events }, (_, i) => i + 1));
  },

  "03-server-push#1": async (block) => {
    // "the first one is still a second away, so the answer is empty": a second is the lab's default lead.
    said(block.prose, /the first one is still\s+a second away, so the answer is empty/);
    expect(defaultLabSettings.raceLeadMs).toBe(1000);
    const ran = await runShell(block.code, { running: tunedLab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    const [head, body] = ran.stdout.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toMatch(/\r\nContent-Length: \d+/i);
    expect(JSON.parse(body!)).toEqual({ events: [] });
  },

  "03-server-push#2": async (block) => {
    const events = Number(fromCode(block, /events=(\d+)/)[1]);
    const ran = await runScript(block, lab);
    expect(ran.code).toBe(0);
    const ids = lines(ran.stdout).map((line) => Number(said(line, /^event (\d+), -?\d+ ms after it happened$/)[1]));
    expect(ids).toEqual(Array.from({ length: events }, (_, i) => i + 1));
  },

  "04-upgrade-handshake#0": expectTimedOutHandshake,

  "04-upgrade-handshake#1": async (block) => {
    const announced = announcedStatuses(block);
    expect(announced).toEqual([403, 426, 400]);
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    expect(statusLines(ran.stdout)).toEqual(announced);
    // "an old protocol version: 426 and the versions the lab speaks"
    const upgradeRequired = ran.stdout.split(/(?=^HTTP\/1\.1 )/m)[1]!;
    expect(upgradeRequired).toMatch(/\r\nSec-WebSocket-Version: 13\r\n/);
  },

  "04-upgrade-handshake#2": async (block) => {
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    expect(ran.stdout).toBe(`${await computeAccept(handshakeExample.key)}\n`);
    expect(ran.stdout.trim()).toBe(handshakeExample.accept);
  },

  "04-upgrade-handshake#3": async (block) => {
    const ran = await runScript(block, lab);
    expect(ran).toMatchObject({ code: 0, stdout: `${handshakeExample.accept}\n` });
  },

  "05-frames#0": async (block) => {
    const lastFrame = async (code: string): Promise<string> => {
      const ran = await runScript(block, lab, { cwd: await folderWithChange(block, code) });
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      return said(ran.stdout, /^frame from the lab: ([0-9a-f ]+)$/m)[1]!;
    };
    // "It should print 81 05 48 65 6c 6c 6f: … byte for byte the first example of RFC 6455 §5.7"
    const [, printed] = said(
      block.after,
      /It should print `([0-9a-f ]+)`: the lab's unmasked echo, byte for byte the first\s+example of RFC 6455 §5\.7/,
    );
    expect(printed).toBe(frameExample("unmasked-text")!.hex);
    expect(await lastFrame(block.code)).toBe(printed);
    // "Change 0x81 to 0x82 to send binary": the echo comes back binary.
    said(block.after, /Change `0x81` to `0x82` to send binary/);
    expect(await lastFrame(block.code.replaceAll("0x81", "0x82"))).toBe(
      frameHex({ opcode: 0x2, payload: utf8("Hello") }),
    );
    // "drop the 0x80 | to send an unmasked frame and watch the lab close the connection with 1002"
    const [, closeCode] = said(
      block.after,
      /drop the `0x80 \|` to\s+send an unmasked frame and watch the lab close the connection with `(\d{4})`/,
    );
    expect(block.code.split("0x80 | ")).toHaveLength(2);
    expect(await lastFrame(block.code.replace("0x80 | ", ""))).toBe(
      frameHex({ opcode: 0x8, payload: encodeClosePayload(Number(closeCode)) }),
    );
  },

  "06-ping-pong-close#0": async (block) => {
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran).toMatchObject({
      code: 0,
      stdout: `"heartbeatIntervalMs":${lab.site.lab.settings.heartbeatIntervalMs}\n`,
    });
  },

  "06-ping-pong-close#1": async (block) => {
    const [, code, reason] = fromCode(block, /Buffer\.from\(\[(\d+) >> 8, \1 & 0xff\]\), Buffer\.from\("([^"]*)"\)/);
    const sample = sampleOf(block);
    // The lab's echo of the close frame, as the sample shows it, is the frame src/protocol builds.
    expect(sample).toContain(`← close ${frameHex({ opcode: 0x8, payload: encodeClosePayload(Number(code), reason) })}`);
    const ran = await runScript(block, lab);
    expect(ran.code).toBe(0);
    expectLikeSample(lines(ran.stdout), sample, (a, s) => (s.startsWith("→") ? sameMaskedFrame(a, s) : a === s));
    // "change both 4000s to 1005 and run it again: the lab answers with code 1002"
    const [, from, to] = said(textAfter(block), /change both `(\d+)`s to `(\d+)`/);
    const [, answer] = said(textAfter(block), /the lab answers with code (\d{4})/);
    expect(block.code.split(from!)).toHaveLength(3);
    const changed = await runScript(block, lab, {
      cwd: await folderWithChange(block, block.code.replaceAll(from!, to!)),
    });
    expect(changed.code).toBe(0);
    expect(lines(changed.stdout)).toContain(`  opcode 0x8, code ${answer}, reason ""`);
  },

  "06-ping-pong-close#3": async (block) => {
    const [, text] = fromCode(block, /clientFrame\(0x9, Buffer\.from\("([^"]*)"\)\)/);
    const sample = sampleOf(block);
    // The pong carries the ping's application data back, unmasked (RFC 6455 §5.5.3).
    expect(sample.some((line) => line.startsWith(`← pong ${frameHex({ opcode: 0xa, payload: utf8(text!) })} `))).toBe(
      true,
    );
    const ran = await runScript(block, lab);
    expect(ran.code).toBe(0);
    expectLikeSample(lines(ran.stdout), sample, (a, s) => (s.startsWith("→") ? sameMaskedFrame(a, s) : a === s));
  },

  "06-ping-pong-close#5": async (block) => {
    const sample = sampleOf(block);
    const time = /^(\d+\.\d) s /;
    const seconds = (line: string): number => Number(said(line, time)[1]);
    // The sample is with the lab's default interval: the ping one interval after the handshake,
    // the drop one more interval later (each visit may come a little late, never early).
    const interval = defaultLabSettings.heartbeatIntervalMs / 1000;
    expect(Math.floor(seconds(sample[1]!))).toBe(interval);
    expect(Math.floor(seconds(sample[2]!))).toBe(2 * interval);
    // Against a lab that pings every second, so the wait is short.
    const ran = await runScript(block, tunedLab);
    expect(ran.code).toBe(0);
    const run = lines(ran.stdout);
    expectLikeSample(run, sample, (a, s) => a.replace(time, "") === s.replace(time, ""));
    const tunedInterval = tunedLab.site.lab.settings.heartbeatIntervalMs / 1000;
    expect(seconds(run[1]!)).toBeGreaterThanOrEqual(tunedInterval);
    expect(seconds(run[2]!)).toBeGreaterThanOrEqual(2 * tunedInterval);
  },

  "07-ws-and-wss#0": async (block) => {
    // Saved as twin.mjs and run by the next block (`… | node twin.mjs`), whose check runs it.
    expect(block.kind === "node-script" && block.run === null).toBe(true);
    expect(byId(`${block.lesson}#1`).code).toMatch(/\| node twin\.mjs$/);
  },

  "07-ws-and-wss#1": async (block) => {
    const sample = sampleOf(block);
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    // "the sizes of the two hellos depend on the Node version running the lab, the masking key
    // changes every run": record lengths and the frames' key and masked bytes may differ.
    const record =
      /^( {2}[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}) [0-9a-f]{2} [0-9a-f]{2}( {2}\w+, version 0x[0-9a-f]{4}, length )\d+$/;
    expectLikeSample(lines(ran.stdout), sample, (a, s) => {
      if (record.test(s)) return a.replace(record, "$1$2") === s.replace(record, "$1$2");
      if (/^wss?:\/\/ +frame:/.test(s))
        return a.replace(/(81 85)( [0-9a-f]{2})+/, "$1") === s.replace(/(81 85)( [0-9a-f]{2})+/, "$1");
      return a === s;
    });
  },

  "07-ws-and-wss#3": async (block) => {
    const dir = await folderFor(block.lesson);
    const ran = await runShell(block.code, { running: lab, cwd: dir });
    expect(ran.code).toBe(0);
    for (const file of ["key.pem", "cert.pem"]) expect((await stat(join(dir, file))).size).toBeGreaterThan(0);
  },

  "07-ws-and-wss#4": async (block) => {
    // "In the same directory": the certificate from the block before, then the script.
    const dir = await folderFor(block.lesson);
    const certificate = byId(`${block.lesson}#3`);
    expect(certificate.code).toMatch(/^openssl req /);
    expect((await runShell(certificate.code, { running: lab, cwd: dir })).code).toBe(0);
    const sample = sampleOf(block);
    const ran = await runScript(block, lab, { cwd: dir });
    expect(ran.code).toBe(0);
    const run = lines(ran.stdout);
    // "the hellos are much smaller with older versions of Node", and the certificate is the
    // reader's own: record sizes may differ, the records each side sends may not.
    const recordKind = (line: string): string =>
      line.replace(/^(client → server|server → client) {2}[0-9a-f]{10} {2}(\w+), \d+ bytes$/, "$1 $2");
    const side = (all: string[], prefix: string): string[] =>
      all.filter((line) => line.startsWith(prefix)).map(recordKind);
    for (const prefix of ["client → server", "server → client"])
      expect(side(run, prefix)).toEqual(side(sample, prefix));
    expect(run.filter((l) => l.startsWith("keylog: ")).sort()).toEqual(
      sample.filter((l) => l.startsWith("keylog: ")).sort(),
    );
    for (const line of sample.filter((l) => /^(client read|decrypted)/.test(l))) expect(run).toContain(line);
    // "Five bytes of Hello became a record whose length field says 22 (5 + 1 + 16) … in both
    // directions", and the two 19-byte close_notify records at the end.
    const [, recordLength, helloLength] = said(
      textAfter(block),
      /Five bytes of `Hello` became a record whose length field says (\d+) \((\d+) \+ 1 \+ 16\)/,
    );
    expect(Number(recordLength)).toBe(Number(helloLength) + 1 + 16);
    for (const prefix of ["client → server", "server → client"]) {
      expect(run).toContain(
        `${prefix}  170303${Number(recordLength).toString(16).padStart(4, "0")}  application_data, ${recordLength} bytes`,
      );
      expect(run.filter((l) => l.startsWith(prefix)).at(-1)).toBe(`${prefix}  1703030013  application_data, 19 bytes`);
    }
  },

  "08-security#0": async (block) => {
    const announced = announcedStatuses(block);
    expect(announced).toEqual([403, 403, 421]);
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    // "Each answer closes the connection, so curl returns at once": no timeout, every curl exits 0.
    expect(ran.code).toBe(0);
    const answers = ran.stdout.split(/(?=^HTTP\/1\.1 )/m);
    expect(answers.map((a) => statusLines(a)[0])).toEqual(announced);
    for (const answer of answers) expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    // "another site's page, with a cookie: 403, and the lab's reason"
    const origin = fromCode(block, /Origin: (http:\/\/[^"]+)"/)[1]!;
    expect(answers[0]).toContain(`Pages from ${origin} may not use this lab`);
  },

  "08-security#2": async (block) => {
    // "nc prints nothing, and returns when the lab drops the connection; time says after how long
    // (the lab's handshakeTimeoutMs, which /lab/info reports)"
    said(
      block.prose,
      /`nc`\s+prints nothing, and returns when the lab drops the connection; `time` says after how long \(the\s+lab's `handshakeTimeoutMs`, which `\/lab\/info` reports\)/,
    );
    const info = (await (await fetch(`${tunedLab.origin}/lab/info`)).json()) as { handshakeTimeoutMs: number };
    expect(info.handshakeTimeoutMs).toBe(tunedLab.site.lab.settings.handshakeTimeoutMs);
    const ran = await runShell(block.code, { running: tunedLab, cwd: await folderFor(block.lesson) });
    expect(ran).toMatchObject({ code: 0, stdout: "" });
    const [, minutes, secs] = said(ran.stderr, /^real\s+(\d+)m([\d.]+)s$/m);
    expect(Number(minutes) * 60 + Number(secs)).toBeGreaterThanOrEqual(info.handshakeTimeoutMs / 1000);
    // "with -N (or Debian's -q), it closes its side … and the lab answers the unfinished head with 400 Bad Request"
    const [, status] = said(
      block.after,
      /with `-N` \(or Debian's `-q`\), it closes its side of the connection\s+once `printf` is done, and the lab answers the unfinished head with `(\d{3} [A-Za-z ]+)`/,
    );
    for (const option of ["-N", "-q 1"]) {
      const halfClosed = await runShell(block.code.replace("| nc ", `| nc ${option} `), {
        running: tunedLab,
        cwd: await folderFor(block.lesson),
      });
      expect(halfClosed.code, option).toBe(0);
      expect(halfClosed.stdout.startsWith(`HTTP/1.1 ${status}\r\n`), option).toBe(true);
    }
  },

  "09-beyond-http-1-1#0": async (block) => {
    const { message, maskingKeys } = JSON.parse(fromCode(block, / -d '(\{.*\})'/)[1]!) as {
      message: string;
      maskingKeys: string[];
    };
    const yourFrame = frameHex(
      { opcode: 0x1, maskingKey: Uint8Array.from(Buffer.from(maskingKeys[0]!, "hex")), payload: utf8(message) },
      "",
    );
    const ran = await runShell(block.code, { running: lab, cwd: await folderFor(block.lesson) });
    expect(ran.code).toBe(0);
    const reads = lines(ran.stdout).map((line) => {
      const [, who, hex] = said(line, /^(client →|← server) ([0-9a-f]+)$/);
      return { from: who === "client →" ? "client" : "server", hex: hex! };
    });
    // "The first line starts with 505249202a ("PRI *", the preface)."
    const [, preface] = said(block.after, /The first line starts with `([0-9a-f]+)` \("PRI \*", the preface\)/);
    expect(toHex(HTTP2_PREFACE, "").startsWith(preface!)).toBe(true);
    expect(reads[0]).toMatchObject({
      from: "client",
      hex: expect.stringMatching(new RegExp(`^${toHex(HTTP2_PREFACE, "")}`)),
    });
    // Each side's bytes cut into HTTP/2 frames: length (3 bytes), type, flags, stream, payload.
    const frames = (from: string): Array<{ type: string; stream: string; payload: string }> => {
      let bytes = reads
        .filter((r) => r.from === from)
        .map((r) => r.hex)
        .join("");
      if (from === "client") bytes = bytes.slice(HTTP2_PREFACE.length * 2);
      const out: Array<{ type: string; stream: string; payload: string }> = [];
      while (bytes.length >= 18) {
        const length = parseInt(bytes.slice(0, 6), 16);
        out.push({ type: bytes.slice(6, 8), stream: bytes.slice(10, 18), payload: bytes.slice(18, 18 + length * 2) });
        bytes = bytes.slice(18 + length * 2);
      }
      return out;
    };
    const all = [...frames("client"), ...frames("server")];
    // "a frame header whose fourth byte is 04 (SETTINGS) with 0008 and 00000001 in its payload"
    const [, settingId, settingValue] = said(
      block.after,
      /fourth\s+byte is `04` \(SETTINGS\) with `([0-9a-f]{4})` and `([0-9a-f]{8})` in its payload/,
    );
    expect(all.some((f) => f.type === "04" && f.payload.includes(`${settingId}${settingValue}`))).toBe(true);
    // "then 01 (HEADERS) on stream 00000001"
    expect(frames("client").some((f) => f.type === "01" && f.stream === "00000001")).toBe(true);
    // "DATA frames whose payload starts with 81 …, the masking key 01020304 and your masked message"
    said(
      block.after,
      /`00` \(DATA\) frames whose payload starts with `81`[\s\S]*the masking key `01020304` and your masked message/,
    );
    expect(frames("client").some((f) => f.type === "00" && f.payload.startsWith(yourFrame))).toBe(true);
    // "the same bytes as the HTTP/1.1 twin's frame in run.http1": the lab's answer, without the printing.
    const answer = await runShell(block.code.split("\n| node -e")[0]!.replace(/\s*\\$/, ""), {
      running: lab,
      cwd: await folderFor(block.lesson),
    });
    expect(answer.code).toBe(0);
    const run = JSON.parse(answer.stdout) as { http1: { chunks: Array<{ dir: string; data: string }> } };
    const http1Sent = Buffer.concat(
      run.http1.chunks.filter((c) => c.dir === "in").map((c) => Buffer.from(c.data, "base64")),
    ).toString("hex");
    expect(http1Sent).toContain(yourFrame);
  },

  "10-classroom#0": async (block) => {
    const { teacher, code } = await createRoomAsTeacher(lab);
    try {
      // "with the code your teacher … shows instead of K7QXMR"
      const typedBlock = typedInto(block);
      const [, placeholder] = said(typedBlock.prose, /instead of `([A-Z0-9]{6})`/);
      const typed = lines(typedBlock.code.replaceAll(placeholder!, code));
      const spoken = JSON.parse(typed.at(-1)!) as { type: string; text: string };
      const nickname = (JSON.parse(typed[0]!) as { nickname: string }).nickname;
      const terminal = openTerminal(block.code, { running: lab, cwd: root, home: await folderFor(block.lesson) });
      onTestFinished(() => terminal.stop());
      await terminal.waitFor((text) => text.includes("Connected"), "wscat's connection");
      // "What the lab sends comes back as lines of JSON too, each after a <: joined, then every message said in the room (yours as well)"
      const received = (): { type: string; text?: string }[] =>
        terminal
          .output()
          .split("\n")
          .flatMap((line) => /< (\{.*\})$/.exec(line)?.[1] ?? [])
          .map((json) => JSON.parse(json) as { type: string; text?: string });
      terminal.type(typed[0]!);
      await terminal.waitFor(() => received().some((m) => m.type === "joined"), "joined");
      for (const line of typed.slice(1)) terminal.type(line);
      await terminal.waitFor(
        () => received().some((m) => m.type === "message" && m.text === spoken.text),
        "the room's copy of the message said",
      );
      expect(received()[0]!.type).toBe("joined");
      expect(received().every((m) => ["joined", "message", "stats", "presence"].includes(m.type))).toBe(true);
      const heard = await teacher.take("message", (m) => m.text === spoken.text);
      expect(heard.from).toMatchObject({ nickname, role: "student" });
      // "Ctrl-C leaves"
      said(block.prose, /Ctrl-C leaves/);
      terminal.ctrlC();
      await teacher.take("presence", (m) => m.change !== "joined" && m.participant.nickname === nickname);
    } finally {
      teacher.ws.close();
    }
  },

  "10-classroom#2": async (block) => {
    const { teacher, code } = await createRoomAsTeacher(lab);
    try {
      // "run: CODE=K7QXMR node bot.mjs (your room's code …)"
      const command = block.kind === "node-script" ? (block.run ?? "") : "";
      const placeholder = said(command, /CODE=([A-Z0-9]{6}) /)[1]!;
      const run = command.replace(placeholder, code);
      const nickname = fromCode(block, /nickname: "([^"]+)"/)[1];
      const reply = fromCode(block, /text: `([^`$]*)\$\{message\.text\}`/)[1];
      const terminal = openTerminal(run, { running: lab, cwd: await folderFor(block.lesson) });
      onTestFinished(() => terminal.stop());
      await teacher.take("presence", (m) => m.change === "joined" && m.participant.nickname === nickname);
      teacher.send({ type: "say", text: "Frames are the unit of a WebSocket" });
      // "a small bot that joins and repeats what the teacher says"
      const repeated = await teacher.take("message", (m) => m.from.nickname === nickname);
      expect(repeated.text).toBe(`${reply}Frames are the unit of a WebSocket`);
      // "until you stop it with Ctrl-C"
      said(block.prose, /until you stop\s+it with Ctrl-C/);
      terminal.ctrlC();
      const ended = await terminal.ended;
      expect(ended.code).toBe(130);
    } finally {
      teacher.ws.close();
    }
  },
};

// ---- The tests --------------------------------------------------------------------------------

const runnable = blocks.filter((b) => b.kind === "shell" || b.kind === "node-script");

describe("every try-it block has a runner", () => {
  it("finds the lessons' blocks, each of a kind a runner knows", () => {
    expect(lessonFiles.map((f) => Number(f.slice(0, 2)))).toEqual([...Array(11).keys()]);
    expect(blocks.filter((b) => b.kind === null).map((b) => `${b.id}: ${"problem" in b ? b.problem : ""}`)).toEqual([]);
    expect(runnable.length).toBeGreaterThan(20);
  });

  it("has a check for every shell block and saved script, and none for a block that is gone", () => {
    expect(runnable.map((b) => b.id).filter((id) => !(id in checks))).toEqual([]);
    expect(Object.keys(checks).filter((id) => !runnable.some((b) => b.id === id))).toEqual([]);
  });
});

for (const file of lessonFiles) {
  const lesson = file.replace(/\.mdx$/, "");
  describe(`${lesson}: try-it snippets run as written`, () => {
    for (const block of runnable.filter((b) => b.lesson === lesson)) {
      it(`${block.id} (line ${block.line}): ${block.kind === "node-script" ? block.file : block.code.split("\n")[0]!.slice(0, 60)}`, async () => {
        const check = checks[block.id];
        if (!check) throw new Error(`no check for ${block.id}`);
        await check(block);
      }, 60_000);
    }
  });
}

describe("what the lessons show beside their snippets", () => {
  it("compared every sample output and every typed line with a real run", () => {
    const shown = blocks.filter((b) => b.kind === "output" || b.kind === "typed-input").map((b) => b.id);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => !usedSamples.has(id))).toEqual([]);
  });
});
