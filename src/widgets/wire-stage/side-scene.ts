// What one side of the wire stage shows, as plain data: the items whose trip overlaps the visible
// window (each with where it leaves, where it lands and how far along it is), their labels, the
// time labels and the folded stretches. Pure, so it is tested without a DOM; side-canvas.ts
// paints it, side-view.ts keeps it in step with the stage's clock.
//
// Content coordinates: x in CSS pixels across the side, y in CSS pixels down the time axis from
// the session's start. The view is the window [top, top + height) of that tall picture; "now"
// sits near its bottom edge. An item is placed once, when it first enters the window, and keeps
// its place; only its progress changes while it travels.
import { truncate } from "../shared/diagram-geometry.ts";
import { HEAD_PX, joinedLabel, LabelPlacer, laneGeometry, ticks, type LaneGeometry } from "./stage-layout.ts";
import { formatStageTime, type StageItem, type StagePeer } from "./stage-items.ts";
import type { TimeAxis } from "./time-axis.ts";
import { formatCount } from "../shared/format-count.ts";

/** Time labels closer than this (across linear stretches) are skipped. */
const TICK_GAP_PX = 40;
/** At most this many folded stretches are marked in one window. */
const MAX_FOLDS = 8;

export interface SceneItem {
  id: number;
  from: StagePeer;
  kind: StageItem["kind"];
  /** Lost on the way (a simulated drop): it stops half way, never lands. */
  lost: boolean;
  /** What the item was made from: its sentence, written when the tooltip asks for it. */
  source: StageItem;
  x1: number;
  y1: number;
  /** Where the trip ends (half way across for a lost item). */
  x2: number;
  y2: number;
  /** 0 as it leaves, 1 once landed. */
  progress: number;
}

export interface SceneLabel {
  /** The item whose label this is (others may have joined it: "· +2 more"). */
  owner: number;
  x: number;
  /** Baseline, content coordinates. */
  y: number;
  text: string;
}

export interface SceneTick {
  y: number;
  text: string;
}

export interface SceneFold {
  y0: number;
  y1: number;
  /** Empty when the band is too thin to hold its length. */
  text: string;
}

/** Where an item's marker is now: the tip of its arrow. */
export function markerAt(item: SceneItem): { x: number; y: number } {
  return { x: item.x1 + (item.x2 - item.x1) * item.progress, y: item.y1 + (item.y2 - item.y1) * item.progress };
}

interface LabelState {
  first: StageItem;
  more: number;
  /** Whether the owner is in the scene (a label is drawn only with its item). */
  shown: boolean;
  text: string;
}

export class SideScene {
  #geometry: LaneGeometry = laneGeometry(300);
  #heightPx = 300;
  #scale = 1;
  #axis: () => TimeAxis;
  #items = new Map<number, SceneItem>();
  #placer = new LabelPlacer();
  /** Where each item's label went (placed once, when first drawn, so labels never move). */
  #placed = new Map<number, { y: number; owner: number }>();
  #labels = new Map<number, LabelState>();
  #top = 0;
  #ticks: SceneTick[] = [];
  #folds: SceneFold[] = [];
  /** Bumped by every change, so a painter knows when there is nothing new to paint. */
  version = 0;
  /**
   * Bumped when items leave other than by scrolling away (a reset, a jump back in time): what a
   * painter kept of earlier frames is then stale.
   */
  epoch = 0;

  constructor(axis: () => TimeAxis) {
    this.#axis = axis;
  }

  /** A new size and scale: every item is dropped (the caller adds back what is in view). */
  reset(widthPx: number, heightPx: number, scale: number): void {
    this.#geometry = laneGeometry(widthPx);
    this.#heightPx = heightPx;
    this.#scale = scale;
    this.#items.clear();
    this.#placed.clear();
    this.#labels.clear();
    this.#placer.reset();
    this.#ticks = [];
    this.#folds = [];
    this.#top = Number.NaN;
    this.version++;
    this.epoch++;
  }

  get geometry(): LaneGeometry {
    return this.#geometry;
  }

  get height(): number {
    return this.#heightPx;
  }

  /** The content y at the top of the view. */
  get top(): number {
    return this.#top;
  }

  get items(): ReadonlyMap<number, SceneItem> {
    return this.#items;
  }

  get ticks(): readonly SceneTick[] {
    return this.#ticks;
  }

  get folds(): readonly SceneFold[] {
    return this.#folds;
  }

