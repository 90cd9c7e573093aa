// The "Frames on the wire" lane: one row per frame, from the side of the peer that sent it to the
// other, with a note after the last frame of a message that took several (RFC 6455 §5.4). Drawn
// like the wire stage: arrows on a canvas (lane-canvas.ts), and while the reader watches live a
// marker crosses each new frame's arrow, its row ringed in the sender's colour until it lands.
// The real trip is far too fast to see, so every marker takes FLIGHT_MS. Under reduced motion,
// and for rows drawn by stepping or replaying, frames appear already landed.
//
// Rows are only ever appended, and the lane keeps the newest MAX_SEQUENCE_ROWS frames (plus at
// most DROP_BATCH more): older frames are reached by stepping back. Only the rows in view are
// painted, and only while the lane is on screen, so a frame costs the same in the first second
// of a session as after an hour.
//
// The canvas's fallback content is the lane for keyboards and screen readers: a list with a
// button per frame (its accessible name says who sent what, when). Focusing a button brings its
// row into view with a focus ring; a click on a row presses its button.
import type { CapturedFrame, CapturedMessage } from "../../protocol/capture.ts";
import type { FlightAnimator } from "../shared/flight.ts";
import type { Palette } from "../shared/canvas-paint.ts";
import { formatMs, frameLabel, side } from "./describe-capture.ts";
import { bytesLabel } from "../shared/bytes-label.ts";
import { payloadPreview } from "../shared/payload-preview.ts";
import { setAttr, setData, setText } from "../shared/dom-writes.ts";
import { FLIGHT_MS, MAX_MARKERS_IN_FLIGHT } from "./flight-pace.ts";
import { LaneCanvas, type LaneFrame } from "./lane-canvas.ts";
import { laneGeometry, LaneRows, laneTime, markerOf, rowShape, type LaneGeometry, type LaneRow } from "./lane-rows.ts";

export const MAX_SEQUENCE_ROWS = 24;
const DROP_BATCH = 12;
/** Painted frames are this far apart at least while markers travel (about 30 a second). */
const FRAME_MS = 33;
/** Space above the first row and below the last. */
const PAD_PX = 6;

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

export interface LaneSnapshot {
  rows: { key: string; kind: string; progress: number; full: string; markerX: number; markerY: number }[];
}

export interface LaneParts {
  /** The scrolled box; the canvas sticks to its top while the spacer gives it its height. */
  scroller: HTMLElement;
  canvas: HTMLCanvasElement;
  /** The fallback list inside the canvas. */
  list: HTMLOListElement;
  spacer: HTMLElement;
  /** True while the view follows the live connection: the lane then shows its newest rows. */
  follow: () => boolean;
}

/** Writes a frame into its row's button: a new one, or one a dropped row left (see #spare). */
function writeButton(button: HTMLButtonElement, frame: CapturedFrame, time: string, pressed: boolean): void {
  setData(button, "frame", frameKey(frame));
  setData(button, "opcode", String(frame.frame.opcode));
  setData(button, "masked", String(frame.frame.masked));
  setAttr(button, "aria-pressed", String(pressed));
  setText(button, `${side[frame.dir]}, ${frameLabel(frame)} ${payloadPreview(frame, 24)}, ${time}`);
}

function newFrameItem(): { item: HTMLLIElement; button: HTMLButtonElement } {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  item.append(button);
  return { item, button };
}

function messageText(message: CapturedMessage): string {
  const text = message.text === null ? bytesLabel(message.data.length) : `“${message.text}”`;
  return `⤷ one ${message.type} message reassembled from ${message.frames} frames: ${text}`;
}

