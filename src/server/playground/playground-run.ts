// The handshake playground's run (lessons 4 and 8). A browser will only send the handshakes it
// builds itself, so the lab sends the reader's raw request for them: it starts a private copy of
// itself (private-lab.ts: the same code and limits, with the production server's Host check and
// its 426 for plain HTTP), opens a fresh TCP connection to it, writes the request's bytes exactly
// as given, and records every read of the answer with its time.
//
// After a 101 the lab's client does what a browser's page would do next: it sends the masked
// "Hello" of RFC 6455 §5.7 (the standard's own example bytes), and when the echo comes back, a
// masked close frame with 1000; it answers a close from the lab by echoing its code (§5.5.1) and
// waits for the lab to end the TCP connection (§7.1.1). Otherwise it stops once the answer is
// complete (Content-Length), the lab closes, or nothing more arrives for PLAYGROUND_WAIT_MS. Before
// the first byte of an answer it waits longer, out to the lab's handshake timeout, so a request
// whose head never ends shows what the lab does with it: it drops the connection without a word.
import { createServer } from "node:http";
import { connect, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { encodeClosePayload, parseClosePayload } from "../../protocol/close-payload.ts";
import { encodeFrame } from "../../protocol/frame-encode.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { headerValue, parseResponseHead } from "../../protocol/http1.ts";
import {
  PLAYGROUND_MAX_PIECES,
  PLAYGROUND_WAIT_MS,
  type PlaygroundEnding,
  type PlaygroundPiece,
  type PlaygroundRun,
} from "../../protocol/playground-api.ts";
import { frameExample } from "../../protocol/rfc-examples.ts";
import { createHostPolicy, hostnameOf } from "../host-check.ts";
import { startPrivateLab, type MakeLab } from "../private-lab.ts";
import type { LabSettings } from "../settings.ts";

/** However the conversation goes after the first wait, the client gives up after this much longer. */
export const PLAYGROUND_RUN_LIMIT_MS = 10_000;
/** Bytes of answer recorded; the lab's answers are a few hundred, so more means something is wrong. */
const MAX_ANSWER_BYTES = 64 * 1024;

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString("base64");

/** The RFC's masked "Hello" (§5.7): the first message the lab's client sends after a 101. */
function helloFrame(): Uint8Array {
  const example = frameExample("masked-text");
  if (!example) throw new Error("the RFC example frame masked-text is missing");
  return example.bytes;
}

/** A masked frame from the client with a fresh key (RFC 6455 §5.3). */
function clientFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const encoded = encodeFrame({ opcode, payload, maskingKey: randomBytes(4) });
  if (!encoded.ok) throw new Error(encoded.error);
  return encoded.bytes;
}

/**
 * Sends `request` to a private lab and records the conversation. `pageHost` is the Host the
 * reader's page was served under: the private lab answers for it (and for loopback names and
 * the operator's allowed hosts), like the real server, and refuses any other name with 421.
 */
export async function runPlayground(
  request: Uint8Array,
  settings: LabSettings,
  makeLab: MakeLab,
  pageHost: string | undefined,
): Promise<PlaygroundRun> {
  const pageName = pageHost === undefined ? null : hostnameOf(pageHost);
  const checkHost = createHostPolicy({
    listenHost: "127.0.0.1",
    allowedHosts: [...settings.allowedHosts, ...(pageName ? [pageName] : [])],
  });
  const lab = await startPrivateLab(
    makeLab,
    settings,
    [createServer({ headersTimeout: settings.handshakeTimeoutMs })],
    {
      answersPlainHttp: true,
      gate: (incoming) => {
        const verdict = checkHost(incoming.headers.host);
        return verdict.ok ? null : verdict;
      },
    },
  );
  try {
    return await converse(request, lab.ports[0]!, settings);
  } finally {
    await lab.close();
  }
}

