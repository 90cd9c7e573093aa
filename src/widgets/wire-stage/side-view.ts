// One side of the wire stage drawn in SVG: the two lanes, the time axis, and the items whose
// trip overlaps the visible window. The window moves with the stage's display time by moving
// the viewBox, so an item is drawn once, at fixed content coordinates, and removed when it
// scrolls out; only items in flight are touched again (their marker moves). The work per
// animation frame depends on what is visible, never on the length of the session.
import type { FlightAnimator } from "../shared/flight.ts";
import { HEAD_PX, joinedLabel, LabelPlacer, laneGeometry, LABEL_FONT_PX, ticks, truncate, type LaneGeometry } from "./stage-layout.ts";
import { formatStageTime, type StageItem } from "./stage-items.ts";
import type { TimeAxis } from "./time-axis.ts";
import { formatCount } from "../shared/format-count.ts";

const SVG = "http://www.w3.org/2000/svg";
const TICK_POOL = 24;
const FOLD_POOL = 8;
/** The SVG track is this many view heights tall. */
const TRACK_FACTOR = 4;
/** Time labels closer than this (across linear stretches) are skipped. */
const TICK_GAP_PX = 40;

function svg<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** A filled triangle at (x2, y2) pointing along the arrow from (x1, y1). */
export function arrowHead(x1: number, y1: number, x2: number, y2: number, length = 9, halfWidth = 4): string {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const bx = x2 - length * Math.cos(angle);
  const by = y2 - length * Math.sin(angle);
  const px = halfWidth * Math.sin(angle);
  const py = -halfWidth * Math.cos(angle);
  const f = (n: number): string => n.toFixed(2);
  return `M${f(x2)},${f(y2)} L${f(bx + px)},${f(by + py)} L${f(bx - px)},${f(by - py)} Z`;
}

interface Drawn {
  group: SVGGElement;
  label: SVGTextElement | null;
}

interface LabelState {
  text: SVGTextElement | null;
  first: StageItem;
  more: number;
}

export class SideView {
  readonly svg: SVGSVGElement;
  #geometry: LaneGeometry;
  #heightPx: number;
  #scale = 1;
  #items = svg("g", { class: "items" });
  /** Labels sit above every arrow, so a later arrow never crosses out an earlier label. */
  #labelLayer = svg("g", { class: "labels" });
  #ticks: { line: SVGLineElement; text: SVGTextElement }[] = [];
  #folds: { rect: SVGRectElement; text: SVGTextElement; key: string }[] = [];
  #lastTop: number | null = null;
  /** The content y at the top of the SVG track. */
  #base: number | null = null;
  #tickKey = "";
  #axis: () => TimeAxis;
  #drawn = new Map<number, Drawn>();
  #placer = new LabelPlacer();
  /** Where each item's label went (placed once, when first drawn, so labels never move). */
  #placed = new Map<number, { y: number; owner: number }>();
  #labels = new Map<number, LabelState>();
  #animator: FlightAnimator;

  constructor(svgElement: SVGSVGElement, animator: FlightAnimator, axis: () => TimeAxis) {
    this.svg = svgElement;
    this.#axis = axis;
    this.#animator = animator;
    this.#geometry = laneGeometry(300);
    this.#heightPx = 300;
  }

  /** Rebuilds the static parts for a size and scale; drawn items are dropped (the caller redraws). */
  reset(widthPx: number, heightPx: number, scale: number): void {
    this.#geometry = laneGeometry(widthPx);
    this.#heightPx = heightPx;
    this.#scale = scale;
    this.#drawn.clear();
    this.#placed.clear();
    this.#labels.clear();
    this.#placer.reset();
    this.#items = svg("g", { class: "items" });
    this.#labelLayer = svg("g", { class: "labels" });
    const g = this.#geometry;
    const lanes = svg("g", { class: "lanes" });
    for (const x of [g.clientX, g.serverX]) lanes.append(svg("line", { x1: x, x2: x, y1: -1e7, y2: 1e9, class: "lane" }));
    const tickGroup = svg("g", { class: "ticks" });
    this.#ticks = [];
    for (let i = 0; i < TICK_POOL; i++) {
      const line = svg("line", { x1: 0, x2: g.width, class: "tick", visibility: "hidden" });
      const text = svg("text", { x: 4, class: "tick-label", visibility: "hidden" });
      tickGroup.append(line, text);
      this.#ticks.push({ line, text });
    }
    const foldGroup = svg("g", { class: "folds" });
    this.#folds = [];
    for (let i = 0; i < FOLD_POOL; i++) {
      const rect = svg("rect", { x: 0, width: g.width, class: "fold", visibility: "hidden" });
      const text = svg("text", { x: 4, class: "fold-label", visibility: "hidden" });
      foldGroup.append(rect, text);
      this.#folds.push({ rect, text, key: "" });
    }
    this.#lastTop = null;
    this.#base = null;
    this.#tickKey = "";
    this.svg.setAttribute("width", String(g.width));
    this.svg.setAttribute("height", String(heightPx * TRACK_FACTOR));
    this.svg.replaceChildren(foldGroup, tickGroup, lanes, this.#items, this.#labelLayer);
  }

  get drawnCount(): number {
    return this.#drawn.size;
  }

  #y(t: number): number {
    return this.#axis().y(t) * this.#scale;
  }