export class FrameLane {
  readonly #parts: LaneParts;
  readonly #painter: LaneCanvas;
  readonly #animator: FlightAnimator;
  readonly #rows = new LaneRows();
  readonly #frames = new WeakMap<Element, CapturedFrame>();
  /** Each row's fallback item, and each frame row's button, by row key. */
  readonly #items = new Map<string, { item: HTMLLIElement; row: LaneRow; button: HTMLButtonElement | null }>();
  /** Frame rows dropped from the list, to be written again (at most DROP_BATCH + 1 of them). */
  readonly #spare: { item: HTMLLIElement; button: HTMLButtonElement }[] = [];
  #palette: Palette;
  #geometry: LaneGeometry = laneGeometry(300);
  #viewHeight = 300;
  #scrollTop = 0;
  #frameRows = 0;
  #inFlight = 0;
  #pressed: HTMLButtonElement | null = null;
  #focused: HTMLButtonElement | null = null;
  #visible = false;
  #stillDirty = true;
  #frame = 0;
  /** Set by stepAside: the next animation frame paints nothing (see there). */
  #skipNextFrame = false;
  #wait: ReturnType<typeof setTimeout> | null = null;
  #paintedAt = -Infinity;
  #observers: { disconnect(): void }[] = [];

  constructor(parts: LaneParts, animator: FlightAnimator, palette: Palette, signal: AbortSignal) {
    this.#parts = parts;
    this.#painter = new LaneCanvas(parts.canvas);
    this.#animator = animator;
    this.#palette = palette;
    const { scroller, canvas, list } = parts;
    scroller.addEventListener(
      "scroll",
      () => {
        if (scroller.scrollTop === this.#scrollTop) return;
        this.#scrollTop = scroller.scrollTop;
        this.#changed();
      },
      { signal, passive: true },
    );
    canvas.addEventListener("click", (event) => this.#buttonAt(event)?.click(), { signal });
    canvas.addEventListener(
      "pointermove",
      (event) => {
        const row = this.#rowAt(event);
        if (row) canvas.title = row.full;
        else canvas.removeAttribute("title");
      },
      { signal },
    );
    list.addEventListener(
      "focusin",
      (event) => {
        const button = (event.target as Element).closest<HTMLButtonElement>("button[data-frame]");
        this.#focused = button;
        if (button) this.#reveal(button);
        this.#changed();
      },
      { signal },
    );
    list.addEventListener(
      "focusout",
      () => {
        this.#focused = null;
        this.#changed();
      },
      { signal },
    );
    const resize = new ResizeObserver(([entry]) => {
      if (!entry) return;
      this.#geometry = laneGeometry(entry.contentRect.width);
      this.#viewHeight = entry.contentRect.height;
      this.#painter.resize(this.#geometry.width, this.#viewHeight);
      this.#layout();
      this.#changed();
    });
    resize.observe(scroller);
    // Painted only while on screen: off screen, markers land unseen and the rows wait.
    const intersection = new IntersectionObserver((entries) => {
      this.#visible = entries.some((entry) => entry.isIntersecting);
      this.#changed();
    });
    intersection.observe(scroller);
    this.#observers = [resize, intersection];
  }

  /** Stops painting and observing (the widget left the page). */
  dispose(): void {
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    if (this.#wait !== null) clearTimeout(this.#wait);
    this.#wait = null;
    for (const observer of this.#observers) observer.disconnect();
  }

  /** New colours (the theme changed). */
  setPalette(palette: Palette): void {
    this.#palette = palette;
    this.#changed();
  }

  /** Empties the lane; markers still travelling land where they were going. */
  clear(): void {
    this.#animator.clear();
    this.#parts.list.replaceChildren();
    this.#rows.clear();
    this.#items.clear();
    this.#inFlight = 0;
    this.#frameRows = 0;
    this.#pressed = null;
    this.#focused = null;
    this.#layout();
    this.#changed();
  }

  append({ frame, origin, reassembled, pressed, fly }: NewRow): void {
    const time = `+${formatMs(frame.t - origin)}`;
    const key = frameKey(frame);
    const { item, button } = this.#spare.pop() ?? newFrameItem();
    writeButton(button, frame, time, pressed);
    this.#frames.set(button, frame);
    setAttr(item, "class", `dir-${frame.dir}`);
    this.#parts.list.append(item);
    const row = this.#rows.add({
      key,
      kind: "frame",
      dir: frame.dir,
      text: `${frameLabel(frame)} ${payloadPreview(frame, 24)}`,
      time: laneTime(frame.t - origin),
      full: `${button.textContent}.`,
    });
    this.#items.set(key, { item, row, button });
    if (reassembled) {
      const note = document.createElement("li");
      note.className = `message dir-${reassembled.dir}`;
      note.textContent = messageText(reassembled);
      this.#parts.list.append(note);
      const noteRow = this.#rows.add({
        key: `${key}:message`,
        kind: "message",
        dir: reassembled.dir,
        text: note.textContent,
        time: "",
        full: note.textContent,
      });
      this.#items.set(noteRow.key, { item: note, row: noteRow, button: null });
    }
    if (pressed) this.press(button);
    this.#frameRows++;
    if (this.#frameRows > MAX_SEQUENCE_ROWS + DROP_BATCH) {
      while (this.#frameRows > MAX_SEQUENCE_ROWS) this.#dropOldest();
    }
    // When frames come faster than the eye can follow, the rows in between appear landed.
    if (fly && this.#visible && this.#inFlight < MAX_MARKERS_IN_FLIGHT) this.#fly(row);
    this.#layout();
    this.#changed();
  }

  /** Frames listed now. */
  get rows(): number {
    return this.#frameRows;
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
    this.#changed();
  }

  /** Where a frame's row is drawn, in pixels from the canvas's top left (for tests and tools). */
  rowBox(key: string): { x: number; y: number; width: number; height: number } | null {
    const entry = this.#items.get(key);
    if (!entry) return null;
    const g = this.#geometry;
    return {
      x: g.clientX,
      y: entry.row.y - this.#contentTop(),
      width: g.serverX - g.clientX,
      height: entry.row.height,
    };
  }

  /** The rows in view as painted last, with each marker's place on the canvas (for tests and tools). */
  snapshot(): LaneSnapshot {
    const top = this.#contentTop();
    return {
      rows: this.#rows.visible(top, top + this.#viewHeight).map((row) => {
        const marker = markerOf(rowShape(row, this.#geometry), row.progress);
        return {
          key: row.key,
          kind: row.kind,
          progress: row.progress,
          full: row.full,
          markerX: marker.x,
          markerY: marker.y - top,
        };
      }),
    };
  }

  /** Content y at the top of the view. */
  #contentTop(): number {
    return this.#rows.top - PAD_PX + this.#scrollTop;
  }

  #dropOldest(): void {
    for (;;) {
      const row = this.#rows.shift();
      if (!row) break;
      const entry = this.#items.get(row.key);
      this.#items.delete(row.key);
      entry?.item.remove();
      // A frame's row is kept to be written again as a new frame's: one row leaves for every
      // row that comes, and new elements each time would be garbage for the browser to collect.
      if (entry?.button) {
        if (this.#pressed === entry.button) this.#pressed = null;
        if (this.#focused === entry.button) this.#focused = null;
        this.#spare.push({ item: entry.item, button: entry.button });
      }
      // The oldest frame's note goes with it.
      if (this.#rows.first?.kind !== "message") break;
    }
    this.#frameRows--;
  }

  /**
   * The spacer makes the scroller as tall as the rows; the canvas shows the slice in view. While
   * the view follows live, the lane is painted at its end at once: the scroller is moved there
   * after the browser's next layout (pin-to-end.ts), and its scroll event then changes nothing.
   */
  #layout(): void {
    const content = this.#rows.bottom - this.#rows.top + 2 * PAD_PX;
    const overflow = Math.max(0, Math.ceil(content - this.#viewHeight));
    const spacer = `${overflow}px`;
    if (this.#parts.spacer.style.height !== spacer) this.#parts.spacer.style.height = spacer;
    if (this.#parts.follow()) this.#scrollTop = overflow;
  }

  #fly(row: LaneRow): void {
    row.progress = 0;
    this.#inFlight++;
    const now = performance.now();
    this.#animator.add({
      departAt: now,
      arriveAt: now + FLIGHT_MS,
      place: (progress) => {
        const landing = progress >= 1 && row.progress < 1;
        row.progress = progress;
        // A landed arrow joins the still picture, drawn into it alone when nothing else changed.
        if (landing && !this.#stillDirty)
          this.#stillDirty = !this.#painter.addLanded(row, this.#contentTop(), this.#geometry, this.#palette);
      },
      landed: () => {
        this.#inFlight--;
      },
    });
  }

  #rowAt(event: MouseEvent): LaneRow | null {
    return this.#rows.at(this.#contentTop() + event.offsetY);
  }

  #buttonAt(event: MouseEvent): HTMLButtonElement | null {
    const row = this.#rowAt(event);
    return row ? (this.#items.get(row.key)?.button ?? null) : null;
  }

  /** Scrolls a focused row into view (the list itself is never drawn, so the browser cannot). */
  #reveal(button: HTMLButtonElement): void {
    const entry = this.#items.get(button.dataset.frame ?? "");
    if (!entry) return;
    const y = entry.row.y - this.#rows.top + PAD_PX;
    const scroller = this.#parts.scroller;
    if (y < this.#scrollTop) scroller.scrollTop = y - PAD_PX;
    else if (y + entry.row.height > this.#scrollTop + this.#viewHeight)
      scroller.scrollTop = y + entry.row.height + PAD_PX - this.#viewHeight;
  }

  #changed(): void {
    this.#stillDirty = true;
    this.#schedule();
  }

  /**
   * The inspector has just written its paced views (text, byte views): the browser lays them out
   * and paints them in the next frame. The lane sits that frame out and paints in the one after,
   * so the two costs fall in different frames instead of adding up to one long task; a marker
   * moves a frame later (16 ms), which nobody sees.
   */
  stepAside(): void {
    if (this.#frame !== 0 || this.#wait !== null) this.#skipNextFrame = true;
  }

  /**
   * Paints in the next animation frame, and keeps painting while markers travel, at most every
   * FRAME_MS: each painted frame hands the browser a new bitmap to composite, and the screen's
   * frames in between would add cost, not motion the eye can follow.
   */
  #schedule(): void {
    if (this.#frame !== 0 || this.#wait !== null || !this.#visible) return;
    const wait = FRAME_MS - (performance.now() - this.#paintedAt) - 8;
    if (wait > 0 && this.#animator.active > 0) {
      this.#wait = setTimeout(() => {
        this.#wait = null;
        this.#schedule();
      }, wait);
      return;
    }
    this.#frame = requestAnimationFrame((at) => {
      this.#frame = 0;
      if (this.#skipNextFrame) {
        this.#skipNextFrame = false;
        this.#schedule();
        return;
      }
      this.#paintedAt = at;
      this.#paint();
      if (this.#animator.active > 0) this.#schedule();
    });
  }

  #paint(): void {
    this.#animator.update();
    const top = this.#contentTop();
    const focusedEntry = this.#focused ? this.#items.get(this.#focused.dataset.frame ?? "") : undefined;
    const frame: LaneFrame = {
      rows: this.#rows.visible(top - 4, top + this.#viewHeight + 4),
      top,
      geometry: this.#geometry,
      palette: this.#palette,
      selected: this.#pressed?.dataset.frame ?? null,
      focused: focusedEntry && this.#focused ? { row: focusedEntry.row, element: this.#focused } : null,
    };
    if (this.#stillDirty) {
      this.#stillDirty = false;
      const fresh = this.#painter.fresh;
      this.#painter.paintStill(frame);
      // Freshly sized canvases: the still layer's first drawing and the view's each allocate
      // pixels, so the view is painted in the next frame rather than adding to this one.
      if (fresh) return this.#schedule();
    }
    this.#painter.paint(frame);
  }
}