function converse(request: Uint8Array, port: number, settings: LabSettings): Promise<PlaygroundRun> {
  // Until the first byte of an answer, the client waits out the lab's handshake timeout, so a head
  // that never ends shows the lab dropping it; after that, PLAYGROUND_WAIT_MS of quiet ends the run.
  const firstWaitMs = settings.handshakeTimeoutMs + 1000;
  return new Promise((resolve) => {
    const pieces: PlaygroundPiece[] = [];
    const socket: Socket = connect(port, "127.0.0.1");
    let openedAt = 0;
    const since = (): number => Math.round((performance.now() - openedAt) * 100) / 100;
    let answer = Buffer.alloc(0);
    let received = 0;
    /** After a 101, the answer's later bytes are frames. */
    let upgraded = false;
    let completeAt: number | null = null;
    const decoder = new FrameDecoder({ direction: "server-to-client", maxPayloadLength: settings.maxMessageBytes * 2 });
    let closeSent = false;
    let finished = false;

    const finish = (ending: PlaygroundEnding): void => {
      if (finished) return;
      finished = true;
      clearTimeout(idle);
      clearTimeout(limit);
      socket.destroy();
      resolve({
        pieces,
        ending,
        waitMs: PLAYGROUND_WAIT_MS,
        endedAt: openedAt === 0 ? 0 : since(),
        handshakeTimeoutMs: settings.handshakeTimeoutMs,
      });
    };
    const stalled = (): void => finish(answer.length === 0 ? "no-answer" : "answer-stalled");
    let idle = setTimeout(stalled, firstWaitMs);
    const limit = setTimeout(stalled, firstWaitMs + PLAYGROUND_RUN_LIMIT_MS);
    const write = (bytes: Uint8Array): void => {
      if (socket.destroyed || bytes.length === 0) return;
      pieces.push({ from: "client", at: since(), data: b64(bytes) });
      socket.write(bytes);
    };

    const onFrames = (bytes: Uint8Array): void => {
      for (const event of decoder.push(bytes)) {
        if (event.kind !== "frame") continue;
        const { opcode, payload } = event.frame;
        if (opcode === 0x9) write(clientFrame(0xa, payload));
        if ((opcode === 0x1 || opcode === 0x2) && !closeSent) {
          closeSent = true;
          write(clientFrame(0x8, encodeClosePayload(1000)));
        }
        if (opcode === 0x8 && !closeSent) {
          closeSent = true;
          const parsed = parseClosePayload(payload);
          write(clientFrame(0x8, encodeClosePayload(parsed.ok ? parsed.code : null)));
        }
      }
    };

    socket.on("connect", () => {
      openedAt = performance.now();
      write(request);
    });
    socket.on("data", (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(stalled, PLAYGROUND_WAIT_MS);
      received += chunk.length;
      // A page reads at most PLAYGROUND_MAX_PIECES pieces (a chunk and the two frames it may answer
      // with must fit); a conversation this long has gone wrong.
      if (received > MAX_ANSWER_BYTES || pieces.length >= PLAYGROUND_MAX_PIECES - 3) return finish("answer-stalled");
      pieces.push({ from: "lab", at: since(), data: b64(chunk) });
      if (upgraded) return onFrames(chunk);
      answer = Buffer.concat([answer, chunk]);
      if (completeAt !== null) {
        if (answer.length >= completeAt) finish("complete");
        return;
      }
      const parsed = parseResponseHead(answer);
      if (parsed.kind !== "head") return;
      const headLength = parsed.head.sizes.total;
      if (parsed.head.startLine.status === 101) {
        upgraded = true;
        write(helloFrame());
        onFrames(answer.subarray(headLength));
        return;
      }
      const length = Number(headerValue(parsed.head.fields, "content-length") ?? Number.NaN);
      if (!Number.isSafeInteger(length)) return; // read until the lab closes
      completeAt = headLength + length;
      if (answer.length >= completeAt) finish("complete");
    });
    socket.on("end", () => finish("lab-closed"));
    socket.on("close", () => finish("lab-closed"));
    socket.on("error", () => finish("lab-closed"));
  });
}
