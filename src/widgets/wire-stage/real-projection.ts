// The reader's real WebSocket, from the lab's tap events, as items on the stage's clock.
//
// On this machine the frames cross loopback in well under a millisecond, which would draw every
// arrow flat. So the stage replays the real conversation on a link with the one-way time the
// reader chose, keeping what is real: every frame's bytes (parsed from the capture with the
// same decoder the tests use), their order, and the real gaps between the moments the lab saw
// them. Each item leaves at its real moment (ms after the handshake request reached the lab)
// shifted as little as causality needs, and lands one one-way time later:
//   - the browser cannot send before the 101 has reached it, and answers a ping (or a close)
//     only after it arrived;
//   - the lab answers (an echo, a pong, a close reply) only after the frame it answers arrived.
// Each side keeps its own shift, which only grows, so real gaps on each side are kept and an
// echo arrives one round trip after its message left, as it would on such a link.
//
// It also says what the HTTP simulation needs: when the page sent a message (and its size) and
// when the lab sent one unasked. An echo is recognised as the lab's next message equal to the
// oldest message it has not answered yet; anything else the lab sends is "unasked" (a push).
import { base64ToBytes } from "../../protocol/base64.ts";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import type { DecodedFrame } from "../../protocol/frame-types.ts";
import { describeOpcode, OPCODE } from "../../protocol/opcodes.ts";
import type { Direction, TapEvent } from "../../protocol/tap-events.ts";
import { formatBytes, formatStageTime, type StageItem, type StagePeer, type StageSide } from "./stage-items.ts";

export interface RealMessage {
  /** Stage time the message left its sender. */
  at: number;
  /** Application bytes (the payload of all its frames). */
  payloadBytes: number;
  /** Lab messages only: true when it answered one of the page's messages (an echo). */
  echo: boolean;
}

export interface RealUpdate {
  /** A new specimen connection began: everything before belongs to an earlier conversation. */
  reset: boolean;
  items: StageItem[];
  pageMessages: RealMessage[];
  labMessages: RealMessage[];
  /** Problems worth telling the reader (a protocol error in the capture, a capture limit). */
  notes: string[];
}

const textDecoder = new TextDecoder("utf-8", { fatal: false });

export function frameLabel(frame: DecodedFrame, maxChars = 24): string {
  const name = describeOpcode(frame.opcode).name;
  if (frame.opcode === OPCODE.text && frame.fin) {
    const text = textDecoder.decode(frame.payload);
    return `“${text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text}”`;
  }
  if (frame.opcode === OPCODE.close && frame.payload.length >= 2)
    return `close ${(frame.payload[0]! << 8) | frame.payload[1]!}`;
  return `${name}${frame.fin || frame.opcode >= 8 ? "" : " (fragment)"}${frame.payload.length > 0 && frame.opcode !== OPCODE.text ? ` ${frame.payload.length} B` : ""}`;
}

export class RealProjection {
  readonly oneWayMs: number;
  #nextId: () => number;
  #specimen: number | null = null;
  #origin: number | null = null;
  #shift: Record<Direction, number> = { in: 0, out: 0 };
  #lastDepart: Record<Direction, number> = { in: 0, out: 0 };
  /** When the latest frame from each side landed: what the other side's answers wait for. */
  #lastArrival: Record<Direction, number> = { in: 0, out: 0 };
  #openAtPage = 0;
  #decoders: Record<Direction, FrameDecoder> = this.#newDecoders();
  #partialPayload: Record<Direction, number> = { in: 0, out: 0 };
  #unanswered: string[] = [];
  #stopped: Record<Direction, boolean> = { in: false, out: false };

  /** `nextId` hands out item ids, shared with the HTTP side so ids stay unique on the stage. */
  constructor(oneWayMs: number, nextId: () => number) {
    this.oneWayMs = Math.max(0, oneWayMs);
    this.#nextId = nextId;
  }

  /** Stage time corresponding to the lab's clock reading `serverNow`, on the page's side. */
  stageTimeAt(serverNow: number): number | null {
    return this.#origin === null ? null : serverNow - this.#origin + this.#shift.in;
  }

  get started(): boolean {
    return this.#origin !== null;
  }

  push(event: TapEvent): RealUpdate {
    const update: RealUpdate = { reset: false, items: [], pageMessages: [], labMessages: [], notes: [] };
    if (event.type === "open") {
      this.#restart(event.specimen);
      update.reset = true;
      return update;
    }
    if (!("specimen" in event) || event.specimen !== this.#specimen) return update;
    switch (event.type) {
      case "request": {
        this.#origin = event.t;
        const bytes = base64ToBytes(event.data) ?? new Uint8Array(0);
        update.items.push(
          this.#item(
            "in",
            event.t,
            bytes.length,
            bytes.length,
            "handshake",
            "GET … Upgrade: websocket",
            "the opening handshake request (RFC 6455 §4.1)",
          ),
        );
        break;
      }
      case "response": {
        if (this.#origin === null) this.#origin = event.t;
        const bytes = base64ToBytes(event.data) ?? new Uint8Array(0);
        const status = textDecoder.decode(bytes.subarray(0, Math.min(bytes.length, 40))).split("\r\n")[0] ?? "response";
        const item = this.#item(
          "out",
          event.t,
          bytes.length,
          bytes.length,
          "handshake",
          status.replace(/^HTTP\/1\.1 /, ""),
          `the handshake response, “${status}” (RFC 6455 §4.2.2)`,
        );
        update.items.push(item);
        // The page's WebSocket is open once the 101 has reached it.
        this.#openAtPage = item.arriveAt ?? item.departAt;
        this.#shift.in = Math.max(this.#shift.in, this.#openAtPage - (event.t - this.#origin));
        break;
      }
      case "chunk":
        this.#chunk(event, update);
        break;
    }
    return update;
  }

