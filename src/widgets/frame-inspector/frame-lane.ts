// The "Frames on the wire" list: one row per frame, at the side of the peer that sent it, with a
// line after the last frame of a message that took several (RFC 6455 §5.4). Rows are only ever
// appended, and the list keeps the newest MAX_SEQUENCE_ROWS frames (plus at most DROP_BATCH more),
// so a new frame costs the same in the first second of a session as after an hour; older frames
// are reached by stepping back. The oldest rows leave DROP_BATCH at a time: removing one with
// every new row would move every other row up, and the browser would repaint them all each time.
//
// A row that arrives while the reader watches live is ringed in its sender's colour while a
// marker crosses the wire under the list, from the sender's side to the receiver's; then the row
// settles. The real trip is far too fast to see, so every marker takes FLIGHT_MS, moved by the
// compositor (a glide: nothing here runs per animation frame). The markers travel on the wire,
// outside the scrolled list: a moving marker inside the list would make the browser paint the
// whole list again in every frame it draws. A landed marker waits at its receiver's side until
// the widget's next draw settles its row (`settle`), so landing costs no frame of its own. The
// FlightAnimator lands markers at once under reduced motion, and rows drawn by stepping or
// replaying appear already landed.
import type { CapturedFrame, CapturedMessage } from "../../protocol/capture.ts";
import type { FlightAnimator } from "../shared/flight.ts";
import { bytesLabel, formatMs, frameLabel, payloadPreview, side } from "./describe-capture.ts";
import { FLIGHT_MS, MAX_MARKERS_IN_FLIGHT } from "./flight-pace.ts";
import { setData } from "../shared/dom-writes.ts";

// The lane's box shows about seven rows; the newest 24 (up to 36) leave a little to scroll back
// through, and every row kept costs paint in every frame that changes the lane.
export const MAX_SEQUENCE_ROWS = 24;
const DROP_BATCH = 12;

export const frameKey = (f: CapturedFrame): string => `${f.dir}:${f.start}`;

export interface NewRow {
  frame: CapturedFrame;
  /** Time zero for the row's timestamp (when the connection opened). */
  origin: number;
  /** The message this frame completes, when it took several frames. */
  reassembled: CapturedMessage | null;
  pressed: boolean;
  /** True for a frame arriving live: its marker travels. */
  fly: boolean;
}

function frameButton(frame: CapturedFrame, origin: number, pressed: boolean): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.frame = frameKey(frame);
  button.dataset.opcode = String(frame.frame.opcode);
  button.dataset.masked = String(frame.frame.masked);
  button.setAttribute("aria-pressed", String(pressed));
  const arrow = document.createElement("span");
  arrow.className = "arrow";
  arrow.textContent = frame.dir === "in" ? "→" : "←";
  arrow.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  label.className = "label";
  label.textContent = `${frameLabel(frame)} ${payloadPreview(frame, 24)}`;
  const time = document.createElement("span");
  time.className = "time";
  time.textContent = `+${formatMs(frame.t - origin)}`;
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = `${side[frame.dir]}, `;
  button.append(hidden, arrow, label, time);
  return button;
}

function messageRow(message: CapturedMessage): HTMLLIElement {
  const row = document.createElement("li");
  row.className = `message dir-${message.dir}`;
  const text = message.text === null ? bytesLabel(message.data.length) : `“${message.text}”`;
  row.textContent = `⤷ one ${message.type} message reassembled from ${message.frames} frames: ${text}`;
  return row;
}

/** A marker on the wire (itself hidden from assistive technology and from the pointer), idle until it flies. */
function flightCarrier(): HTMLElement {
  const carrier = document.createElement("span");
  carrier.className = "flight-carrier";
  carrier.dataset.idle = "";
  const marker = document.createElement("span");
  marker.className = "flight-marker";
  carrier.append(marker);
  return carrier;
}

export class FrameLane {
  readonly #list: HTMLOListElement;
  readonly #wire: HTMLElement;
  readonly #animator: FlightAnimator;
  readonly #frames = new WeakMap<Element, CapturedFrame>();
  readonly #onLanded: () => void;
  /** Rows whose marker has landed, waiting for the next draw to settle. */
  #landed: { item: HTMLLIElement; carrier: HTMLElement }[] = [];
  /**
   * The wire's markers, made once and used again: a marker added to the page and removed again
   * for every frame would have the browser lay the whole page out again each time. An idle
   * marker is only invisible.
   */
  #idle: HTMLElement[] = [];
  /** The last trip of each marker, which holds it where it landed. */
  #trips = new WeakMap<HTMLElement, Animation>();
  #rows = 0;
  #inFlight = 0;
  #pressed: HTMLButtonElement | null = null;

