// One side of the wire stage: its scene (side-scene.ts, what is in the window and where) kept in
// step with the stage's clock, its markers moved by the shared flight animator, and the result
// painted on its canvas (side-canvas.ts) once per frame, only when something changed. The work
// per animation frame depends on what is visible, never on the length of the session.
import type { FlightAnimator } from "../shared/flight.ts";
import type { StageItem } from "./stage-items.ts";
import type { TimeAxis } from "./time-axis.ts";
import type { Palette } from "../shared/canvas-paint.ts";
import { SideCanvas } from "./side-canvas.ts";
import { markerAt, SideScene } from "./side-scene.ts";

/** What a side shows, as plain data (read by the browser tests through the element). */
export interface SideSnapshot {
  /** The view's window, in content pixels: [top, top + height). */
  top: number;
  height: number;
  items: {
    id: number;
    from: string;
    kind: string;
    lost: boolean;
    landed: boolean;
    full: string;
    x1: number;
    y1: number;
    x2: number;
    y2: number;
    markerX: number;
    markerY: number;
  }[];
  labels: string[];
}

export class SideView {
  readonly scene: SideScene;
  #canvas: SideCanvas;
  #animator: FlightAnimator;
  #palette: Palette;
  #paintedVersion = -1;

  constructor(canvas: HTMLCanvasElement, animator: FlightAnimator, axis: () => TimeAxis, palette: Palette) {
    this.scene = new SideScene(axis);
    this.#canvas = new SideCanvas(canvas);
    this.#animator = animator;
    this.#palette = palette;
    canvas.addEventListener("pointermove", (event) => this.#tooltip(event));
    canvas.addEventListener("pointerleave", () => canvas.removeAttribute("title"));
  }

  /** A new size and scale; drawn items are dropped (the caller redraws). */
  reset(widthPx: number, heightPx: number, scale: number): void {
    this.scene.reset(widthPx, heightPx, scale);
    this.#canvas.resize(this.scene.geometry.width, heightPx);
    this.#paintedVersion = -1;
  }

  /** Allocates one of the canvas's layers ahead of need; false when all are (see side-canvas.ts). */
  prepareLayer(): boolean {
    return this.#canvas.prepareLayer();
  }

  /** New colours (the theme changed): painted again at once. */
  setPalette(palette: Palette): void {
    this.#palette = palette;
    this.#paintedVersion = -1;
    this.render();
  }

  get drawnCount(): number {
    return this.scene.items.size;
  }

  moveTo(now: number): void {
    this.scene.moveTo(now);
  }

  windowStart(now: number): number {
    return this.scene.windowStart(now);
  }

  /** Adds an item as of display time `now`; its marker then moves with the animator. */
  draw(item: StageItem, now: number): void {
    const added = this.scene.add(item, now);
    if (!added) return;
    this.#animator.add({
      departAt: item.departAt,
      arriveAt: item.arriveAt ?? item.departAt + 1,
      place: (progress) => this.scene.setProgress(item.id, progress),
    });
  }

  remove(id: number): void {
    this.scene.remove(id);
  }

  removeBefore(from: number, lookup: (id: number) => StageItem | undefined): void {
    this.scene.removeBefore(from, lookup);
  }

  clearItems(): void {
    this.scene.clearItems();
  }

  /** Paints the canvas if anything changed since it was last painted. */
  render(): void {
    if (this.scene.version === this.#paintedVersion) return;
    this.#paintedVersion = this.scene.version;
    this.#canvas.paint(this.scene, this.#palette);
  }

  snapshot(): SideSnapshot {
    const scene = this.scene;
    return {
      top: scene.top,
      height: scene.height,
      items: [...scene.items.values()].map((item) => {
        const tip = markerAt(item);
        return {
          id: item.id,
          from: item.from,
          kind: item.kind,
          lost: item.lost,
          landed: item.progress >= 1,
          full: item.source.full,
          x1: item.x1,
          y1: item.y1,
          x2: item.x2,
          y2: item.y2,
          markerX: tip.x,
          markerY: tip.y,
        };
      }),
      labels: [...scene.labels()].map((label) => label.text),
    };
  }

  #tooltip(event: PointerEvent): void {
    const canvas = this.#canvas.canvas;
    const box = canvas.getBoundingClientRect();
    const hit = this.scene.hit(event.clientX - box.left, event.clientY - box.top + this.scene.top);
    if (hit) canvas.title = hit.source.full;
    else canvas.removeAttribute("title");
  }
}