  #restart(specimen: number): void {
    this.#specimen = specimen;
    this.#origin = null;
    this.#shift = { in: 0, out: 0 };
    this.#lastDepart = { in: 0, out: 0 };
    this.#lastArrival = { in: 0, out: 0 };
    this.#openAtPage = 0;
    this.#decoders = this.#newDecoders();
    this.#partialPayload = { in: 0, out: 0 };
    this.#unanswered = [];
    this.#stopped = { in: false, out: false };
  }

  #newDecoders(): Record<Direction, FrameDecoder> {
    return {
      in: new FrameDecoder({ direction: "client-to-server" }),
      out: new FrameDecoder({ direction: "server-to-client" }),
    };
  }

  #chunk(event: Extract<TapEvent, { type: "chunk" }>, update: RealUpdate): void {
    const dir = event.dir;
    if (this.#stopped[dir] || this.#origin === null) return;
    const bytes = event.data === undefined ? null : base64ToBytes(event.data);
    if (bytes === null) {
      this.#stopped[dir] = true;
      update.notes.push(
        `The lab's capture limit was reached: later ${dir === "in" ? "browser" : "lab"} frames are not drawn.`,
      );
      return;
    }
    for (const decoded of this.#decoders[dir].push(bytes)) {
      if (decoded.kind === "error") {
        this.#stopped[dir] = true;
        update.notes.push(
          `A ${dir === "in" ? "browser" : "lab"} frame broke a rule: ${decoded.error.error} (${decoded.error.rfc}).`,
        );
        return;
      }
      this.#frame(dir, event.t, decoded.frame, update);
    }
  }

  #frame(dir: Direction, t: number, frame: DecodedFrame, update: RealUpdate): void {
    const control = frame.opcode >= 8;
    const label = frameLabel(frame);
    const item = this.#item(
      dir,
      t,
      frame.raw.length,
      frame.headerLength,
      control ? "control" : "data",
      label,
      frame.masked,
      control,
    );
    update.items.push(item);
    if (control) return;
    this.#partialPayload[dir] += frame.payload.length;
    if (!frame.fin) return;
    const payloadBytes = this.#partialPayload[dir];
    this.#partialPayload[dir] = 0;
    const text =
      frame.opcode === OPCODE.text || frame.opcode === OPCODE.continuation
        ? textDecoder.decode(frame.payload)
        : `#${payloadBytes}`;
    if (dir === "in") {
      this.#unanswered.push(text);
      update.pageMessages.push({ at: item.departAt, payloadBytes, echo: false });
    } else {
      const echo = this.#unanswered.length > 0 && this.#unanswered[0] === text;
      if (echo) this.#unanswered.shift();
      update.labMessages.push({ at: item.departAt, payloadBytes, echo });
    }
  }

  /**
   * Places one item: its real moment, shifted as causality needs, landing one one-way time later.
   * `about` is what the item's sentence says it is: a handshake's own words, or, for a frame,
   * whether it was masked (its sentence then names its label and header size).
   */
  #item(
    dir: Direction,
    t: number,
    bytes: number,
    headerBytes: number,
    kind: StageItem["kind"],
    label: string,
    about: string | boolean,
    answersPeer = false,
  ): StageItem {
    const real = t - (this.#origin ?? t);
    const other: Direction = dir === "in" ? "out" : "in";
    // The page may only send once its socket is open, and answers (pong, close) after what they answer;
    // the lab answers whatever the page sent before.
    const bound =
      dir === "in"
        ? Math.max(kind === "handshake" ? 0 : this.#openAtPage, answersPeer ? this.#lastArrival[other] : 0)
        : this.#lastArrival[other];
    const departAt = Math.max(real + this.#shift[dir], bound, this.#lastDepart[dir]);
    this.#shift[dir] = Math.max(this.#shift[dir], departAt - real);
    this.#lastDepart[dir] = departAt;
    const arriveAt = departAt + this.oneWayMs;
    this.#lastArrival[dir] = arriveAt;
    return new RealItem(
      {
        id: this.#nextId(),
        side: "ws",
        from: dir === "in" ? "client" : "server",
        departAt,
        arriveAt,
        label,
        bytes,
        headerBytes,
        kind,
      },
      about,
    );
  }
}

/** A frame or handshake message of the reader's connection; its sentence is written when read (see StageItem.full). */
class RealItem implements StageItem {
  // Declared, not defined: the constructor's Object.assign gives them their values.
  declare readonly id: number;
  declare readonly side: StageSide;
  declare readonly from: StagePeer;
  declare readonly departAt: number;
  declare readonly arriveAt: number;
  declare readonly label: string;
  declare readonly bytes: number;
  declare readonly headerBytes: number;
  declare readonly kind: StageItem["kind"];
  /** A handshake's own words; for a frame, whether it was masked. */
  readonly #about: string | boolean;

  constructor(fields: Omit<StageItem, "full" | "arriveAt"> & { arriveAt: number }, about: string | boolean) {
    Object.assign(this, fields);
    this.#about = about;
  }

  get full(): string {
    const who = this.from === "client" ? "your browser → lab" : "lab → your browser";
    const about =
      typeof this.#about === "string"
        ? this.#about
        : `${this.label} (${this.headerBytes}-byte header${this.#about ? ", masked" : ""})`;
    return `WebSocket (real), ${formatStageTime(this.departAt)}: ${who}, ${about}, ${formatBytes(this.bytes)} on the wire, lands at ${formatStageTime(this.arriveAt)}.`;
  }
}
