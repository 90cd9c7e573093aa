// <sp-wire-stage>: the reader's real WebSocket (left) beside the same conversation over HTTP
// (right, simulated), on one clock, following time. The specimen connection runs on the echo
// connection machine through the wire tap; the stage's clock runs on the wire stage player
// machine; the conversation is a StageSession (pure); each side is a SideView (its scene, pure,
// painted on a canvas).
//
// Per tap event the work is the frames it completes (an entry in a scene each). Per animation
// frame it is the visible window: move it, add what entered it, drop what left, move the markers
// in flight, and paint the two canvases if anything changed. Nothing grows with the length of
// the session except the recording kept for links, which is bounded.
import { createActor } from "xstate";
import { echoConnectionMachine, readyStateOf, type EchoConnectionActor } from "../../machines/echo-connection.ts";
import { advanceLive, wireStagePlayerMachine, type WireStagePlayerActor } from "../../machines/wire-stage-player.ts";
import type { TapCommand, TapEvent } from "../../protocol/tap-events.ts";
import { afterNextFrame } from "../shared/after-next-frame.ts";
import { writeDeepLink } from "../shared/deep-link.ts";
import { FlightAnimator } from "../shared/flight.ts";
import { setAttr, setData, setFlag, setText } from "../shared/dom-writes.ts";
import { createTappedSocket, type TappedSocket } from "../shared/tapped-socket.ts";
import { readPalette } from "../shared/canvas-paint.ts";
import { onThemeChange } from "../shared/theme-change.ts";
import { SideView, type SideSnapshot } from "./side-view.ts";
import {
  decodeRecording,
  encodeRecording,
  hashFor,
  recordingFromHash,
  recordingFromJson,
  recordingToJson,
  STORAGE_KEY,
  stepFromHash,
  type StageRecording,
} from "./stage-link.ts";
import { formatBytes, formatStageTime, type StageItem, type StageSide } from "./stage-items.ts";
import { pxPerMs, windowMs } from "./stage-layout.ts";
import { TimeAxis } from "./time-axis.ts";
import {
  DELIVERS_PUSHES,
  isHttpModel,
  POSTS_MESSAGES,
  replaySession,
  StageSession,
  type HttpModel,
  type StageSettings,
} from "./stage-session.ts";

const MAX_TRANSCRIPT_ROWS = 300;
const ANNOUNCE_EVERY_MS = 1500;
const REDUCED_MOTION_JUMP_MS = 3000;
/** The most simulated time (ms) one task runs the HTTP side on when catching up (see #advanceAfterFrame). */
const CATCH_UP_SPAN_MS = 10_000;
/** At most this often (ms) is a frame drawn: 20 a second moves a dot smoothly enough, and each frame's repaint is the costly part. */
const FRAME_MS = 48;
/** While paused, the live edge is still recorded, a few times a second. */
const PAUSED_TICK_MS = 250;
/**
 * While live, the scrubber, the position text and the totals are refreshed this often (ms): each
 * refresh lays out the page around them again, and a number read once a second reads as well.
 */
const STATUS_EVERY_MS = 1000;
const SIDES: readonly StageSide[] = ["ws", "http"];
const PUSH_TEXTS = [
  "Score: 1–0",
  "New message from Ada",
  "Price changed: 42.10",
  "Build finished",
  "Someone joined the room",
];

const commands: Record<string, () => TapCommand> = {
  burst: () => ({ cmd: "burst", count: 5 }),
  ping: () => ({ cmd: "ping", payload: "Are you there?" }),
};