  /** `wire` is where markers travel; `onLanded` asks the widget for a draw, in which it calls `settle`. */
  constructor(list: HTMLOListElement, wire: HTMLElement, animator: FlightAnimator, onLanded: () => void) {
    this.#list = list;
    this.#wire = wire;
    this.#animator = animator;
    this.#onLanded = onLanded;
  }

  /** Empties the list; markers still travelling land where they were going. */
  clear(): void {
    this.#animator.clear();
    this.#list.replaceChildren();
    this.settle();
    this.#inFlight = 0;
    this.#rows = 0;
    this.#pressed = null;
  }

  /** Settles the rows whose marker has landed: the marker and the row's in-flight ring go. */
  settle(): void {
    for (const { item, carrier } of this.#landed) {
      carrier.dataset.idle = "";
      this.#idle.push(carrier);
      delete item.dataset.flight;
    }
    this.#landed = [];
  }

  append({ frame, origin, reassembled, pressed, fly }: NewRow): void {
    const item = document.createElement("li");
    item.className = `dir-${frame.dir}`;
    const button = frameButton(frame, origin, pressed);
    this.#frames.set(button, frame);
    item.append(button);
    this.#list.append(item);
    if (reassembled) this.#list.append(messageRow(reassembled));
    if (pressed) this.press(button);
    this.#rows++;
    if (this.#rows > MAX_SEQUENCE_ROWS + DROP_BATCH) {
      while (this.#rows > MAX_SEQUENCE_ROWS) this.#dropOldest();
    }
    // When frames come faster than the eye can follow, the rows in between appear landed: each
    // travelling marker is also a compositor layer the browser updates in every frame.
    if (fly && this.#inFlight < MAX_MARKERS_IN_FLIGHT) this.#fly(item, frame);
  }

  /** Frames listed now. */
  get rows(): number {
    return this.#rows;
  }

  /** The frame a row's button stands for. */
  frameOf(button: Element): CapturedFrame | undefined {
    return this.#frames.get(button);
  }

  /** Marks one row as the frame shown in detail (aria-pressed), and only that one. */
  press(button: HTMLButtonElement | null): void {
    if (this.#pressed === button) return;
    this.#pressed?.setAttribute("aria-pressed", "false");
    button?.setAttribute("aria-pressed", "true");
    this.#pressed = button;
  }

  #dropOldest(): void {
    this.#list.firstElementChild?.remove();
    // The oldest frame's "reassembled" line goes with it.
    if (this.#list.firstElementChild?.classList.contains("message")) this.#list.firstElementChild.remove();
    this.#rows--;
  }

  #fly(item: HTMLLIElement, frame: CapturedFrame): void {
    const carrier = this.#idle.pop() ?? this.#wire.appendChild(flightCarrier());
    // The marker held where it last landed lets go of it before it leaves again (asking the
    // element for its animations instead would make the browser match styles at once).
    this.#trips.get(carrier)?.cancel();
    setData(carrier, "dir", frame.dir);
    delete carrier.dataset.idle;
    item.dataset.flight = "travelling";
    // From the Browser side (left) to the Lab side (right) for the client's frames, back for the
    // lab's: the carrier moves by 0–100 % of its own width, which takes the marker edge to edge.
    const [from, to] = frame.dir === "in" ? ["0%", "100%"] : ["100%", "0%"];
    let gliding = false;
    this.#inFlight++;
    const landed = (): void => {
      this.#inFlight--;
      if (gliding) {
        this.#landed.push({ item, carrier });
        this.#onLanded();
        return;
      }
      // Landed at once (reduced motion): the row settles in the draw that is adding it.
      carrier.dataset.idle = "";
      this.#idle.push(carrier);
      delete item.dataset.flight;
    };
    const trip = this.#animator.glide({ element: carrier, keyframes: [{ transform: `translateX(${from})` }, { transform: `translateX(${to})` }], durationMs: FLIGHT_MS, landed });
    if (trip) this.#trips.set(carrier, trip);
    gliding = true;
  }
}