  #top(now: number): number {
    return this.#y(now) - (this.#heightPx - HEAD_PX - 6);
  }

  /**
   * Moves the window so `now` sits at the bottom (where the page draws the "now" line), and
   * places the time labels and folded stretches. Only what changed is written: a frame whose
   * window did not move by a quarter pixel writes nothing at all.
   */
  moveTo(now: number): void {
    const top = Math.round(this.#top(now) * 4) / 4;
    if (top === this.#lastTop) return;
    this.#lastTop = top;
    // The SVG is a track taller than the view, slid under it with a compositor transform: moving
    // it repaints nothing. Only when the window nears an end of the track is the track moved
    // (a new viewBox, one repaint every few seconds of motion).
    const track = this.#heightPx * TRACK_FACTOR;
    if (this.#base === null || top < this.#base || top + this.#heightPx > this.#base + track) {
      this.#base = top - this.#heightPx * 0.25;
      this.svg.setAttribute("viewBox", `0 ${this.#base} ${this.#geometry.width} ${track}`);
    }
    this.svg.style.transform = `translateY(${-(top - this.#base)}px)`;
    const from = this.windowStart(now);
    const axis = this.#axis();
    const times: number[] = [];
    let lastY = -Infinity;
    for (const stretch of axis.linear(from, now)) {
      for (const t of ticks(stretch.t0, stretch.t1, this.#scale)) {
        const ty = this.#y(t);
        if (ty - lastY < TICK_GAP_PX || t > now) continue;
        times.push(t);
        lastY = ty;
      }
    }
    const tickKey = times.join(",");
    if (tickKey !== this.#tickKey) {
      this.#tickKey = tickKey;
      this.#ticks.forEach((tick, i) => {
        const t = times[i];
        const visible = t !== undefined;
        tick.line.setAttribute("visibility", visible ? "visible" : "hidden");
        tick.text.setAttribute("visibility", visible ? "visible" : "hidden");
        if (!visible) return;
        const ty = this.#y(t);
        tick.line.setAttribute("y1", ty.toFixed(2));
        tick.line.setAttribute("y2", ty.toFixed(2));
        tick.text.setAttribute("y", (ty - 3).toFixed(2));
        tick.text.textContent = formatStageTime(t);
      });
    }
    const folds = axis.folds(from, now).slice(-FOLD_POOL);
    this.#folds.forEach((fold, i) => {
      const stretch = folds[i];
      const end = stretch ? Math.min(stretch.t1, now) : 0;
      const y0 = stretch ? this.#y(stretch.t0) : 0;
      const y1 = stretch ? this.#y(Math.max(stretch.t0, end)) : 0;
      const label = stretch && y1 - y0 >= 14 ? `⋯ ${formatStageTime(end - stretch.t0)}` : "";
      const key = stretch ? `${y0.toFixed(1)}:${y1.toFixed(1)}:${label}` : "";
      if (key === fold.key) return;
      fold.key = key;
      fold.rect.setAttribute("visibility", stretch ? "visible" : "hidden");
      fold.text.setAttribute("visibility", stretch ? "visible" : "hidden");
      if (!stretch) return;
      fold.rect.setAttribute("y", y0.toFixed(2));
      fold.rect.setAttribute("height", Math.max(0, y1 - y0).toFixed(2));
      fold.text.setAttribute("y", ((y0 + y1) / 2 + 4).toFixed(2));
      fold.text.textContent = label;
    });
  }

  /** The visible window's earliest time for `now`. */
  windowStart(now: number): number {
    return this.#axis().timeAt((this.#top(now) + HEAD_PX) / this.#scale);
  }

  /** Draws an item as of display time `now` (its marker then moves with the animator). */
  draw(item: StageItem, now: number): void {
    if (this.#drawn.has(item.id) || item.departAt > now) return;
    const g = this.#geometry;
    const toServer = item.from === "client";
    const x1 = toServer ? g.clientX : g.serverX;
    const x2full = toServer ? g.serverX : g.clientX;
    const lost = item.arriveAt === null;
    const arriveAt = item.arriveAt ?? item.departAt + 1;
    const x2 = lost ? (x1 + x2full) / 2 : x2full;
    const y1 = this.#y(item.departAt);
    const y2 = this.#y(arriveAt);
    const group = svg("g", { class: `item from-${item.from} kind-${item.kind}${lost ? " lost" : ""}`, "data-id": item.id });
    const title = svg("title");
    title.textContent = item.full;
    const line = svg("line", { x1, y1: y1.toFixed(2), x2: x1, y2: y1.toFixed(2) });
    const marker = svg("circle", { r: 4.5, cx: x1, cy: y1.toFixed(2), class: "marker" });
    group.append(title, line, marker);
    const label = this.#label(item, y1, y2);
    this.#items.append(group);
    const drawn: Drawn = { group, label };
    this.#drawn.set(item.id, drawn);
    this.#animator.add({
      departAt: item.departAt,
      arriveAt,
      place: (progress) => {
        if (!this.#drawn.has(item.id)) return;
        const x = x1 + (x2 - x1) * progress;
        const y = y1 + (y2 - y1) * progress;
        line.setAttribute("x2", x.toFixed(2));
        line.setAttribute("y2", y.toFixed(2));
        marker.setAttribute("cx", x.toFixed(2));
        marker.setAttribute("cy", y.toFixed(2));
      },
      landed: () => {
        if (!this.#drawn.has(item.id)) return;
        group.classList.add("landed");
        // A drawn head, not an SVG <marker>: each marker instance gets transform and clip nodes
        // of its own, and a page full of them makes every frame's compositing update slower.
        if (!lost) group.append(svg("path", { d: arrowHead(x1, y1, x2, y2), class: "head" }));
      },
    });
  }

  remove(id: number): void {
    const drawn = this.#drawn.get(id);
    if (!drawn) return;
    drawn.group.remove();
    drawn.label?.remove();
    this.#drawn.delete(id);
    const label = this.#labels.get(id);
    if (label) label.text = null;
  }

  /** Removes every drawn item whose trip ended before `from`. */
  removeBefore(from: number, lookup: (id: number) => StageItem | undefined): void {
    for (const id of this.#drawn.keys()) {
      const item = lookup(id);
      if (!item || (item.arriveAt ?? item.departAt) < from) this.remove(id);
    }
  }

  clearItems(): void {
    for (const id of [...this.#drawn.keys()]) this.remove(id);
  }


  /** Draws the item's label, unless it joined another item's label (then that one says "+N more"). */
  #label(item: StageItem, y1: number, y2: number): SVGTextElement | null {
    const g = this.#geometry;
    let placed = this.#placed.get(item.id);
    if (!placed) {
      const spot = this.#placer.place(item.id, y1, y2, item.from === "client");
      placed = { y: spot.y, owner: spot.joined ?? item.id };
      this.#placed.set(item.id, placed);
      if (spot.joined === null) this.#labels.set(item.id, { text: null, first: item, more: 0 });
      else {
        const owner = this.#labels.get(spot.joined);
        if (owner) {
          owner.more++;
          if (owner.text) owner.text.textContent = joinedLabel(owner.first.label, owner.first.bytes, owner.more, g.labelChars);
        }
      }
    }
    if (placed.owner !== item.id) return null;
    const state = this.#labels.get(item.id)!;
    const text = svg("text", { x: g.labelX, y: placed.y.toFixed(2), "text-anchor": "middle", class: "label", "font-size": LABEL_FONT_PX });
    text.textContent = state.more > 0 ? joinedLabel(item.label, item.bytes, state.more, g.labelChars) : `${truncate(item.label, Math.max(4, g.labelChars - 8))} ${formatCount(item.bytes)} B`;
    state.text = text;
    text.dataset.item = String(item.id);
    this.#labelLayer.append(text);
    return text;
  }
}