function part<T extends Element = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-wire-stage is missing its "${name}" part`);
  return found;
}

/** How far the live edge trails the lab's clock, so tap events arrive before their moment is drawn. */
const TAP_PLAYOUT_DELAY_MS = 150;

const stat = (mean: number | null, max: number | null, count: number): string =>
  mean === null || max === null ? "—" : `${formatStageTime(mean)} mean, ${formatStageTime(max)} worst (${count})`;

export default class WireStageElement extends HTMLElement {
  #abort = new AbortController();
  #tapped: TappedSocket | null = null;
  #connection: EchoConnectionActor | null = null;
  #player: WireStagePlayerActor | null = null;
  #session: StageSession | null = null;
  #views: Record<StageSide, SideView> | null = null;
  #animator: FlightAnimator | null = null;
  #frame = 0;
  /** A wait before asking for the next animation frame (see #tick). */
  #frameWait: ReturnType<typeof setTimeout> | null = null;
  #lastFrameAt = 0;
  #clockOffset = -Infinity;
  #frozenLive: number | null = null;
  #visible = true;
  #reducedMotion: MediaQueryList | null = null;
  #resize: ResizeObserver | null = null;
  #intersection: IntersectionObserver | null = null;
  #widths: Record<StageSide, number> = { ws: 0, http: 0 };
  #drawnUpTo = -1;
  #lastAnnounceAt = 0;
  #pendingAnnouncement = "";
  #pushCount = 0;
  #recorded = false;
  #hashTimer: ReturnType<typeof setTimeout> | null = null;
  #linkedStep: number | null = null;
  #itemsAtLastJump = 0;
  #pendingTranscript: StageItem[] = [];
  #totalsDirty = false;
  #controlsOpen: boolean | null = null;
  #scale = 1;
  #lastPainted: number | null = null;
  #lastPaintLabel = "";
  #lastJumpAt = 0;
  #lastScrubUpdate = 0;
  #lastTotalsAt = -Infinity;
  /** Work held for a task of its own after the frame being drawn, by kind (see #afterFrame). */
  #afterFrameWork = new Map<string, () => void>();
  #afterFrameTask: ReturnType<typeof setTimeout> | null = null;
  /** Text was written after the last frame: the next frame lays it out and draws no diagram (see #tick). */
  #textFrame = false;
  /** Cancels the pending allocation of a canvas layer (see #prepareLayers). */
  #layerPrep: (() => void) | null = null;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    // A link to a step is read before anything renders: a live render would clear the address.
    const linked = stepFromHash(location.hash);
    this.#recorded = linked !== null;
    this.#reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
    this.#animator = new FlightAnimator({
      now: () => this.#displayTime(),
      reducedMotion: () => this.#stepwise(),
      driven: true,
    });
    const axis = (): TimeAxis => this.#session?.axis ?? new TimeAxis();
    const palette = readPalette(this);
    const views = {
      ws: new SideView(part<HTMLCanvasElement>(this, "diagram-ws"), this.#animator, axis, palette),
      http: new SideView(part<HTMLCanvasElement>(this, "diagram-http"), this.#animator, axis, palette),
    };
    this.#views = views;
    // The canvases are painted with the theme's colours: a new theme paints them again.
    const repaint = (): void => {
      const next = readPalette(this);
      for (const side of SIDES) views[side].setPalette(next);
    };
    onThemeChange(repaint, signal);
    const player = createActor(wireStagePlayerMachine, {
      input: { speed: Number(part<HTMLSelectElement>(this, "speed").value), stepwise: this.#reducedMotion.matches },
    });
    player.subscribe(() => this.#renderPlayer());
    player.start();
    this.#player = player;
    this.#reducedMotion.addEventListener(
      "change",
      () => player.send({ type: "motion.set", stepwise: this.#stepwise() }),
      { signal },
    );

    this.#startConnection();
    this.#wireControls(signal);
    part(this, "transcript-panel").addEventListener("toggle", () => this.#writeTranscript(), { signal });
    this.#resize = new ResizeObserver(() => this.#measure());
    for (const side of SIDES) this.#resize.observe(part(this, `side-${side}`));
    this.#intersection = new IntersectionObserver((entries) => {
      this.#visible = entries.some((e) => e.isIntersecting);
      if (this.#visible) this.#schedule();
    });
    this.#intersection.observe(this);
    document.addEventListener("visibilitychange", () => this.#schedule(), { signal });

    // The first session, its first paint and the connection follow in a task of their own: with
    // the setting up above, they made one task of 80 ms and more on a first visit.
    const begin = setTimeout(() => {
      part(this, "loading-note").hidden = true;
      this.toggleAttribute("data-ready", true);
      this.#newSession();
      this.#measure();
      void this.#openFromLinkOrConnect(linked);
    }, 0);
    signal.addEventListener("abort", () => clearTimeout(begin));
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    if (this.#frameWait) clearTimeout(this.#frameWait);
    this.#frameWait = null;
    if (this.#afterFrameTask) clearTimeout(this.#afterFrameTask);
    this.#afterFrameTask = null;
    this.#layerPrep?.();
    this.#layerPrep = null;
    this.#resize?.disconnect();
    this.#intersection?.disconnect();
    this.#animator?.clear();
    this.#session?.stop();
    this.#connection?.stop();
    this.#player?.stop();
    this.#tapped?.dispose();
    if (this.#hashTimer) clearTimeout(this.#hashTimer);
  }

  // ── settings ───────────────────────────────────────────────────────────────

  #settings(): StageSettings {
    const chosen = part<HTMLSelectElement>(this, "http").value;
    const http: HttpModel = isHttpModel(chosen) ? chosen : "request-response";
    return {
      http,
      rttMs: Number(part<HTMLSelectElement>(this, "rtt").value),
      pollIntervalMs: Number(part<HTMLSelectElement>(this, "interval").value),
    };
  }

  #stepwise(): boolean {
    return this.#reducedMotion?.matches ?? false;
  }

  #newSession(events: readonly TapEvent[] = []): void {
    this.#session?.stop();
    const settings = this.#settings();
    this.#session = events.length > 0 ? replaySession(settings, events) : new StageSession(settings);
    this.#player?.send({ type: "session.started" });
    part(this, "interval-field").hidden = !(settings.http === "short-polling" || settings.http === "polling-chat");
    part(this, "http-model-note").textContent = modelNote(settings.http);
    part(this, "http-caption").textContent =
      `The same conversation over HTTP (simulated, round trip ${settings.rttMs} ms)`;
    part(this, "ws-caption").textContent = `Your WebSocket (real bytes, drawn on a ${settings.rttMs} ms round trip)`;
    part(this, "transcript").replaceChildren();
    this.#drawnUpTo = -1;
    this.#layout();
    const replayed = [...this.#session.items.ws, ...this.#session.items.http].sort((a, b) => a.id - b.id);
    this.#pendingTranscript = replayed.slice(-MAX_TRANSCRIPT_ROWS);
    this.#writeTranscript();
    this.#renderTotals();
  }

  #measure(): void {
    for (const side of SIDES) this.#widths[side] = part(this, `side-${side}`).clientWidth;
    this.#layout();
  }

  #layout(): void {
    if (!this.#views || !this.#session) return;
    const settings = this.#session.settings;
    const interval =
      settings.http === "short-polling" || settings.http === "polling-chat" ? settings.pollIntervalMs : null;
    const heightPx = part(this, "side-ws").dataset.height === "short" || this.#widths.ws < 360 ? 260 : 340;
    const scale = pxPerMs(windowMs(settings.rttMs / 2, interval), heightPx);
    this.#scale = scale;
    this.#lastPainted = null;
    this.#animator?.clear();
    for (const side of SIDES) this.#views[side].reset(this.#widths[side] || 300, heightPx, scale);
    this.#paint(true);
    this.#prepareLayers();
  }

  /**
   * Allocates the canvases' off-screen layers one at a time, each in a task of its own after a
   * frame, so the frame that first draws into them does not pay for all four at once.
   */
  #prepareLayers(): void {
    if (this.#layerPrep) return;
    const next = (): void => {
      this.#layerPrep = null;
      const views = this.#views;
      // `some` stops at the first side that had a layer left to allocate.
      if (views && SIDES.some((side) => views[side].prepareLayer())) this.#layerPrep = afterNextFrame(next);
    };
    this.#layerPrep = afterNextFrame(next);
  }

  // ── the connection ─────────────────────────────────────────────────────────

  #startConnection(): void {
    this.#tapped = createTappedSocket({
      onEvent: (event) => this.#onTap(event),
      onProblem: (message) => this.#setProblem(message),
    });
    const actor = createActor(echoConnectionMachine.provide({ actors: { socket: this.#tapped.actor } }), {
      input: { url: "/lab/echo", logLimit: 0 },
    });
    actor.subscribe(() => this.#renderConnection());
    actor.start();
    this.#connection = actor;
  }

  #connect(): void {
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    if (state !== null && state !== "CLOSED") return;
    this.#setProblem("");
    this.#frozenLive = null;
    this.#connection?.send({ type: "connect.requested", at: performance.now() });
  }

  #onTap(event: TapEvent): void {
    if (this.#recorded) return;
    if ("t" in event)
      this.#clockOffset = Math.max(this.#clockOffset, event.t - (performance.timeOrigin + performance.now()));
    if (event.type === "open") {
      // A new connection is a new conversation: the stage starts over, live.
      this.#frozenLive = null;
      this.#newSession();
    }
    const session = this.#session;
    if (!session) return;
    const change = session.pushTap(event);
    for (const note of change.notes) this.#setProblem(note);
    // Drawn in the next frame with everything else that changed, so a burst of events costs
    // one repaint, not one per event.
    for (const item of change.items) {
      this.#pendingTranscript.push(item);
      if (item.side === "ws" && item.kind === "data") this.#announce(item);
    }
    this.#totalsDirty = true;
    this.#schedule();
  }

  /**
   * The live edge: the lab's clock, read on this page, less a short playout delay. A tap event
   * reaches the page some milliseconds after the lab saw it; without the delay the simulation
   * would already have run past the moment the event names and would have to start the HTTP
   * request late (so a link reopening the same events would show other moments), and a
   * frame would appear already part-way across.
   */
  #liveTime(): number {
    if (this.#frozenLive !== null) return this.#frozenLive;
    const now =
      performance.timeOrigin + performance.now() + (Number.isFinite(this.#clockOffset) ? this.#clockOffset : 0);
    return Math.max(0, (this.#session?.stageTimeAt(now) ?? 0) - TAP_PLAYOUT_DELAY_MS);
  }

  // ── controls ───────────────────────────────────────────────────────────────

  #wireControls(signal: AbortSignal): void {
    part(this, "connect").addEventListener("click", () => (this.#recorded ? this.#goLive() : this.#connect()), {
      signal,
    });
    part<HTMLFormElement>(this, "send-form").addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
        const text = part<HTMLInputElement>(this, "message").value;
        if (text === "") return;
        const data = submitter?.value === "binary" ? new TextEncoder().encode(text) : text;
        this.#connection?.send({ type: "message.send", data, at: performance.now() });
      },
      { signal },
    );
    this.querySelector("[data-action=push]")?.addEventListener(
      "click",
      () => {
        this.#tapped?.monitor()?.command({ cmd: "push", text: PUSH_TEXTS[this.#pushCount++ % PUSH_TEXTS.length]! });
      },
      { signal },
    );
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-command]")) {
      button.addEventListener(
        "click",
        () => {
          const make = commands[button.dataset.command ?? ""];
          if (make) this.#tapped?.monitor()?.command(make());
        },
        { signal },
      );
    }
    for (const name of ["http", "rtt", "interval"]) {
      part(this, name).addEventListener("change", () => this.#newSession(this.#session?.events ?? []), { signal });
    }
    part(this, "speed").addEventListener(
      "change",
      () => this.#player?.send({ type: "speed.set", speed: Number(part<HTMLSelectElement>(this, "speed").value) }),
      { signal },
    );
    part(this, "pause").addEventListener(
      "click",
      () => {
        const paused = this.#player?.getSnapshot().matches("paused");
        if (paused && this.#recorded) return;
        this.#player?.send({ type: paused ? "view.live" : "view.pause" });
      },
      { signal },
    );
    part(this, "previous").addEventListener("click", () => this.#step(-1), { signal });
    part(this, "next").addEventListener("click", () => this.#step(1), { signal });
    part<HTMLInputElement>(this, "scrub").addEventListener(
      "input",
      (event) => {
        this.#player?.send({ type: "seek", time: Number((event.target as HTMLInputElement).value) });
      },
      { signal },
    );
    this.addEventListener(
      "keydown",
      (event) => {
        if ((event.target as HTMLElement).closest("input, select, textarea")) return;
        if (event.key === "ArrowRight") this.#step(1);
        else if (event.key === "ArrowLeft") this.#step(-1);
        else if (event.key === "End" && !this.#recorded) this.#player?.send({ type: "view.live" });
        else return;
        event.preventDefault();
      },
      { signal },
    );
    window.addEventListener(
      "hashchange",
      () => {
        const step = stepFromHash(location.hash);
        if (step !== null && this.#session)
          this.#player?.send({ type: "step.to", time: this.#session.moments.timeOf(step) });
      },
      { signal },
    );
  }

  #step(direction: 1 | -1): void {
    const session = this.#session;
    const player = this.#player?.getSnapshot();
    if (!session || !player) return;
    const now = player.context.time;
    const target = direction > 0 ? session.moments.after(now) : session.moments.before(now);
    if (target === null) return;
    if (direction > 0 && target > player.context.liveTime) return;
    this.#player?.send({ type: "step.to", time: target });
  }

  // ── drawing ────────────────────────────────────────────────────────────────

  #displayTime(): number {
    return this.#player?.getSnapshot().context.time ?? 0;
  }

  #schedule(): void {
    if (this.#frame !== 0 || this.#frameWait !== null || !this.#visible || document.hidden) return;
    this.#lastFrameAt = performance.now();
    this.#frame = requestAnimationFrame((at) => this.#tick(at));
  }

  #tick(at: number): void {
    this.#frame = 0;
    const session = this.#session;
    const player = this.#player;
    if (!session || !player) return;
    const live = this.#liveTime();
    const elapsed = Math.min(250, Math.max(0, at - this.#lastFrameAt));
    // A frame that lays out text just written (the status, the totals) draws no diagram: drawn
    // together, the two costs added up to a long task; the diagram moves a frame later instead.
    const textFrame = this.#textFrame;
    this.#textFrame = false;
    if (elapsed >= FRAME_MS && !textFrame) {
      this.#flushText();
      const busy = (this.#animator?.active ?? 0) > 0;
      if (this.#viewWouldMove(live, elapsed, busy, at)) {
        this.#lastFrameAt = at;
        player.send({ type: "clock.tick", liveTime: live, elapsedMs: elapsed, busy });
      }
      this.#advanceAfterFrame();
    }
    const busy = (this.#animator?.active ?? 0) > 0;
    const open = readyStateOf(this.#connection?.getSnapshot().value) === "OPEN";
    if (this.#visible && !document.hidden && (open || player.getSnapshot().matches("live") || busy || textFrame)) {
      // Frames are drawn at most every FRAME_MS: the screen's frames in between would only run
      // the page's rendering steps for nothing, so the next frame is asked for when it is due.
      const wait = FRAME_MS - (performance.now() - this.#lastFrameAt) - 10;
      if (wait <= 0) this.#frame = requestAnimationFrame((next) => this.#tick(next));
      else {
        this.#frameWait = setTimeout(() => {
          this.#frameWait = null;
          this.#frame = requestAnimationFrame((next) => this.#tick(next));
        }, wait);
      }
    }
  }

  /**
   * Runs the HTTP simulation up to the live edge in a task of its own, after the frame: it takes
   * a few milliseconds (more when a poll or a retransmission comes due), and inside the frame it
   * was added to the frame's drawing. What it makes is drawn in the next frame, well within the
   * playout delay the live edge already trails by.
   */
  #advanceAfterFrame(): void {
    this.#afterFrame("advance", true, () => {
      const session = this.#session;
      if (!session) return;
      const live = this.#liveTime();
      // Back on screen after minutes away (nothing runs while the stage is off screen), the
      // simulation catches up CATCH_UP_SPAN_MS at a time, each part in a task of its own: ten
      // minutes of polling once a second were 160 ms in one task unthrottled.
      const fresh = session.advance(live, CATCH_UP_SPAN_MS);
      if (session.simulatedTo < live) this.#advanceAfterFrame();
      if (fresh.length === 0) return;
      this.#pendingTranscript.push(...fresh);
      this.#totalsDirty = true;
      this.#schedule();
    });
  }

  /**
   * Whether a frame would change what the reader sees. Repainting the diagrams is the costly
   * part of a frame, so a frame is drawn only when the view would move by a pixel or more,
   * something is in flight, or something new arrived; a quiet, folded stretch then costs a few
   * frames a second instead of sixty. With reduced motion the view jumps to now only when
   * something new happened (or every few seconds, so the clock still reads true).
   */
  #viewWouldMove(live: number, elapsed: number, busy: boolean, at: number): boolean {
    const player = this.#player!.getSnapshot();
    const session = this.#session!;
    if (!player.matches("live")) return at - this.#lastFrameAt > PAUSED_TICK_MS;
    const itemCount = session.items.ws.length + session.items.http.length;
    const arrived = itemCount !== this.#itemsAtLastJump;
    this.#itemsAtLastJump = itemCount;
    if (this.#stepwise()) {
      const due = arrived || at - this.#lastJumpAt > REDUCED_MOTION_JUMP_MS;
      if (due) this.#lastJumpAt = at;
      return due;
    }
    if (busy || arrived) return true;
    const next = advanceLive(player.context, live, elapsed, busy);
    return Math.abs(session.axis.y(next) - session.axis.y(player.context.time)) * this.#scale >= 1;
  }

  /** Brings both sides to the display time: moves the window, adds and drops items. */
  #paint(full: boolean): void {
    const session = this.#session;
    const views = this.#views;
    if (!session || !views) return;
    const now = this.#displayTime();
    const label = this.#player?.getSnapshot().matches("live") ? "now" : formatStageTime(now);
    if (!full && now === this.#lastPainted && label === this.#lastPaintLabel) return;
    this.#lastPainted = now;
    if (label !== this.#lastPaintLabel) {
      this.#lastPaintLabel = label;
      for (const side of SIDES) part(this, `now-${side}`).textContent = label;
    }
    const movedBack = now < this.#drawnUpTo;
    if (full || movedBack) {
      this.#animator?.clear();
      for (const side of SIDES) views[side].clearItems();
    }
    for (const side of SIDES) {
      const view = views[side];
      view.moveTo(now);
      const from = view.windowStart(now);
      const [lo, hi] = session.windowRange(side, from, now);
      const list = session.items[side];
      for (let i = lo; i < hi; i++) view.draw(list[i]!, now);
      if (view.drawnCount > hi - lo) {
        const byId = new Map<number, StageItem>();
        for (let i = lo; i < hi; i++) byId.set(list[i]!.id, list[i]!);
        view.removeBefore(from, (id) => byId.get(id));
      }
    }
    this.#animator?.update();
    for (const side of SIDES) views[side].render();
    this.#drawnUpTo = now;
  }

  /** What each side shows now, as data (the browser tests read the canvases through this). */
  scene(side: StageSide): SideSnapshot | null {
    return this.#views?.[side].snapshot() ?? null;
  }

  #renderPlayer(): void {
    const snapshot = this.#player?.getSnapshot();
    const session = this.#session;
    if (!snapshot || !session) return;
    const live = snapshot.matches("live");
    const { time, liveTime } = snapshot.context;
    this.#paint(false);
    const step = session.moments.indexAt(time);
    const performanceNow = performance.now();
    const statusDue = !live || performanceNow - this.#lastScrubUpdate > STATUS_EVERY_MS;
    setData(this, "mode", live ? "live" : "paused");
    // Attributes on the element invalidate its styles: while live, the time is written a few times a second.
    if (statusDue) this.#afterFrame("time", live, () => setData(this, "time", time.toFixed(1)));
    setData(this, "step", String(step));
    const pause = part<HTMLButtonElement>(this, "pause");
    setText(pause, live ? "Pause" : this.#recorded ? "Recorded session" : "Back to live");
    setAttr(pause, "aria-pressed", String(!live));
    // Written only when they change (this runs in every frame).
    setFlag(pause, "disabled", !live && this.#recorded);
    const previous = part<HTMLButtonElement>(this, "previous");
    const nextButton = part<HTMLButtonElement>(this, "next");
    setFlag(previous, "disabled", session.moments.before(time) === null);
    const next = session.moments.after(time);
    setFlag(nextButton, "disabled", next === null || next > liveTime);
    // A step button that disables itself under the keyboard focus would drop the focus to the
    // page, and the arrow keys would stop stepping: hand the focus to its partner instead.
    const focused = document.activeElement;
    if ((focused === previous || focused === nextButton) && (focused as HTMLButtonElement).disabled) {
      const partner = focused === previous ? nextButton : previous;
      (partner.disabled ? pause : partner).focus();
    }
    if (statusDue) {
      this.#lastScrubUpdate = performanceNow;
      this.#afterFrame("status", live, () => this.#writeStatus(live, time, liveTime, step));
    }
    this.#syncHash(live, step);
  }

  /** The scrubber and the position text. */
  #writeStatus(live: boolean, time: number, liveTime: number, step: number): void {
    const session = this.#session;
    if (!session) return;
    const scrub = part<HTMLInputElement>(this, "scrub");
    scrub.max = String(Math.max(1, Math.ceil(liveTime)));
    scrub.value = String(Math.round(time));
    scrub.setAttribute("aria-valuetext", `${formatStageTime(time)} of ${formatStageTime(liveTime)}`);
    setText(
      part(this, "position"),
      live
        ? `Live · ${formatStageTime(time)}${liveTime - time > 50 ? ` (catching up, ${formatStageTime(liveTime - time)} behind)` : ""}`
        : `${this.#recorded ? "Recorded session" : "Paused"} at ${formatStageTime(time)} · step ${step} of ${session.moments.length}`,
    );
  }

  #renderConnection(): void {
    const snapshot = this.#connection?.getSnapshot();
    if (!snapshot) return;
    const state = readyStateOf(snapshot.value);
    // Runs for every message sent or received: write only what changed.
    setData(this, "state", state ?? "none");
    setText(part(this, "state"), this.#recorded ? "recording" : (state ?? "not connected"));
    const open = state === "OPEN" && !this.#recorded;
    const connect = part<HTMLButtonElement>(this, "connect");
    const connectDisabled = !this.#recorded && (open || state === "CONNECTING" || state === "CLOSING");
    if (connect.disabled !== connectDisabled) connect.disabled = connectDisabled;
    setText(connect, this.#recorded ? "Go live" : snapshot.context.connection > 0 ? "Reconnect" : "Connect");
    if (open !== this.#controlsOpen) {
      this.#controlsOpen = open;
      for (const control of this.querySelectorAll<HTMLButtonElement>("[data-needs-open]")) control.disabled = !open;
    }
    if (state === "CLOSED" && this.#frozenLive === null && this.#session?.started)
      this.#frozenLive = this.#liveTime() + TAP_PLAYOUT_DELAY_MS + this.#session.settings.rttMs;
    this.#schedule();
  }

  #renderTotals(): void {
    const session = this.#session;
    if (!session) return;
    const ws = session.wsTotals();
    const http = session.httpTotals();
    const echo = session.httpEcho();
    const model = session.settings.http;
    const set = (name: string, text: string): void => setText(part(this, name), text);
    set(
      "ws-count",
      `${ws.messages} message${ws.messages === 1 ? "" : "s"} in ${ws.frames} frame${ws.frames === 1 ? "" : "s"}`,
    );
    set(
      "http-count",
      `${http.requests} request${http.requests === 1 ? "" : "s"} (${http.messages} messages and TCP segments)`,
    );
    set("ws-bytes", formatBytes(ws.bytes));
    set("http-bytes", formatBytes(http.bytes));
    set(
      "ws-headers",
      `${formatBytes(ws.headerBytes)} (${formatBytes(ws.handshakeBytes)} handshake, ${formatBytes(ws.headerBytes - ws.handshakeBytes)} frame headers)`,
    );
    set("http-headers", formatBytes(http.headerBytes));
    set("ws-connections", ws.bytes > 0 ? "1 (upgraded once)" : "0");
    set("http-connections", String(http.tcpConnections));
    set("ws-echo", stat(ws.echo.mean, ws.echo.max, ws.echo.count));
    set(
      "http-echo",
      POSTS_MESSAGES[model] ? stat(echo.mean, echo.max, echo.count) : "not sent (this model only fetches)",
    );
    set("ws-delivery", stat(ws.delivery.mean, ws.delivery.max, ws.delivery.count));
    set(
      "http-delivery",
      DELIVERS_PUSHES[model]
        ? stat(http.meanDeliveryMs, http.maxDeliveryMs, http.delivered)
        : "cannot: HTTP only answers",
    );
    setData(this, "realMessages", String(ws.messages));
    setData(this, "httpRequests", String(http.requests));
    setData(this, "httpDelivered", String(http.delivered));
    setData(this, "wsItems", String(session.items.ws.length));
    setData(this, "httpItems", String(session.items.http.length));
    setData(this, "wsBytes", String(ws.bytes));
    setData(this, "httpBytes", String(http.bytes));
  }

  /**
   * Writes what events changed since the last frame: transcript rows, and the totals at most every
   * STATUS_EVERY_MS (a table laid out again with every frame was the costliest text on the page).
   */
  #flushText(): void {
    this.#writeTranscript();
    const now = performance.now();
    if (this.#totalsDirty && now - this.#lastTotalsAt >= STATUS_EVERY_MS) {
      this.#totalsDirty = false;
      this.#lastTotalsAt = now;
      this.#afterFrame("totals", true, () => this.#renderTotals());
    }
  }

  /**
   * Runs `work` in one task queued from the animation frame, after the frame is drawn; the latest
   * work of each kind replaces an earlier one still waiting. While live, the status texts (time,
   * scrubber, position, totals) are written this way: the frame draws the diagrams, and the next
   * one lays out and paints the text (together in one frame, the two made a long task about once
   * a second). Not deferred, the work runs at once: paused, the reader is waiting for it.
   */
  #afterFrame(kind: string, defer: boolean, work: () => void): void {
    if (!defer) {
      this.#afterFrameWork.delete(kind);
      work();
      return;
    }
    this.#afterFrameWork.set(kind, work);
    this.#afterFrameTask ??= setTimeout(() => {
      this.#afterFrameTask = null;
      const waiting = [...this.#afterFrameWork];
      this.#afterFrameWork.clear();
      for (const [kind, run] of waiting) {
        run();
        // Everything but the simulation's advance writes text.
        if (kind !== "advance") this.#textFrame = true;
      }
    }, 0);
  }

  /**
   * Writes the rows waiting for the transcript, while it is open. Closed, nobody can see or hear
   * it, and rows written into it would still have the page laid out again several times a second:
   * they wait (the newest MAX_TRANSCRIPT_ROWS of them) until the reader opens it.
   */
  #writeTranscript(): void {
    if (this.#pendingTranscript.length === 0) return;
    if (!part<HTMLDetailsElement>(this, "transcript-panel").open) {
      if (this.#pendingTranscript.length > 2 * MAX_TRANSCRIPT_ROWS)
        this.#pendingTranscript = this.#pendingTranscript.slice(-MAX_TRANSCRIPT_ROWS);
      return;
    }
    const items = this.#pendingTranscript.splice(0);
    for (const item of items.slice(-MAX_TRANSCRIPT_ROWS)) this.#transcribe(item);
  }

  #transcribe(item: StageItem): void {
    const list = part(this, "transcript");
    const row = document.createElement("li");
    row.textContent = item.full;
    row.className = `side-${item.side}`;
    list.append(row);
    while (list.childElementCount > MAX_TRANSCRIPT_ROWS) list.firstElementChild?.remove();
  }

  #announce(item: StageItem): void {
    const session = this.#session;
    if (!session) return;
    const http = session.httpTotals();
    this.#pendingAnnouncement = `${item.from === "client" ? "You sent" : "The lab sent"} ${item.label}, ${formatBytes(item.bytes)} on the wire. Over HTTP so far: ${http.requests} requests, ${formatBytes(http.bytes)}.`;
    const now = performance.now();
    if (now - this.#lastAnnounceAt < ANNOUNCE_EVERY_MS) return;
    this.#lastAnnounceAt = now;
    part(this, "announcer").textContent = this.#pendingAnnouncement;
  }

  #setProblem(message: string): void {
    const out = part(this, "problem");
    out.textContent = message;
    out.hidden = message === "";
  }

  // ── links and recordings ───────────────────────────────────────────────────

  #syncHash(live: boolean, step: number): void {
    if (live && !this.#recorded) {
      this.#linkedStep = null;
      if (stepFromHash(location.hash) !== null) writeDeepLink("");
      return;
    }
    // Clock ticks re-render many times a second while paused; only a new step rewrites the link.
    if (step === this.#linkedStep) return;
    this.#linkedStep = step;
    if (this.#recorded && stepFromHash(location.hash) === step) return;
    if (this.#hashTimer) clearTimeout(this.#hashTimer);
    this.#hashTimer = setTimeout(() => void this.#writeHash(step), 200);
  }

  async #writeHash(step: number): Promise<void> {
    const session = this.#session;
    if (!session || session.events.length === 0) return;
    if (!session.recordingComplete) {
      this.#setProblem("This session is too long to save or link; the step is still in the address for this page.");
    }
    const recording: StageRecording = { settings: session.settings, events: session.events };
    try {
      if (session.recordingComplete) localStorage.setItem(STORAGE_KEY, recordingToJson(recording));
    } catch {
      /* storage full or blocked: the link may still carry the recording */
    }
    const encoded = session.recordingComplete ? await encodeRecording(recording).catch(() => null) : null;
    if (this.#player?.getSnapshot().matches("live") && !this.#recorded) return;
    const hash = hashFor(step, encoded);
    // Followers get the step only: their own stage steps to it.
    writeDeepLink(hash, hashFor(step, null));
  }

  async #openFromLinkOrConnect(step: number | null): Promise<void> {
    if (step === null) return this.#connect();
    const encoded = recordingFromHash(location.hash);
    let read = encoded ? await decodeRecording(encoded) : null;
    if (!read) {
      let stored: string | null;
      try {
        stored = localStorage.getItem(STORAGE_KEY);
      } catch {
        stored = null; // storage blocked: as if nothing was saved
      }
      read = stored
        ? recordingFromJson(stored)
        : { ok: false, error: "this browser has no saved session for that link" };
    }
    if (!read.ok) {
      this.#recorded = false;
      writeDeepLink("");
      this.#setProblem(`The linked session could not be opened (${read.error}), so the stage starts a new one.`);
      this.#renderConnection();
      return this.#connect();
    }
    this.#openRecording(read.recording, step);
  }

  #openRecording(recording: StageRecording, step: number): void {
    this.#recorded = true;
    part<HTMLSelectElement>(this, "http").value = recording.settings.http;
    part<HTMLSelectElement>(this, "rtt").value = String(recording.settings.rttMs);
    part<HTMLSelectElement>(this, "interval").value = String(recording.settings.pollIntervalMs);
    this.#newSession(recording.events);
    const session = this.#session!;
    this.#player?.send({ type: "recording.opened", liveTime: session.end, time: session.moments.timeOf(step) });
    this.#setProblem(
      `Showing a recorded session at step ${step}. Step with the arrow keys or the buttons; press “Go live” to start your own connection.`,
    );
    this.#renderConnection();
    this.scrollIntoView({ block: "start" });
  }

  #goLive(): void {
    this.#recorded = false;
    writeDeepLink("");
    this.#setProblem("");
    this.#newSession();
    this.#player?.send({ type: "view.live" });
    this.#connect();
    this.#renderConnection();
  }
}

function modelNote(http: HttpModel): string {
  switch (http) {
    case "request-response":
      return "Each message you send is a POST; its echo comes back as the response. HTTP has no way to send the lab's unasked messages.";
    case "short-polling":
      return "The page asks “anything new?” on a schedule; each lab message waits for the next poll. Your own messages would be requests too; they are left out so you see what push costs.";
    case "long-polling":
      return "Each poll is held open until the lab has news, then answered; the page asks again at once. Your own messages are left out.";
    case "sse":
      return "One response that never ends (text/event-stream): each lab message is a chunk of it. Your own messages would need separate requests; they are left out.";
    case "polling-chat":
      return "A chat page over HTTP: your messages are POSTs on one connection, and what others write is fetched by polling on another.";
  }
}
