// <sp-frame-inspector>: the reader's own WebSocket, as the lab saw it. The specimen connection
// runs on the echo connection machine (through the wire tap); every tap event goes into the
// capture recorder machine; the views are drawn from a CaptureBuilder fed the first `cursor`
// events, so a live view, a paused step and a replayed file all render the same way.
//
// While the view follows the live connection, each new event is pushed onto the same builder and
// only what it added is drawn: new rows appended to the frame lane (bounded), the boundary grid of
// the direction that changed (from a bounded tail), the byte detail when the frame it shows
// changes. A new event therefore costs the same after thousands as after ten. Stepping back,
// loading a file or starting again rebuilds from the first event: that is the reader's action,
// not a cost paid per event.
import { createActor, type ActorRefFrom } from "xstate";
import {
  echoConnectionMachine,
  readyStateOf,
  type EchoConnectionActor,
  type ReadyStateName,
} from "../../machines/echo-connection.ts";
import { captureRecorderMachine } from "../../machines/capture-recorder.ts";
import { CaptureBuilder, type CapturedFrame, type CapturedMessage, type CaptureView } from "../../protocol/capture.ts";
import { dissectFrame, type FrameDissection } from "../../protocol/frame-dissect.ts";
import type { Direction, TapCommand, TapEvent } from "../../protocol/tap-events.ts";
import { tokenizeHttp, renderTokens } from "../shared/highlight-http.ts";
import { FlightAnimator } from "../shared/flight.ts";
import { checkAccept } from "./accept-check.ts";
import { renderBoundaryGrid } from "./boundary-grid.ts";
import { BoundaryTail } from "./boundary-tail.ts";
import { byteGridRows, renderByteGrid } from "../shared/byte-grid.ts";
import { byteNoteLines, fieldNoteLines } from "../shared/byte-notes.ts";
import { renderNoteLines } from "../shared/note-lines-view.ts";
import { frameFieldClass, renderUnmask } from "./unmask-table.ts";
import { describeEvent, describeFrame, formatMs } from "./describe-capture.ts";
import { bytesLabel } from "../shared/bytes-label.ts";
import { flightHint } from "./flight-pace.ts";
import { readPalette } from "../shared/canvas-paint.ts";
import { onThemeChange } from "../shared/theme-change.ts";
import { FrameLane, frameKey, MAX_SEQUENCE_ROWS, type LaneSnapshot } from "./frame-lane.ts";
import { earlierNote, planLog } from "./log-window.ts";
import { formatCount } from "../shared/format-count.ts";
import { pinToEnd } from "../shared/pin-to-end.ts";
import { Pacer } from "../shared/pacer.ts";
import { afterNextFrame } from "../shared/after-next-frame.ts";
import { keepChildren, setAttr, setData, setFlag, setText } from "../shared/dom-writes.ts";
import { parseRecording, serializeRecording } from "./recording-file.ts";
import { downloadBlob } from "../shared/download.ts";
import { hashForStep, stepFromHash } from "./step-link.ts";
import {
  atStartLine,
  inspectorLabels,
  inspectorMode,
  type InspectorMode,
  type ReplayOrigin,
} from "./inspector-mode.ts";
import { planLinkedStep, type LinkedSource } from "./linked-step.ts";
import { headEvents, summarizeRecording } from "./recording-summary.ts";
import { writeDeepLink } from "../shared/deep-link.ts";
import { createTappedSocket, type TappedSocket } from "../shared/tapped-socket.ts";
import { describeClose } from "../shared/describe-close.ts";
import { hideWatchToken } from "../shared/hide-watch-token.ts";

type Recorder = ActorRefFrom<typeof captureRecorderMachine>;

const STORAGE_KEY = "sp:inspector-recording";
const MAX_STORED_CHARS = 2 * 1024 * 1024;
const DIRECTIONS = ["in", "out"] as const;
/**
 * How often the paced views may be redrawn while frames arrive live: the byte views, and the
 * running text (the event count, the lane's count, the event log and its announcements).
 */
const PACED_VIEWS_EVERY_MS = 1000;
/**
 * How often the view is drawn at most while it follows the live connection. A message brings
 * several changes (the page's send, the frame the lab read, its echo, the page's receipt) a few
 * milliseconds apart; drawn as they come, each would cost the browser a whole frame of style,
 * layout and paint. Drawn together, five times a second, the lane still looks immediate and the
 * markers (painted in the lane's own frames) move on in between.
 */
const LIVE_DRAW_EVERY_MS = 200;

const commands: Record<string, TapCommand> = {
  ping: { cmd: "ping", payload: "Are you there?" },
  fragmented: { cmd: "fragmented", text: "A message sent in three fragments", parts: 3 },
  binary: { cmd: "binary", length: 300 },
  burst: { cmd: "burst", count: 5 },
  close: { cmd: "close", code: 4001, reason: "Closed by the lab on request" },
  drop: { cmd: "drop" },
};

/**
 * "Hold reads, then you send 5": the lab stops reading this connection for HELD_READS_MS, and once
 * it says so the page sends HELD_BURST messages into the pause, so the lab's next read holds them
 * all: several frames in one TCP read, from the page's side (RFC 9293 §2.2, RFC 6455 §5.2).
 */
const HELD_READS_MS = 800;
const HELD_BURST = 5;

/** Multi-frame messages among `messages[from…]`, by the frame they end with (RFC 6455 §5.4). */
function reassembledByLastFrame(messages: readonly CapturedMessage[], from: number): Map<string, CapturedMessage> {
  const byEnd = new Map<string, CapturedMessage>();
  for (let i = from; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.frames > 1) byEnd.set(`${m.dir}:${m.end}`, m);
  }
  return byEnd;
}

