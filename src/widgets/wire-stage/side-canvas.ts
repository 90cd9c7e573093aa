// Paints a SideScene on a <canvas>. A canvas, not SVG: an SVG diagram whose markers move in every
// frame has the browser recompute styles, lay out and repaint its elements each time, and under
// the bench's load (4× CPU throttling, 10 messages a second) that alone made most frames long
// tasks. A change inside the canvas invalidates nothing else on the page.
//
// Rasterising is still the costly part of a frame, so what no longer changes is drawn once: a
// landed arrow and a label go into two off-screen layers as tall as several views (in content
// coordinates), and a frame copies the visible slice of each, with the arrows still in flight
// between them. The layers are redrawn whole only when the window nears their end, the theme
// changes, or the scene jumps (a reset, a step back in time).
//
// A layer's pixels are allocated only when something is first drawn into it, or ahead of that by
// `prepareLayer()`, one layer per task. Allocating is the cost: the bitmap is written through
// once, and the four layers of a stage (about 2 MB each at 1280 px wide, one device pixel per
// CSS pixel) took 60 ms in one task when they were allocated with the first, still empty, paint.
//
// The canvas is a picture only: its accessible name says what it shows, the transcript lists
// every item, and the tooltip (the canvas's title) gives the full sentence of the arrow under the
// pointer. Colours and fonts come from the page's CSS custom properties, read again when the
// theme changes.
import { offscreenLayer, paintArrow, sizeForScreen, type Layer, type Palette } from "../shared/canvas-paint.ts";
import { LABEL_FONT_PX } from "../shared/diagram-geometry.ts";
import type { SceneItem, SideScene } from "./side-scene.ts";

/** Margin (px) around the window within which items are still painted (a label or head may reach in). */
const CULL_PX = 24;
/** The off-screen layers are this many view heights tall. */
const TRACK_FACTOR = 4;

