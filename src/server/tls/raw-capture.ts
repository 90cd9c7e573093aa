// What crossed one https:// connection below TLS (https-listener.ts): every raw read and write
// with its time, and the session's secrets as Node logged them (NSS key log lines). Bounded: once
// `limit` bytes are kept, later bytes are only counted; a connection that turns out to be an
// ordinary page request is released at once, so only WebSocket upgrades keep their bytes.
import type { TwinTuple } from "../../protocol/tls-twin-api.ts";
import { serverNow } from "../tap/server-clock.ts";

export interface RawChunk {
  dir: "in" | "out";
  t: number;
  bytes: Buffer;
}

export interface RawCapture {
  record(dir: "in" | "out", bytes: Buffer): void;
  keyLog(line: string): void;
  /** TLS is up: the version and cipher suite agreed. */
  secured(version: string, cipherSuite: string): void;
  /** Stops recording and forgets what was kept. */
  release(): void;
  /** The TCP connection closed. */
  ended(): void;
  /** Resolves once the connection has closed, or after `ms`, whichever comes first. */
  whenEnded(ms: number): Promise<void>;
  readonly chunks: readonly RawChunk[];
  readonly keyLogLines: readonly string[];
  readonly version: string;
  readonly cipherSuite: string;
  /** True when bytes were left out because the limit was reached (or the capture was released). */
  readonly truncated: boolean;
  /** The connection's addresses and ports, as the server saw them. */
  readonly tuple: TwinTuple;
}

export function createRawCapture(limit: number, tuple: TwinTuple): RawCapture {
  let chunks: RawChunk[] = [];
  let lines: string[] = [];
  let kept = 0;
  let truncated = false;
  let released = false;
  let version = "";
  let cipherSuite = "";
  let isEnded = false;
  const waiting = new Set<() => void>();

  return {
    record(dir, bytes) {
      if (released) return;
      if (kept + bytes.length > limit) {
        truncated = true;
        return;
      }
      kept += bytes.length;
      // Copied: the stream may reuse or hand on the buffer it gave us.
      chunks.push({ dir, t: serverNow(), bytes: Buffer.from(bytes) });
    },
    keyLog(line) {
      if (!released && lines.length < 16) lines.push(line);
    },
    secured(v, suite) {
      version = v;
      cipherSuite = suite;
    },
    release() {
      released = true;
      truncated = true;
      chunks = [];
      lines = [];
    },
    ended() {
      isEnded = true;
      for (const resolve of waiting) resolve();
      waiting.clear();
    },
    whenEnded(ms) {
      if (isEnded) return Promise.resolve();
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        waiting.add(done);
      });
    },
    get chunks() {
      return chunks;
    },
    get keyLogLines() {
      return lines;
    },
    get version() {
      return version;
    },
    get cipherSuite() {
      return cipherSuite;
    },
    get truncated() {
      return truncated;
    },
    tuple,
  };
}