/** How far into the view's lists the inspector has drawn. */
interface Drawn {
  frames: number;
  chunks: number;
  messages: number;
}

export default class FrameInspectorElement extends HTMLElement {
  #abort = new AbortController();
  #tapped: TappedSocket | null = null;
  #connection: EchoConnectionActor | null = null;
  /** A "hold reads, then send" press waiting for the lab to say it stopped reading. */
  #heldBurstPending = false;
  #recorder: Recorder | null = null;
  #recorderSubscription: { unsubscribe(): void } | null = null;
  #parts = new Map<string, HTMLElement>();
  #needsOpen: (HTMLButtonElement | HTMLInputElement)[] = [];
  #reducedMotion: MediaQueryList | null = null;
  #animator: FlightAnimator | null = null;
  #lane: FrameLane | null = null;

  /** The recorder's log the builder was fed from, and whether the view followed it live. */
  #shownLog: readonly TapEvent[] | null = null;
  #followingLive = false;
  #builder = new CaptureBuilder();
  #drawn: Drawn = { frames: 0, chunks: 0, messages: 0 };
  #tails: Record<Direction, BoundaryTail> = { in: new BoundaryTail(), out: new BoundaryTail() };
  #handshakeKey = "";
  /** The frame the reader picked (by key), or null to show the newest. */
  #selected: string | null = null;
  #detailFrame: CapturedFrame | null = null;

  /** The event log lists events [#logFirst, #renderedLog): see log-window.ts. */
  #renderedLog = 0;
  #logFirst = 0;
  #currentLogItem: Element | null = null;
  /** Log rows that left the list, kept to be written again (at most as many as the list ever held). */
  readonly #spareLogRows: HTMLLIElement[] = [];
  #logOrigin: number | null = null;
  #persistTimer: ReturnType<typeof setTimeout> | null = null;
  #persistedStep = "";
  /** Draws of the live view, at most every LIVE_DRAW_EVERY_MS (see #scheduleRender). */
  #liveDraw = new Pacer(LIVE_DRAW_EVERY_MS, () => this.#render());
  #unpin: (() => void)[] = [];
  /** Views waiting for a calm moment while frames arrive live (see #renderPaced). */
  #pendingBoundaries = new Set<Direction>();
  #pendingDetail: CapturedFrame | null = null;
  #pendingStepLabel: string | null = null;
  #pendingLinkNote: string | null = null;
  #pendingLaneCount: string | null = null;
  #pendingLog: { events: readonly TapEvent[]; cursor: number } | null = null;
  #paced = new Pacer(PACED_VIEWS_EVERY_MS, () => this.#renderPacedInTurns());
  /** Cancels the paced views still waiting for their turn (see #renderPacedInTurns). */
  #cancelTurn: (() => void) | null = null;
  /**
   * Rows the byte grid keeps room for (16 and 8 bytes a row), while the view follows live: the
   * newest frame alternates between the page's and the lab's, often a row apart, and the views
   * under the grid would move up and down each time. The room grows with every frame that
   * arrives (not only the ones shown: the first frame shown is often the lab's short echo, and
   * the page's longer frame next to it would then push the views down), until the view starts
   * again; stepping and picking a frame are the reader's own moves and fit the frame shown.
   */
  #byteRoom = { wide: 0, narrow: 0 };
  #idPrefix = `fi-${Math.random().toString(36).slice(2, 8)}`;

  /** What is replayed, when a recording was loaded (a file, or the one kept for a link); null while this page's own connection is shown. */
  #replay: ReplayOrigin | null = null;
  /** A step asked for by a link (#inspector-step=N) that the recording does not have yet; see linked-step.ts. */
  #linked: number | null = null;
  /** What the live region last said about the link. */
  #linkNote = "";
  /** The mode last rendered (inspector-mode.ts): the live region's words at the start depend on it. */
  #mode: InspectorMode = { kind: "live" };

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#parts.clear();
    this.#needsOpen = [...this.querySelectorAll<HTMLButtonElement | HTMLInputElement>("[data-needs-open]")];
    this.#startMotion(signal);
    this.#startRecorder();
    this.#startConnection();

