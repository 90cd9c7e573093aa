// The reader's own HTTP/1.1 opening for lesson 9: this browser opens a tapped WebSocket to the
// lab (tap-client.ts), says the message, reads the echo and closes with 1000, and the lab's tap
// reports every byte of it. Then the lab holds the same conversation over HTTP/2 with this
// browser's own masking keys (POST /lab/h2-twin), so the DATA frames carry the very frames this
// browser sent; and the HTTP/3 simulation is built from the same conversation.
import { parseH2TwinRun, H2_TWIN_PATH, type H2TwinRun } from "../../protocol/h2-twin-api.ts";
import { base64ToBytes } from "../../protocol/base64.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { computeAccept } from "../../protocol/handshake-key.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import type { Conversation } from "../../protocol/websocket-openings.ts";
import { openTap } from "../shared/tap-client.ts";
import { postWhenLabFree, type WaitNote } from "../shared/when-lab-free.ts";

/** A conversation that has not ended by then is given up (the lab's echo answers at once). */
export const OWN_OPENING_TIMEOUT_MS = 8000;

export interface OwnOpenings {
  /** The tap's events for the reader's connection, in order. */
  events: TapEvent[];
  conversation: Conversation;
  twins: H2TwinRun;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The reader's masking keys (text frame, close frame) and Sec-WebSocket-Key, read from what the tap saw. */
export function readOwnConversation(
  events: readonly TapEvent[],
  message: string,
  location: Pick<Location, "host" | "origin" | "protocol">,
): Omit<Conversation, "accept"> | null {
  const request = events.find((e) => e.type === "request");
  const key =
    request &&
    /\r\nSec-WebSocket-Key: *([^\r\n]+)\r\n/i
      .exec(new TextDecoder().decode(base64ToBytes(request.data) ?? new Uint8Array(0)))?.[1]
      ?.trim();
  const decoder = new FrameDecoder({ direction: "client-to-server" });
  const frames = events
    .flatMap((e) =>
      e.type === "chunk" && e.dir === "in" && e.data ? decoder.push(base64ToBytes(e.data) ?? new Uint8Array(0)) : [],
    )
    .flatMap((e) => (e.kind === "frame" ? [e.frame] : []));
  const textKey = frames.find((f) => f.opcode === 0x1)?.maskingKey;
  const closeKey = frames.find((f) => f.opcode === 0x8)?.maskingKey;
  if (!key || !textKey || !closeKey) return null;
  return {
    authority: location.host,
    path: "/lab/echo",
    origin: location.origin,
    message,
    maskingKeys: [textKey, closeKey],
    key,
    secure: location.protocol === "https:",
  };
}

function converse(message: string): Promise<TapEvent[]> {
  const events: TapEvent[] = [];
  return new Promise((resolve, reject) => {
    let session: Awaited<ReturnType<typeof openTap>> | null = null;
    const timer = setTimeout(
      () => finish(new Error("The conversation did not finish in time.")),
      OWN_OPENING_TIMEOUT_MS,
    );
    const finish = (error: Error | null): void => {
      clearTimeout(timer);
      session?.close();
      if (error) reject(error);
      else resolve(events);
    };
    openTap({
      onEvent(event) {
        events.push(event);
        // The tap's close comes after every byte of the connection: the record is whole.
        if (event.type === "close")
          finish(
            event.code === 1000
              ? null
              : new Error(`Your connection closed with ${event.code}${event.reason ? ` (${event.reason})` : ""}.`),
          );
      },
      onProblem: (problem) => finish(new Error(problem)),
    }).then(
      (opened) => {
        session = opened;
        opened.specimen.addEventListener("open", () => opened.specimen.send(message));
        opened.specimen.addEventListener("message", () => opened.specimen.close(1000));
      },
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

async function requestTwins(
  message: string,
  maskingKeys: readonly [Uint8Array, Uint8Array],
  onWait?: (note: WaitNote) => void,
): Promise<H2TwinRun> {
  const body = JSON.stringify({ message, maskingKeys: maskingKeys.map(hex) });
  const response = await postWhenLabFree(
    H2_TWIN_PATH,
    { headers: { "Content-Type": "application/json" }, body },
    { onWait },
  );
  if (!response.ok) throw new Error((await response.text()).trim() || `The lab answered ${response.status}.`);
  const run = parseH2TwinRun(await response.json());
  if (!run) throw new Error("The lab's answer could not be read.");
  return run;
}

/** `onWait` hears when the lab asks this run to wait its turn (busy for everyone, or this address over its rate). */
export async function runOwnOpenings(message: string, onWait?: (note: WaitNote) => void): Promise<OwnOpenings> {
  const events = await converse(message);
  const own = readOwnConversation(events, message, window.location);
  if (!own) throw new Error("The tap's record of your connection is missing its key or frames.");
  const [accept, twins] = await Promise.all([computeAccept(own.key), requestTwins(message, own.maskingKeys, onWait)]);
  return { events, conversation: { ...own, accept }, twins };
}
