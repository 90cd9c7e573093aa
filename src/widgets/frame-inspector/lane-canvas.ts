// Paints the frame lane's rows in view on a <canvas>, in the wire stage's style: the browser's
// side at the left, the lab's at the right, one arrow per frame, a marker crossing while the frame
// is shown arriving. A canvas, not a list of elements: under the bench's load (4× CPU throttling,
// 20 frames a second) the browser restyling, laying out and repainting the list's rows was most
// of every long frame the inspector caused, and a change inside a canvas invalidates nothing else.
//
// Only the rows in view are painted, so a frame costs the same whatever the number of rows. What
// no longer moves (every row but the markers) is drawn into an off-screen layer when the rows,
// the scroll position, the selection or the focus change; a frame of motion copies that layer and
// draws the markers in flight over it.
//
// The canvas is not the only way in: its fallback content (a list of buttons, one per frame) is
// what keyboards and screen readers use, and the focused button's row gets a focus ring here.
import { offscreenLayer, paintArrow, sizeForScreen, type Palette } from "../shared/canvas-paint.ts";
import { LABEL_FONT_PX } from "../shared/diagram-geometry.ts";
import { rowShape, type LaneGeometry, type LaneRow } from "./lane-rows.ts";

export interface LaneFrame {
  rows: readonly LaneRow[];
  /** Content y at the top of the view. */
  top: number;
  geometry: LaneGeometry;
  palette: Palette;
  /** The key of the frame shown in detail. */
  selected: string | null;
  /** The focused row and its button, for the focus ring. */
  focused: { row: LaneRow; element: Element } | null;
}

/** The band a row's ring, selection and focus are drawn round. */
function band(row: LaneRow, g: LaneGeometry): [number, number, number, number] {
  return [g.clientX - 10, row.y + 2, g.serverX - g.clientX + 20, row.height - 4];
}