    this.#part<HTMLButtonElement>("connect").addEventListener("click", () => this.#connect(), { signal });
    this.#part<HTMLButtonElement>("close").addEventListener(
      "click",
      () =>
        this.#connection?.send({
          type: "close.requested",
          code: 1000,
          reason: "Closed from the inspector",
          at: performance.now(),
        }),
      { signal },
    );
    this.#part<HTMLFormElement>("send-form").addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
        const text = this.#part<HTMLInputElement>("message").value;
        const data = submitter?.value === "binary" ? new TextEncoder().encode(text) : text;
        this.#connection?.send({ type: "message.send", data, at: performance.now() });
      },
      { signal },
    );
    this.#part("held-burst").addEventListener(
      "click",
      () => {
        const monitor = this.#tapped?.monitor();
        if (!monitor) return;
        // The messages wait for the lab's word that it stopped reading: sent sooner, they could be read before the pause.
        this.#heldBurstPending = true;
        monitor.command({ cmd: "hold-reads", ms: HELD_READS_MS });
      },
      { signal },
    );
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-command]")) {
      button.addEventListener(
        "click",
        () => {
          const command = commands[button.dataset.command ?? ""];
          const monitor = this.#tapped?.monitor();
          if (command && monitor) monitor.command(command);
        },
        { signal },
      );
    }
    const step = (type: "step.next" | "step.previous" | "step.first" | "step.last") => () => {
      this.#takeOver();
      this.#recorder?.send({ type });
    };
    this.#part("first").addEventListener("click", step("step.first"), { signal });
    this.#part("previous").addEventListener("click", step("step.previous"), { signal });
    this.#part("next").addEventListener("click", step("step.next"), { signal });
    this.#part("last").addEventListener("click", step("step.last"), { signal });
    this.#part("pause").addEventListener(
      "click",
      () => {
        this.#takeOver();
        const state = this.#recorder?.getSnapshot().value;
        this.#recorder?.send({ type: state === "live" ? "view.pause" : "view.live" });
      },
      { signal },
    );
    this.#part("play").addEventListener(
      "click",
      () => {
        this.#takeOver();
        const state = this.#recorder?.getSnapshot().value;
        this.#recorder?.send({ type: state === "playing" ? "view.pause" : "view.play" });
      },
      { signal },
    );
    this.#part("go-live").addEventListener(
      "click",
      () => {
        this.#takeOver();
        writeDeepLink("");
        this.#startRecorder();
        this.#connect();
      },
      { signal },
    );
    this.#part("export").addEventListener("click", () => this.#export(), { signal });
    this.#part("export-pcapng").addEventListener("click", () => void this.#exportPcapng(), { signal });
    this.#part<HTMLInputElement>("load").addEventListener(
      "change",
      (event) => void this.#load(event.target as HTMLInputElement),
      { signal },
    );
    this.#part("sequence").addEventListener(
      "click",
      (event) => {
        const button = (event.target as HTMLElement).closest<HTMLButtonElement>("[data-frame]");
        if (button) this.#select(button);
      },
      { signal },
    );
    this.addEventListener("keydown", (event) => this.#onKey(event), { signal });
    // A deep link applied in place (a teacher's step reaching a student): go to that step of
    // whatever this inspector holds, the reader's own live recording included, or wait for it
    // and say why (see #followLink).
    window.addEventListener(
      "hashchange",
      () => {
        const step = stepFromHash(location.hash);
        if (step === null || step === this.#recorder?.getSnapshot().context.cursor) return;
        this.#linked = step;
        this.#render();
      },
      { signal },
    );

    // The lane follows the newest frame while live; the event log always ends on the current event.
    this.#unpin = [
      pinToEnd(this.#part("sequence-scroller"), this.#part("sequence-spacer"), () => this.#followingLive),
      pinToEnd(this.#part("log-scroller"), this.#part("log")),
    ];

    this.#part("loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);

    // A link to a step opens the recording this browser kept when the reader last paused or
    // stepped; without one (a fresh page, another browser) it records this page's connection
    // and goes to the step when it arrives, saying meanwhile why it is not there (#followLink).
    const linked = stepFromHash(location.hash);
    const stored = linked === null ? null : this.#storedRecording();
    this.#linked = linked;
    if (stored)
      this.#replayRecording(stored.events, {
        kind: "stored",
        savedAt: stored.savedAt,
        summary: summarizeRecording(stored.events),
      });
    else this.#connect();
    if (linked !== null) this.scrollIntoView({ block: "start" });
    this.#render();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#recorderSubscription?.unsubscribe();
    this.#connection?.stop();
    this.#recorder?.stop();
    this.#tapped?.dispose();
    this.#animator?.clear();
    this.#lane?.dispose();
    for (const unpin of this.#unpin) unpin();
    this.#unpin = [];
    this.#cancelLiveDraw();
    this.#paced.cancel();
    this.#cancelTurn?.();
    this.#connection = null;
    this.#recorder = null;
  }

  /** Where a frame's row is drawn on the lane's canvas (CSS pixels from its top left), for tests and tools. */
  laneRowBox(key: string): { x: number; y: number; width: number; height: number } | null {
    return this.#lane?.rowBox(key) ?? null;
  }

  /** The lane's rows in view, as last painted (for tests and tools). */
  laneSnapshot(): LaneSnapshot {
    return this.#lane?.snapshot() ?? { rows: [] };
  }

  /** The inspector's own markup never changes, so each part is looked up once, not per event. */
  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    let found = this.#parts.get(name);
    if (!found) {
      found = this.querySelector<HTMLElement>(`[data-part="${name}"]`) ?? undefined;
      if (!found) throw new Error(`sp-frame-inspector is missing its "${name}" part`);
      this.#parts.set(name, found);
    }
    return found as T;
  }

  #startMotion(signal: AbortSignal): void {
    const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
    this.#reducedMotion = reducedMotion;
    // A hidden page draws no animation frames, so markers there would only pile up: they land at once.
    // The lane moves its markers in its own frames (driven), only while it is on screen.
    this.#animator = new FlightAnimator({
      now: () => performance.now(),
      reducedMotion: () => reducedMotion.matches || document.hidden,
      driven: true,
    });
    const parts = {
      scroller: this.#part("sequence-scroller"),
      canvas: this.#part<HTMLCanvasElement>("lane-canvas"),
      list: this.#part<HTMLOListElement>("sequence"),
      spacer: this.#part("sequence-spacer"),
      follow: () => this.#followingLive,
    };
    const lane = new FrameLane(parts, this.#animator, readPalette(this), signal);
    this.#lane = lane;
    // The lane is painted with the theme's colours: a new theme paints it again.
    onThemeChange(() => lane.setPalette(readPalette(this)), signal);
    this.#describeMotion();
    reducedMotion.addEventListener("change", () => this.#describeMotion(), { signal });
  }

  #describeMotion(): void {
    setText(this.#part("flight-hint"), flightHint(this.#reducedMotion?.matches ?? false));
  }

  #startRecorder(): void {
    this.#recorderSubscription?.unsubscribe();
    this.#recorder?.stop();
    const recorder = createActor(captureRecorderMachine);
    this.#replay = null;
    this.#recorderSubscription = recorder.subscribe(() => this.#scheduleRender());
    recorder.start();
    this.#recorder = recorder;
    this.#resetViews();
  }

  #startConnection(): void {
    this.#tapped = createTappedSocket({
      onEvent: (event: TapEvent) => {
        this.#recorder?.send({ type: "tap.event", event });
        if (event.type === "command" && event.command === "hold-reads" && this.#heldBurstPending) {
          this.#heldBurstPending = false;
          if (event.ok)
            for (let i = 1; i <= HELD_BURST; i++)
              this.#connection?.send({
                type: "message.send",
                data: `held ${i} of ${HELD_BURST}`,
                at: performance.now(),
              });
        }
      },
      onProblem: (message) => this.#setProblem(message),
    });
    const actor = createActor(echoConnectionMachine.provide({ actors: { socket: this.#tapped.actor } }), {
      input: { url: this.dataset.path ?? "/lab/echo", logLimit: 0 },
    });
    actor.subscribe(() => this.#scheduleRender());
    actor.start();
    this.#connection = actor;
  }

  #connect(): void {
    this.#setProblem("");
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    if (state === null || state === "CLOSED")
      this.#connection?.send({ type: "connect.requested", at: performance.now() });
  }

  #setProblem(message: string): void {
    const out = this.#part("problem");
    out.textContent = message;
    out.hidden = message === "";
  }

  #onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("input, textarea, select, [role=listbox]")) return;
    const keys: Record<string, "step.next" | "step.previous" | "step.first" | "step.last"> = {
      ArrowRight: "step.next",
      ArrowLeft: "step.previous",
      Home: "step.first",
      End: "step.last",
    };
    const type = keys[event.key];
    if (!type) return;
    event.preventDefault();
    this.#recorder?.send({ type });
  }

  #storedRecording(): { events: TapEvent[]; savedAt: string } | null {
    try {
      const text = localStorage.getItem(STORAGE_KEY);
      if (!text) return null;
      const parsed = parseRecording(text);
      return parsed.ok ? parsed : null;
    } catch {
      return null;
    }
  }

  /**
   * Saves the live recording for deep links to a step. A step only gets an address once the
   * reader pauses or steps, so that is when it is saved: saving while the view follows the
   * connection would serialise the whole, growing log again after every burst of events.
   */
  #persistStep(events: readonly TapEvent[], step: string): void {
    if (step === this.#persistedStep) return;
    this.#persistedStep = step;
    if (this.#persistTimer) clearTimeout(this.#persistTimer);
    this.#persistTimer = setTimeout(() => {
      const text = serializeRecording(events, new Date());
      if (text.length > MAX_STORED_CHARS) return;
      try {
        localStorage.setItem(STORAGE_KEY, text);
      } catch {
        /* storage full or blocked: deep links to a step need it, the live view does not */
      }
    }, 300);
  }

  #export(): void {
    const events = this.#recorder?.getSnapshot().context.events ?? [];
    downloadBlob(
      new Blob([serializeRecording(events, new Date())], { type: "application/json" }),
      `websocket-capture-${new Date().toISOString().replace(/[:.]/g, "-")}.json`,
    );
  }

  /**
   * The newest connection of the recording as pcapng, for Wireshark: the same frames, decoded by
   * its own dissectors. The writer is loaded on the first press: few readers save for Wireshark,
   * and every reader downloads the inspector.
   */
  async #exportPcapng(): Promise<void> {
    const events = this.#recorder?.getSnapshot().context.events ?? [];
    const { tapRecordingToPcapng } = await import("../../protocol/pcapng-from-tap.ts");
    const pcapng = tapRecordingToPcapng(events, "Recorded by the Switching Protocols frame inspector");
    if (!pcapng.ok) return this.#setProblem(`Cannot save for Wireshark: ${pcapng.error}.`);
    this.#setProblem("");
    downloadBlob(
      new Blob([pcapng.bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.tcpdump.pcap" }),
      `websocket-capture-${new Date().toISOString().replace(/[:.]/g, "-")}.pcapng`,
    );
  }

  async #load(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const parsed = parseRecording(await file.text());
    if (!parsed.ok) {
      this.#setProblem(`That recording could not be loaded: ${parsed.error}.`);
      return;
    }
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    if (state === "OPEN" || state === "CONNECTING")
      this.#connection?.send({
        type: "close.requested",
        code: 1000,
        reason: "Replaying a recording",
        at: performance.now(),
      });
    this.#setProblem("");
    this.#replayRecording(parsed.events, {
      kind: "file",
      name: file.name,
      savedAt: parsed.savedAt,
      summary: summarizeRecording(parsed.events),
    });
  }

  /** Shows a recording that is not this page's connection, from its first event (a link's step, if one waits, is then looked for in it). */
  #replayRecording(events: TapEvent[], origin: ReplayOrigin): void {
    this.#resetViews();
    // Set before the recorder hears of it: the render its snapshot brings must already say what is replayed.
    this.#replay = origin;
    this.#recorder?.send({ type: "recording.loaded", events });
  }

  /** The reader steps, pauses, plays or goes live: a link's step no longer waits, and its note goes. */
  #takeOver(): void {
    this.#linked = null;
    this.#linkNote = "";
  }

  /**
   * A link's step the recording did not have yet: gone to once it is there, else the live region
   * says why not and what would bring it (linked-step.ts). Asked again at every render, as the
   * recording grows or the connection changes; a step past the end of a replayed recording
   * shows its last event. True when it moved the recorder, whose answer renders the view.
   */
  #followLink(cursor: number, events: number, readyState: string | null): boolean {
    const asked = this.#linked;
    if (asked === null) return false;
    const source: LinkedSource = this.#replay
      ? {
          kind: "replay",
          events,
          name: this.#replay.kind === "file" ? this.#replay.name : "the recording kept from your last visit",
        }
      : {
          kind: "live",
          events,
          connection:
            readyState === null || readyState === "CONNECTING" ? "opening" : readyState === "CLOSED" ? "over" : "open",
        };
    const plan = planLinkedStep(asked, source);
    this.#linkNote = plan.note;
    if (plan.go === null) return false;
    this.#linked = null;
    if (plan.go === cursor && this.#recorder?.getSnapshot().value !== "live") return false;
    this.#recorder?.send({ type: "step.goto", cursor: plan.go });
    return true;
  }

  /** Forgets everything drawn, so the next render starts from the first event of the log. */
  #resetViews(): void {
    this.#shownLog = null;
    this.#handshakeKey = "";
    this.#selected = null;
    this.#persistedStep = "";
    this.#renderedLog = 0;
    this.#logFirst = 0;
    this.#currentLogItem = null;
    this.#logOrigin = null;
    this.#pendingLog = null;
    this.querySelector("[data-part=log]")?.replaceChildren();
    this.querySelector("[data-part=log-earlier]")?.toggleAttribute("hidden", true);
  }

  /**
   * While the view follows the live connection, what changed is drawn together at most every
   * LIVE_DRAW_EVERY_MS, outside the browser's animation frames: in the task of the event that
   * asked, or in the pacer's own at the end of its period. (Written inside an animation frame, the
   * changes' script ran in the same task as the frame's style, layout and paint and the stage's
   * motion, and together they made the page's longest tasks.) Anything the reader did (pause,
   * step, load) is drawn at once.
   */
  #scheduleRender(): void {
    const recorder = this.#recorder?.getSnapshot();
    if (recorder?.value !== "live" || recorder.context.source !== "live") return this.#render();
    this.#liveDraw.request();
  }

  #cancelLiveDraw(): void {
    this.#liveDraw.cancel();
  }

  #render(): void {
    this.#liveDraw.ran();
    const connection = this.#connection?.getSnapshot();
    const recorder = this.#recorder?.getSnapshot();
    if (!connection || !recorder) return;
    const readyState = readyStateOf(connection.value);
    const { events, cursor, source } = recorder.context;
    if (this.#followLink(cursor, events.length, readyState)) return;
    const state = String(recorder.value);
    const mode = inspectorMode(state, this.#replay);
    this.#mode = mode;
    setData(this, "state", readyState ?? "none");
    setData(this, "mode", state);
    setData(this, "source", source);
    setData(this, "view", mode.kind);
    setData(this, "step", String(cursor));

    // What the page itself was told, next to what the lab saw: they differ for 1005 and 1006.
    const lastClose = connection.context.lastClose;
    const closeReport = this.#part("close-report");
    setFlag(closeReport, "hidden", lastClose === null || source !== "live");
    if (lastClose)
      setText(
        closeReport,
        `Your page's close event: ${describeClose(lastClose.code, lastClose.reason, lastClose.wasClean)}`,
      );
    const live = source === "live";
    const connectButton = this.#part("connect");
    setFlag(
      connectButton,
      "disabled",
      !live || readyState === "CONNECTING" || readyState === "OPEN" || readyState === "CLOSING",
    );
    setText(connectButton, connection.context.connection > 0 ? "Reconnect" : "Connect");
    const open = live && readyState === "OPEN";
    for (const control of this.#needsOpen) setFlag(control, "disabled", !open);
    setFlag(this.#part("first"), "disabled", cursor === 0);
    setFlag(this.#part("previous"), "disabled", cursor === 0);
    setFlag(this.#part("next"), "disabled", cursor >= events.length);
    setFlag(this.#part("last"), "disabled", cursor >= events.length);
    setFlag(this.#part("play"), "disabled", cursor >= events.length && state !== "playing");
    setText(this.#part("play"), state === "playing" ? "Stop playing" : "Play");
    const pause = this.#part("pause");
    setFlag(pause, "hidden", !live);
    setText(pause, state === "live" ? "Pause" : "Back to live");
    setAttr(pause, "aria-pressed", String(state !== "live"));
    setFlag(this.#part("go-live"), "hidden", live);
    setFlag(this.#part("export"), "disabled", events.length === 0);
    setFlag(this.#part("export-pcapng"), "disabled", events.length === 0);

    if (live && state !== "live" && events.length > 0) this.#persistStep(events, `${state}:${cursor}`);
    // While a link's step is awaited, its address stays, for the reader to see and pass on.
    if (this.#linked === null) {
      const hash = state === "live" ? "" : hashForStep(cursor);
      if (hash !== "" || stepFromHash(location.hash) !== null) writeDeepLink(hash);
    }
    this.#renderView(events, cursor, state === "live");
    this.#renderLabels(mode, readyState, recorder.context);
  }

  /**
   * Every word that depends on the mode (inspector-mode.ts), written from one set of labels. While
   * the view follows live, the text that changes with every event (the step, the link's wait) is
   * written with the paced views (see #renderPaced); the rest changes only with the mode.
   */
  #renderLabels(
    mode: InspectorMode,
    readyState: ReadyStateName | null,
    { events, cursor, overflow }: { events: readonly TapEvent[]; cursor: number; overflow: number },
  ): void {
    const view = this.#builder.view;
    const headsMissing = view.request === null || view.response === null;
    const ahead = mode.kind === "paused" && headsMissing ? headEvents(events) : undefined;
    const labels = inspectorLabels(
      { mode, readyState, cursor, events: events.length, overflow, framesShown: view.frames.length },
      ahead,
    );
    setText(this.#part("badge"), labels.badge);
    setFlag(this.#part("connection"), "hidden", labels.readyState === null);
    setText(this.#part("state"), labels.readyState ?? "");
    setFlag(this.#part("replaying"), "hidden", labels.replaying === null);
    setText(this.#part("replaying"), labels.replaying ?? "");
    setText(this.#part("sequence-empty"), labels.laneEmpty);
    setText(this.#part("request-from"), labels.requestFrom);
    if (view.request === null) setText(this.#part("request-size"), labels.requestMissing);
    if (view.response === null) setText(this.#part("response-size"), labels.responseMissing);
    setFlag(this.#part("replay-hint"), "hidden", labels.hint === "");
    setText(this.#part("replay-hint"), labels.hint);
    if (mode.kind === "live") {
      this.#pendingStepLabel = labels.step;
      this.#pendingLinkNote = this.#linkNote;
      this.#paced.request();
    } else {
      this.#pendingStepLabel = null;
      this.#pendingLinkNote = null;
      setText(this.#part("step-label"), labels.step);
      this.#writeLinkNote(this.#linkNote);
    }
  }

  #writeLinkNote(note: string): void {
    const out = this.#part("link-note");
    setText(out, note);
    setFlag(out, "hidden", note === "");
  }

  /**
   * Brings the views to `cursor`. The same log, grown, is drawn forward from where it was (and
   * its new frames fly when the view was already following live); anything else, such as a
   * step back or another log, is drawn again from the first event.
   */
  #renderView(events: readonly TapEvent[], cursor: number, live: boolean): void {
    const sameLog = events === this.#shownLog;
    const drawnTo = this.#builder.count;
    if (sameLog && cursor === drawnTo) {
      this.#followingLive = live;
      return;
    }
    // While live, the log and its announcements follow at the pace of the other running text (a
    // screen reader cannot speak ten events a second, nor can anyone read them); anything else
    // is drawn at once, and a log still waiting from before is forgotten.
    this.#pendingLog = live ? { events, cursor } : null;
    if (sameLog && cursor > drawnTo) this.#drawForward(events, cursor, live && this.#followingLive);
    else this.#redraw(events, cursor);
    this.#followingLive = live;
    if (live) this.#paced.request();
    else this.#renderLog(events, cursor, false);
  }

  #redraw(events: readonly TapEvent[], cursor: number): void {
    if (events !== this.#shownLog) this.#clearLog();
    this.#shownLog = events;
    this.#builder = new CaptureBuilder();
    this.#startView(false);
    this.#drawForward(events, cursor, false);
  }

  /** A new view starts: a redraw, or a newer connection opened while the reader watched. */
  #startView(forgetPick: boolean): void {
    this.#drawn = { frames: 0, chunks: 0, messages: 0 };
    this.#lane?.clear();
    for (const dir of DIRECTIONS) {
      this.#tails[dir].clear();
      this.#part(`boundaries-${dir}`).replaceChildren();
    }
    this.#pendingBoundaries.clear();
    this.#pendingDetail = null;
    this.#pendingLaneCount = null;
    this.#byteRoom = { wide: 0, narrow: 0 };
    // A frame picked on the previous connection means nothing on the new one.
    if (forgetPick) this.#selected = null;
    this.#detailFrame = null;
    // Hidden but still taking its place: the page below does not jump when the first frame arrives.
    this.#part("detail").toggleAttribute("data-empty", true);
  }

  #drawForward(events: readonly TapEvent[], cursor: number, arriving: boolean): void {
    const builder = this.#builder;
    const before = builder.view;
    while (builder.count < cursor) builder.push(events[builder.count]!);
    const view = builder.view;
    if (view !== before) this.#startView(arriving);
    const shown = this.#shownFrame(view);
    this.#renderHandshake(view);
    this.#appendFrames(view, shown, arriving);
    this.#extendTails(view, this.#pendingBoundaries);
    this.#drawn = { frames: view.frames.length, chunks: view.chunks.length, messages: view.messages.length };
    if (shown !== this.#detailFrame && shown !== null) this.#pendingDetail = shown;
    if (arriving) this.#paced.request();
    else this.#renderPaced();
  }

  /**
   * The byte-by-byte views (the stream boundaries and the selected frame's bytes) are the
   * costliest to draw, and nobody can read them, or the counts and the log, at ten frames a
   * second. While frames arrive live these are redrawn at most every PACED_VIEWS_EVERY_MS,
   * always ending on the newest state; between them, only the frame lane changes, inside its
   * own fixed box, so the rest of the page is neither laid out nor painted again. Stepping,
   * replaying and picking a frame draw them at once.
   */
  #renderPaced(): void {
    this.#cancelTurn?.();
    this.#cancelTurn = null;
    this.#paced.ran();
    this.#renderPacedText();
    this.#renderPendingBoundaries();
    this.#renderPendingDetail();
  }

  /**
   * The paced views while frames arrive live, each in a frame of its own: the running text, then
   * the stream boundaries, then the frame's bytes. Drawn in one frame, with the lane's newest
   * rows and the stage's motion, their style, layout and paint added up to one of the page's
   * longest tasks. A turn finds nothing to do when a direct draw has been made in between.
   */
  #renderPacedInTurns(): void {
    this.#cancelTurn?.();
    this.#renderPacedText();
    this.#lane?.stepAside();
    this.#cancelTurn = afterNextFrame(() => {
      this.#renderPendingBoundaries();
      this.#lane?.stepAside();
      this.#cancelTurn = afterNextFrame(() => {
        this.#cancelTurn = null;
        this.#renderPendingDetail();
      });
    });
  }

  #renderPacedText(): void {
    if (this.#pendingStepLabel !== null) setText(this.#part("step-label"), this.#pendingStepLabel);
    this.#pendingStepLabel = null;
    if (this.#pendingLinkNote !== null) this.#writeLinkNote(this.#pendingLinkNote);
    this.#pendingLinkNote = null;
    if (this.#pendingLaneCount !== null) setText(this.#part("lane-count"), this.#pendingLaneCount);
    this.#pendingLaneCount = null;
    if (this.#pendingLog !== null) this.#renderLog(this.#pendingLog.events, this.#pendingLog.cursor, true);
    this.#pendingLog = null;
  }

  #renderPendingBoundaries(): void {
    for (const dir of this.#pendingBoundaries) this.#renderBoundaries(dir);
    this.#pendingBoundaries.clear();
  }

  #renderPendingDetail(): void {
    const frame = this.#pendingDetail;
    this.#pendingDetail = null;
    if (frame !== null && frame !== this.#detailFrame) this.#showDetail(frame);
  }

  /** New frames become rows; only the newest MAX_SEQUENCE_ROWS of a long batch are ever drawn. */
  #appendFrames(view: CaptureView, shown: CapturedFrame | null, arriving: boolean): void {
    const lane = this.#lane;
    if (!lane) return;
    const { frames, messages } = view;
    const first = Math.max(this.#drawn.frames, frames.length - MAX_SEQUENCE_ROWS);
    // Each message ends on its own frame, so the rows drawn need at most as many of the newest messages.
    const reassembled = reassembledByLastFrame(
      messages,
      Math.max(this.#drawn.messages, messages.length - MAX_SEQUENCE_ROWS),
    );
    const origin = view.openedAt ?? 0;
    for (let i = first; i < frames.length; i++) {
      const frame = frames[i]!;
      if (arriving) this.#keepByteRoom(frame.frame.raw.length, true);
      lane.append({
        frame,
        origin,
        reassembled: reassembled.get(`${frame.dir}:${frame.end}`) ?? null,
        pressed: frame === shown,
        fly: arriving,
      });
    }
    setFlag(this.#part("sequence-empty"), "hidden", frames.length > 0);
    this.#pendingLaneCount =
      frames.length > lane.rows
        ? `newest ${lane.rows} of ${formatCount(frames.length)} frames; step back for older ones`
        : "";
  }

  #extendTails(view: CaptureView, changed: Set<Direction>): void {
    for (let i = this.#drawn.frames; i < view.frames.length; i++) {
      const frame = view.frames[i]!;
      this.#tails[frame.dir].addFrame(frame, i);
      changed.add(frame.dir);
    }
    for (let i = this.#drawn.chunks; i < view.chunks.length; i++) {
      const chunk = view.chunks[i]!;
      this.#tails[chunk.dir].addChunk(chunk);
      changed.add(chunk.dir);
    }
  }

  #select(button: HTMLButtonElement): void {
    const frame = this.#lane?.frameOf(button);
    if (!frame) return;
    this.#selected = frameKey(frame);
    this.#pendingDetail = null;
    this.#lane?.press(button);
    this.#showDetail(frame);
  }

  #renderLog(events: readonly TapEvent[], cursor: number, live: boolean): void {
    const log = this.#part<HTMLOListElement>("log");
    this.#logOrigin ??= (events.find((e) => "t" in e) as { t: number } | undefined)?.t ?? null;
    const origin = this.#logOrigin;
    const plan = planLog({ first: this.#logFirst, end: this.#renderedLog }, cursor);
    // Rows that leave wait in #spareLogRows and are written again as new rows: while live, one
    // row leaves for every row that comes, and new elements every time would be garbage.
    const spare = this.#spareLogRows;
    const release = (item: Element | null): void => {
      if (!(item instanceof HTMLLIElement)) return;
      item.remove();
      spare.push(item);
    };
    if (plan.rebuild) {
      while (log.lastElementChild) release(log.lastElementChild);
      this.#logFirst = this.#renderedLog = plan.range.first;
    }
    while (this.#renderedLog > cursor) {
      release(log.lastElementChild);
      this.#renderedLog--;
    }
    while (this.#logFirst < plan.range.first) {
      release(log.firstElementChild);
      this.#logFirst++;
    }
    const announcements: string[] = [];
    for (; this.#renderedLog < cursor; this.#renderedLog++) {
      const event = events[this.#renderedLog]!;
      const item = spare.pop() ?? document.createElement("li");
      const at = "t" in event && origin !== null ? `+${formatMs(event.t - origin)} ` : "";
      const sentence = describeEvent(event);
      setText(item, `${at}${sentence}`);
      setData(item, "type", event.type);
      log.append(item);
      announcements.push(sentence);
    }
    // The list's numbers stay the events' own numbers when the oldest rows have left.
    setAttr(log, "start", String(this.#logFirst + 1));
    const earlier = this.#part("log-earlier");
    setText(earlier, earlierNote(this.#logFirst));
    setFlag(earlier, "hidden", this.#logFirst === 0);
    this.#currentLogItem?.removeAttribute("aria-current");
    this.#currentLogItem = log.lastElementChild;
    this.#currentLogItem?.setAttribute("aria-current", "step");
    const announcer = this.#part("announcer");
    if (announcements.length > 0) {
      const latest = announcements.slice(-2).join(" ");
      announcer.textContent = live ? latest : `Event ${cursor} of ${events.length}: ${announcements.at(-1)}`;
    } else if (!live) {
      announcer.textContent =
        cursor === 0
          ? atStartLine(this.#mode)
          : `Event ${cursor} of ${events.length}: ${describeEvent(events[cursor - 1]!)}`;
    }
  }

  #clearLog(): void {
    this.#part("log").replaceChildren();
    this.#renderedLog = 0;
    this.#logFirst = 0;
    this.#currentLogItem = null;
    this.#logOrigin = null;
  }

  #renderHandshake(view: CaptureView): void {
    const key = `${view.request?.event ?? "-"}:${view.response?.event ?? "-"}`;
    if (key === this.#handshakeKey) return;
    this.#handshakeKey = key;
    const request = this.#part("request");
    const response = this.#part("response");
    const acceptOut = this.#part("accept-check");
    // Sizes of the heads the view holds; while it holds none, the labels say when they come (#renderLabels).
    if (view.request)
      setText(this.#part("request-size"), `${bytesLabel(view.request.bytes.length)}, exactly as the lab received them`);
    if (view.response)
      setText(this.#part("response-size"), `${bytesLabel(view.response.bytes.length)}, exactly as the lab wrote them`);
    const show = async (target: HTMLElement, text: string | undefined): Promise<void> => {
      if (text === undefined) return void target.replaceChildren();
      target.textContent = text.replace(/\r\n/g, "\n");
      try {
        const lines = await tokenizeHttp(text);
        if (this.#handshakeKey !== key) return;
        target.replaceChildren(
          ...lines.map((tokens) => {
            const line = document.createElement("span");
            line.className = "line";
            line.append(renderTokens(tokens), "\n");
            return line;
          }),
        );
      } catch {
        /* highlighting is a nicety: the plain text stays (for example when replaying offline) */
      }
    };
    // The request target carries the tap's watch token, the reader's secret: shown as "watch=…"
    // (the byte count above is the real request's).
    void show(request, view.request ? hideWatchToken(view.request.text) : undefined);
    void show(response, view.response?.text);
    acceptOut.dataset.result = "";
    acceptOut.textContent = view.request && view.response ? "Checking the accept value…" : "";
    if (view.request && view.response) {
      void checkAccept(view.request.bytes, view.response.bytes).then((check) => {
        if (this.#handshakeKey !== key) return;
        if (!check.ok) {
          acceptOut.dataset.result = "fail";
          acceptOut.textContent = `The accept value could not be checked: ${check.reason}.`;
          return;
        }
        acceptOut.dataset.result = check.match ? "match" : "mismatch";
        acceptOut.textContent = check.match
          ? `✓ Accept value matches: this page computed base64(SHA-1("${check.key}" + the GUID)) = ${check.computed}, and the lab answered ${check.received} (RFC 6455 §4.2.2).`
          : `✗ Accept value does not match: this page computed ${check.computed}, but the lab answered ${check.received}. A browser would refuse this connection (RFC 6455 §4.1).`;
      });
    }
  }

  #renderBoundaries(dir: Direction): void {
    renderBoundaryGrid(this.#part(`boundaries-${dir}`), dir, this.#tails[dir].window());
  }

  /** The reader's pick if there is one in this view, else the newest frame. */
  #shownFrame(view: CaptureView): CapturedFrame | null {
    const newest = view.frames.at(-1) ?? null;
    if (this.#selected === null) return newest;
    if (this.#detailFrame && frameKey(this.#detailFrame) === this.#selected) return this.#detailFrame;
    // Only after a redraw: the pick is looked for among all frames, newest first.
    return view.frames.findLast((f) => frameKey(f) === this.#selected) ?? newest;
  }

  /** Room in the byte grid for a frame of `length` bytes: added to the room kept, or just this frame's. */
  #keepByteRoom(length: number, grow: boolean): void {
    const rows = (room: number, columns: number): number =>
      grow ? Math.max(room, byteGridRows(length, columns)) : byteGridRows(length, columns);
    const room = { wide: rows(this.#byteRoom.wide, 16), narrow: rows(this.#byteRoom.narrow, 8) };
    if (room.wide === this.#byteRoom.wide && room.narrow === this.#byteRoom.narrow) return;
    this.#byteRoom = room;
    const bytes = this.#part("bytes");
    bytes.style.setProperty("--rows-wide", String(room.wide));
    bytes.style.setProperty("--rows-narrow", String(room.narrow));
  }

  #showDetail(frame: CapturedFrame): void {
    this.#detailFrame = frame;
    this.#part("detail").toggleAttribute("data-empty", false);
    setText(this.#part("detail-title"), describeFrame(frame));
    const dissection = dissectFrame(frame.frame.raw, {
      direction: frame.dir === "in" ? "client-to-server" : "server-to-client",
    });
    const bytes = this.#part("bytes");
    this.#keepByteRoom(frame.frame.raw.length, this.#followingLive);
    // The byte the reader is on gets its notes line by line (shared/byte-notes.ts).
    renderByteGrid(bytes, frame.frame.raw, dissection.fields, this.#idPrefix, frameFieldClass, (index) =>
      renderNoteLines(this.#part("byte-notes"), byteNoteLines(dissection.fields, frame.frame.raw, index)),
    );
    this.#renderFieldList(dissection);
    renderUnmask(this.#part<HTMLTableSectionElement>("unmask"), this.#part("unmask-summary"), dissection);
    this.#part("unmask-table").hidden = !dissection.masked;
    this.dataset.selectedFrame = frameKey(frame);
  }

  /** Every field of the frame, each with where it sits and its facts, coloured as in the grid. */
  #renderFieldList(dissection: FrameDissection): void {
    const items = keepChildren(this.#part("fields"), dissection.fields.length, () => document.createElement("li"));
    dissection.fields.forEach((field, i) => {
      setAttr(items[i]!, "class", frameFieldClass(field));
      renderNoteLines(items[i]!, fieldNoteLines(field));
    });
  }
}