export class SideCanvas {
  readonly canvas: HTMLCanvasElement;
  #context: CanvasRenderingContext2D | null;
  #arrows = offscreenLayer();
  #labels = offscreenLayer();
  #width = 300;
  #height = 300;
  #ratio = 1;
  /** The content y at the top of the layers; NaN when they must be redrawn. */
  #base = Number.NaN;
  #epoch = -1;
  #palette: Palette | null = null;
  /** Items whose landed arrow is in the arrows layer. */
  #landed = new Set<number>();
  /** Labels in the labels layer: their text and its width. */
  #written = new Map<number, { text: string; width: number }>();
  /** The layers whose pixels are allocated at the current size (see the file's comment). */
  #allocated = new Set<Layer>();

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    this.#context = canvas.getContext("2d");
  }

  /** Sizes the canvas to `width` × `height` CSS pixels, sharp on high-density screens. */
  resize(width: number, height: number): void {
    this.#width = width;
    this.#height = height;
    this.#ratio = sizeForScreen(this.canvas, width, height);
    // The old pixels are let go now and the new size allocated when first needed; a layer already
    // of the right size (a new session on the same stage) is kept and cleared by the next paint.
    for (const kept of [this.#arrows, this.#labels]) {
      if (!kept || (kept.canvas.width === this.canvas.width && kept.canvas.height === this.#layerHeight())) continue;
      kept.canvas.width = 0;
      kept.canvas.height = 0;
      this.#allocated.delete(kept);
    }
    this.#base = Number.NaN;
  }

  /**
   * Allocates one layer not yet allocated at the current size, ahead of the first frame that
   * draws into it. Returns false when there was none left to allocate.
   */
  prepareLayer(): boolean {
    const next = [this.#arrows, this.#labels].find((kept) => kept && !this.#allocated.has(kept));
    if (!next) return false;
    this.#allocate(next);
    return true;
  }

  #allocate(kept: Layer): void {
    kept.canvas.width = this.canvas.width;
    kept.canvas.height = this.#layerHeight();
    // Clearing writes the bitmap through: the allocation's cost is paid here, not in a frame.
    kept.context.clearRect(0, 0, kept.canvas.width, kept.canvas.height);
    this.#allocated.add(kept);
    this.#placeLayer(kept);
  }

  #layerHeight(): number {
    return Math.round(this.#height * TRACK_FACTOR * this.#ratio);
  }

  /** Maps content coordinates onto the layer, whose top is content y `#base`. */
  #placeLayer(kept: Layer): void {
    const base = Number.isFinite(this.#base) ? this.#base : 0;
    kept.context.setTransform(this.#ratio, 0, 0, this.#ratio, 0, -base * this.#ratio);
  }

  /** The layer, allocated now if it was not yet (something is about to be drawn into it). */
  #ready(kept: Layer): Layer {
    if (!this.#allocated.has(kept)) this.#allocate(kept);
    return kept;
  }

  paint(scene: SideScene, palette: Palette): void {
    const ctx = this.#context;
    if (!ctx || !this.#arrows || !this.#labels || !Number.isFinite(scene.top)) return;
    const top = scene.top;
    const bottom = top + this.#height;
    const track = this.#height * TRACK_FACTOR;
    if (
      scene.epoch !== this.#epoch ||
      palette !== this.#palette ||
      !(top >= this.#base && bottom <= this.#base + track)
    ) {
      this.#epoch = scene.epoch;
      this.#palette = palette;
      // Room below for the window to move on (time runs down), a little above for a step back.
      this.#base = top - this.#height * 0.25;
      this.#landed.clear();
      this.#written.clear();
      for (const kept of [this.#arrows, this.#labels]) {
        if (!this.#allocated.has(kept)) continue;
        kept.context.setTransform(1, 0, 0, 1, 0, 0);
        kept.context.clearRect(0, 0, kept.canvas.width, kept.canvas.height);
        this.#placeLayer(kept);
      }
    }
    this.#keepLanded(scene, palette);
    this.#keepLabels(scene, palette);

    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    // Content coordinates from here on: y down the time axis, the window starting at `top`.
    ctx.setTransform(this.#ratio, 0, 0, this.#ratio, 0, -top * this.#ratio);
    this.#paintAxis(ctx, scene, palette, top, bottom);
    if (this.#allocated.has(this.#arrows)) this.#copy(ctx, this.#arrows, top);
    const flying = [...scene.items.values()].filter(
      (item) =>
        item.progress < 1 &&
        Math.max(item.y1, item.y2) >= top - CULL_PX &&
        Math.min(item.y1, item.y2) <= bottom + CULL_PX,
    );
    this.#paintArrows(ctx, flying, palette);
    if (this.#allocated.has(this.#labels)) this.#copy(ctx, this.#labels, top);
  }

  /** Draws the visible slice of a layer onto the canvas (whose transform maps content y). */
  #copy(ctx: CanvasRenderingContext2D, kept: Layer, top: number): void {
    const sourceY = Math.round((top - this.#base) * this.#ratio);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(
      kept.canvas,
      0,
      sourceY,
      this.canvas.width,
      this.canvas.height,
      0,
      0,
      this.canvas.width,
      this.canvas.height,
    );
    ctx.restore();
  }

  /** Folded stretches, time labels and the two lanes: a handful of shapes, drawn every frame. */
  #paintAxis(ctx: CanvasRenderingContext2D, scene: SideScene, palette: Palette, top: number, bottom: number): void {
    const g = scene.geometry;
    ctx.font = `italic 12px ${palette.fontBody}`;
    ctx.textAlign = "left";
    for (const fold of scene.folds) {
      ctx.fillStyle = palette.bgSunken;
      ctx.fillRect(0, fold.y0, this.#width, Math.max(0, fold.y1 - fold.y0));
      if (fold.text) {
        ctx.fillStyle = palette.fgMuted;
        ctx.fillText(fold.text, 4, (fold.y0 + fold.y1) / 2 + 4);
      }
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = palette.border;
    ctx.setLineDash([2, 6]);
    ctx.beginPath();
    for (const tick of scene.ticks) {
      ctx.moveTo(0, tick.y);
      ctx.lineTo(this.#width, tick.y);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = `12px ${palette.fontMono}`;
    ctx.fillStyle = palette.fgMuted;
    for (const tick of scene.ticks) ctx.fillText(tick.text, 4, tick.y - 3);
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (const x of [g.clientX, g.serverX]) {
      ctx.moveTo(x, top - 2);
      ctx.lineTo(x, bottom + 2);
    }
    ctx.stroke();
  }

  /** Adds the arrows that landed since the last frame to the arrows layer. */
  #keepLanded(scene: SideScene, palette: Palette): void {
    const fresh: SceneItem[] = [];
    for (const item of scene.items.values()) {
      if (item.progress >= 1 && !this.#landed.has(item.id)) {
        this.#landed.add(item.id);
        fresh.push(item);
      }
    }
    if (fresh.length > 0) this.#paintArrows(this.#ready(this.#arrows!).context, fresh, palette);
    // Scrolled away: forgotten (they are gone from the layer at its next redraw).
    if (this.#landed.size > 4 * scene.items.size + 64)
      for (const id of this.#landed) if (!scene.items.has(id)) this.#landed.delete(id);
  }

  /** Writes new and changed labels ("· +2 more") into the labels layer. */
  #keepLabels(scene: SideScene, palette: Palette): void {
    const ctx = this.#labels!.context;
    let styled = false;
    for (const label of scene.labels()) {
      const before = this.#written.get(label.owner);
      if (before?.text === label.text) continue;
      if (!styled) {
        styled = true;
        this.#ready(this.#labels!);
        ctx.font = `${LABEL_FONT_PX}px ${palette.fontBody}`;
        ctx.textAlign = "center";
      }
      // What the label said before goes (this layer holds labels only, so nothing else with it).
      if (before)
        ctx.clearRect(label.x - before.width / 2 - 4, label.y - LABEL_FONT_PX - 1, before.width + 8, LABEL_FONT_PX + 6);
      // Measured once: a label is written once, and again only when others join it.
      const width = ctx.measureText(label.text).width;
      // A veil of the background under the label keeps it readable over the arrows it crosses,
      // which still show through. (A stroked halo round the glyphs, as SVG draws it, rasterised
      // several times slower: stroked glyphs are not cached.)
      ctx.globalAlpha = 0.8;
      ctx.fillStyle = palette.bg;
      ctx.fillRect(label.x - width / 2 - 3, label.y - LABEL_FONT_PX, width + 6, LABEL_FONT_PX + 4);
      ctx.globalAlpha = 1;
      ctx.fillStyle = palette.fg;
      ctx.fillText(label.text, label.x, label.y);
      this.#written.set(label.owner, { text: label.text, width });
    }
    if (this.#written.size > 4 * scene.items.size + 64) {
      const shown = new Set<number>();
      for (const label of scene.labels()) shown.add(label.owner);
      for (const owner of this.#written.keys()) if (!shown.has(owner)) this.#written.delete(owner);
    }
  }

  #paintArrows(ctx: CanvasRenderingContext2D, items: readonly SceneItem[], palette: Palette): void {
    for (const item of items) {
      const colour = item.from === "client" ? palette.client : palette.server;
      paintArrow(ctx, item, {
        colour,
        line: item.lost ? palette.bad : colour,
        dash: item.lost ? [4, 3] : item.kind === "tcp" ? [5, 3] : [],
        alpha: !item.lost && item.kind === "tcp" ? 0.85 : 1,
        head: !item.lost,
        halo: palette.bg,
      });
    }
  }
}