export class LaneCanvas {
  readonly canvas: HTMLCanvasElement;
  #context: CanvasRenderingContext2D | null;
  #still = offscreenLayer();
  #height = 300;
  #ratio = 1;
  /** The content y the still layer was painted at (NaN: not painted yet). */
  #stillTop = Number.NaN;
  /** Whether the still layer has been drawn into since it was sized (see `fresh`). */
  #drawnSinceResize = false;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    this.#context = canvas.getContext("2d");
  }

  /** Sizes the canvas to `width` × `height` CSS pixels, sharp on high-density screens. */
  resize(width: number, height: number): void {
    this.#height = height;
    this.#ratio = sizeForScreen(this.canvas, width, height);
    if (this.#still) {
      this.#still.canvas.width = this.canvas.width;
      this.#still.canvas.height = this.canvas.height;
    }
    this.#stillTop = Number.NaN;
    this.#drawnSinceResize = false;
  }

  /**
   * True from a resize until the still layer is first painted: a canvas's first drawing after it
   * is sized allocates its pixels, 20 to 30 ms on the bench's machine for each of the two.
   */
  get fresh(): boolean {
    return !this.#drawnSinceResize;
  }

  /**
   * Adds a frame's landed arrow to the still layer, if that layer still shows the view at `top`
   * (the usual case: a marker lands between two new rows). False when the layer must be painted
   * again instead.
   */
  addLanded(row: LaneRow, top: number, geometry: LaneGeometry, palette: Palette): boolean {
    const kept = this.#still;
    if (!kept || top !== this.#stillTop) return false;
    this.#paintLanded(kept.context, row, geometry, palette);
    return true;
  }

  /** False while the lane has no area (a hidden slide in presenter mode): nothing to paint. */
  get drawable(): boolean {
    return this.canvas.width > 0 && this.canvas.height > 0;
  }

  /** Draws everything that stays still into the off-screen layer. */
  paintStill(frame: LaneFrame): void {
    const kept = this.#still;
    if (!kept || !this.drawable) return;
    const ctx = kept.context;
    const { rows, top, geometry: g, palette } = frame;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, kept.canvas.width, kept.canvas.height);
    this.#drawnSinceResize = true;
    ctx.setTransform(this.#ratio, 0, 0, this.#ratio, 0, -top * this.#ratio);
    this.#stillTop = top;
    for (const row of rows) {
      if (row.key !== frame.selected) continue;
      ctx.fillStyle = palette.accentSoft;
      ctx.fillRect(...band(row, g));
      ctx.lineWidth = 1;
      ctx.strokeStyle = palette.accent;
      ctx.strokeRect(...band(row, g));
    }
    ctx.lineWidth = 2;
    ctx.strokeStyle = palette.border;
    ctx.beginPath();
    for (const x of [g.clientX, g.serverX]) {
      ctx.moveTo(x, top - 2);
      ctx.lineTo(x, top + this.#height + 2);
    }
    ctx.stroke();
    ctx.textBaseline = "alphabetic";
    for (const row of rows) this.#paintRow(ctx, row, g, palette);
    if (frame.focused) this.#paintFocus(ctx, frame.focused.row, frame.focused.element, g, palette);
  }

  /** A frame of the view: the still layer, then the markers in flight and their rows' rings. */
  paint(frame: LaneFrame): void {
    const ctx = this.#context;
    if (!ctx || !this.#still || !this.drawable) return;
    const { rows, top, geometry: g, palette } = frame;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.#still.canvas, 0, 0);
    ctx.setTransform(this.#ratio, 0, 0, this.#ratio, 0, -top * this.#ratio);
    for (const row of rows) {
      if (row.kind !== "frame" || row.progress >= 1) continue;
      const colour = row.dir === "in" ? palette.client : palette.server;
      // The row is ringed in its sender's colour while its marker crosses.
      ctx.lineWidth = 2;
      ctx.strokeStyle = colour;
      ctx.strokeRect(...band(row, g));
      paintArrow(ctx, { ...rowShape(row, g), progress: row.progress }, { colour, halo: palette.bg });
    }
  }

  #paintRow(ctx: CanvasRenderingContext2D, row: LaneRow, g: LaneGeometry, palette: Palette): void {
    const shape = rowShape(row, g);
    if (row.kind === "message") {
      ctx.font = `italic 12px ${palette.fontBody}`;
      ctx.textAlign = "center";
      ctx.fillStyle = palette.fgMuted;
      ctx.fillText(shape.label, shape.labelX, shape.labelY);
      return;
    }
    ctx.font = `11px ${palette.fontMono}`;
    // Right-aligned clear of the row's band and its focus ring, so times line up on their decimals.
    ctx.textAlign = "right";
    ctx.fillStyle = palette.fgMuted;
    ctx.fillText(row.time, g.clientX - 17, shape.y1 + 4);
    ctx.font = `${LABEL_FONT_PX}px ${palette.fontBody}`;
    ctx.textAlign = "center";
    ctx.fillStyle = palette.fg;
    ctx.fillText(shape.label, shape.labelX, shape.labelY);
    // A frame still crossing is drawn in motion (paint); here only once it has landed.
    if (row.progress >= 1) this.#paintLanded(ctx, row, g, palette);
  }

  #paintLanded(ctx: CanvasRenderingContext2D, row: LaneRow, g: LaneGeometry, palette: Palette): void {
    paintArrow(
      ctx,
      { ...rowShape(row, g), progress: 1 },
      { colour: row.dir === "in" ? palette.client : palette.server, halo: palette.bg },
    );
  }

  #paintFocus(ctx: CanvasRenderingContext2D, row: LaneRow, element: Element, g: LaneGeometry, palette: Palette): void {
    const [x, y, w, h] = band(row, g);
    ctx.beginPath();
    ctx.rect(x - 2, y - 1, w + 4, h + 2);
    // Tells the browser where the focused element is drawn (screen magnifiers follow it), and
    // draws the system's ring; the page's own focus colour goes over it, as on every control.
    ctx.drawFocusIfNeeded(element);
    ctx.lineWidth = 3;
    ctx.strokeStyle = palette.focus;
    ctx.stroke();
  }
}