  /**
   * The labels of the items in the scene, in no particular order. Walks the scene's items, a
   * screenful, not every label placed so far: placements are kept for the whole recording (so
   * a label looks the same when its item scrolls back in), and this runs in every frame.
   */
  *labels(): Generator<SceneLabel> {
    for (const owner of this.#items.keys()) {
      const state = this.#labels.get(owner);
      if (!state?.shown) continue;
      const placed = this.#placed.get(owner)!;
      yield { owner, x: this.#geometry.labelX, y: placed.y, text: state.text };
    }
  }

  y(t: number): number {
    return this.#axis().y(t) * this.#scale;
  }

  #topFor(now: number): number {
    return Math.round((this.y(now) - (this.#heightPx - HEAD_PX - 6)) * 4) / 4;
  }

  /** The visible window's earliest time for `now`. */
  windowStart(now: number): number {
    return this.#axis().timeAt((this.#topFor(now) + HEAD_PX) / this.#scale);
  }

  /**
   * Moves the window so `now` sits at the bottom (where the page draws the "now" line), and
   * places the time labels and folded stretches. A window that did not move by a quarter pixel
   * changes nothing.
   */
  moveTo(now: number): void {
    const top = this.#topFor(now);
    if (top === this.#top) return;
    this.#top = top;
    this.version++;
    const from = this.windowStart(now);
    const axis = this.#axis();
    this.#ticks = [];
    let lastY = -Infinity;
    for (const stretch of axis.linear(from, now)) {
      for (const t of ticks(stretch.t0, stretch.t1, this.#scale)) {
        const ty = this.y(t);
        if (ty - lastY < TICK_GAP_PX || t > now) continue;
        this.#ticks.push({ y: ty, text: formatStageTime(t) });
        lastY = ty;
      }
    }
    this.#folds = axis
      .folds(from, now)
      .slice(-MAX_FOLDS)
      .map((stretch) => {
        const end = Math.min(stretch.t1, now);
        const y0 = this.y(stretch.t0);
        const y1 = this.y(Math.max(stretch.t0, end));
        return { y0, y1, text: y1 - y0 >= 14 ? `⋯ ${formatStageTime(end - stretch.t0)}` : "" };
      });
  }

  /** Adds an item as of display time `now`; null if it is already in or has not left yet. */
  add(item: StageItem, now: number): SceneItem | null {
    if (this.#items.has(item.id) || item.departAt > now) return null;
    const g = this.#geometry;
    const toServer = item.from === "client";
    const x1 = toServer ? g.clientX : g.serverX;
    const lost = item.arriveAt === null;
    const x2full = toServer ? g.serverX : g.clientX;
    const y1 = this.y(item.departAt);
    const y2 = this.y(item.arriveAt ?? item.departAt + 1);
    const scene: SceneItem = {
      id: item.id,
      from: item.from,
      kind: item.kind,
      lost,
      source: item,
      x1,
      y1,
      x2: lost ? (x1 + x2full) / 2 : x2full,
      y2,
      progress: 0,
    };
    this.#items.set(item.id, scene);
    this.#placeLabel(item, y1, y2);
    this.version++;
    return scene;
  }

  setProgress(id: number, progress: number): void {
    const item = this.#items.get(id);
    if (!item || item.progress === progress) return;
    item.progress = progress;
    this.version++;
  }

  remove(id: number): void {
    if (!this.#items.delete(id)) return;
    const label = this.#labels.get(id);
    if (label) label.shown = false;
    this.version++;
  }

  /** Removes every item whose trip ended before `from`. */
  removeBefore(from: number, lookup: (id: number) => StageItem | undefined): void {
    for (const id of [...this.#items.keys()]) {
      const item = lookup(id);
      if (!item || (item.arriveAt ?? item.departAt) < from) this.remove(id);
    }
  }

  clearItems(): void {
    for (const id of [...this.#items.keys()]) this.remove(id);
    this.epoch++;
  }

  /** The item whose arrow passes within `radius` px of a content point (for the tooltip). */
  hit(x: number, y: number, radius = 6): SceneItem | null {
    let best: SceneItem | null = null;
    let bestDistance = radius;
    for (const item of this.#items.values()) {
      const tip = markerAt(item);
      const distance = distanceToSegment(x, y, item.x1, item.y1, tip.x, tip.y);
      if (distance <= bestDistance) {
        best = item;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Places the item's label, or joins it to a neighbour's ("+N more"); placed once, never moved. */
  #placeLabel(item: StageItem, y1: number, y2: number): void {
    const g = this.#geometry;
    let placed = this.#placed.get(item.id);
    if (!placed) {
      const spot = this.#placer.place(item.id, y1, y2, item.from === "client");
      placed = { y: spot.y, owner: spot.joined ?? item.id };
      this.#placed.set(item.id, placed);
      if (spot.joined === null) {
        this.#labels.set(item.id, {
          first: item,
          more: 0,
          shown: false,
          text: `${truncate(item.label, Math.max(4, g.labelChars - 8))} ${formatCount(item.bytes)} B`,
        });
      } else {
        const owner = this.#labels.get(spot.joined);
        if (owner) {
          owner.more++;
          owner.text = joinedLabel(owner.first.label, owner.first.bytes, owner.more, g.labelChars);
        }
      }
    }
    if (placed.owner === item.id) this.#labels.get(item.id)!.shown = true;
  }
}

export function distanceToSegment(px: number, py: number, x1: number, y1: number, x2: number, y2: number): number {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x1) * dx + (py - y1) * dy) / length2));
  return Math.hypot(px - (x1 + t * dx), py - (y1 + t * dy));
}
