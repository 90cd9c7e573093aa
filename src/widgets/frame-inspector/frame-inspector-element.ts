// <sp-frame-inspector>: the reader's own WebSocket, as the lab saw it. The specimen connection
// runs on the echo connection machine (through the wire tap); every tap event goes into the
// capture recorder machine; the views are drawn from buildCaptureView(events, cursor), so a
// live view, a paused step and a replayed file all render the same way.
import { createActor, type ActorRefFrom } from "xstate";
import { echoConnectionMachine, readyStateOf, type EchoConnectionActor } from "../../machines/echo-connection.ts";
import { captureRecorderMachine } from "../../machines/capture-recorder.ts";
import { buildCaptureView, type CapturedFrame, type CaptureView } from "../../protocol/capture.ts";
import { dissectFrame } from "../../protocol/frame-dissect.ts";
import type { TapCommand, TapEvent } from "../../protocol/tap-events.ts";
import { tokenizeHttp, renderTokens } from "../shared/highlight-http.ts";
import { checkAccept } from "./accept-check.ts";
import { layoutBoundaries } from "./boundaries.ts";
import { renderByteGrid, renderLegend, renderUnmask } from "./byte-grid.ts";
import { bytesLabel, describeEvent, describeFrame, formatMs, frameLabel, payloadPreview, side } from "./describe-capture.ts";
import { parseRecording, serializeRecording } from "./recording-file.ts";
import { hashForStep, stepFromHash } from "./step-link.ts";
import { DEEP_LINK_EVENT, type DeepLinkDetail } from "../shared/classroom-session.ts";
import { createTappedSocket, type TappedSocket } from "../shared/tapped-socket.ts";
import { describeClose } from "../echo-console/describe-entry.ts";

type Recorder = ActorRefFrom<typeof captureRecorderMachine>;

const STORAGE_KEY = "sp:inspector-recording";
const MAX_STORED_CHARS = 2 * 1024 * 1024;
const MAX_SEQUENCE_ROWS = 200;

const commands: Record<string, TapCommand> = {
  ping: { cmd: "ping", payload: "Are you there?" },
  fragmented: { cmd: "fragmented", text: "A message sent in three fragments", parts: 3 },
  binary: { cmd: "binary", length: 300 },
  burst: { cmd: "burst", count: 5 },
  close: { cmd: "close", code: 4001, reason: "Closed by the lab on request" },
  drop: { cmd: "drop" },
};

function part<T extends Element = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-frame-inspector is missing its "${name}" part`);
  return found;
}

const frameKey = (f: CapturedFrame): string => `${f.dir}:${f.start}`;

/** Tells the page (the classroom bar) that the address now names another step. */
const announceDeepLink = (): void => {
  document.dispatchEvent(new CustomEvent<DeepLinkDetail>(DEEP_LINK_EVENT, { detail: { hash: location.hash } }));
};

export default class FrameInspectorElement extends HTMLElement {
  #abort = new AbortController();
  #tapped: TappedSocket | null = null;
  #connection: EchoConnectionActor | null = null;
  #recorder: Recorder | null = null;
  #recorderSubscription: { unsubscribe(): void } | null = null;
  #view: CaptureView | null = null;
  #viewKey = "";
  #handshakeKey = "";
  #selected: string | null = null;
  #renderedLog = 0;
  #renderedFrames = new Set<string>();
  #persistTimer: ReturnType<typeof setTimeout> | null = null;
  #idPrefix = `fi-${Math.random().toString(36).slice(2, 8)}`;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#startRecorder();
    this.#startConnection();

    part<HTMLButtonElement>(this, "connect").addEventListener("click", () => this.#connect(), { signal });
    part<HTMLButtonElement>(this, "close").addEventListener("click", () => this.#connection?.send({ type: "close.requested", code: 1000, reason: "Closed from the inspector", at: performance.now() }), { signal });
    part<HTMLFormElement>(this, "send-form").addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
        const text = part<HTMLInputElement>(this, "message").value;
        const data = submitter?.value === "binary" ? new TextEncoder().encode(text) : text;
        this.#connection?.send({ type: "message.send", data, at: performance.now() });
      },
      { signal },
    );
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-command]")) {
      button.addEventListener("click", () => {
        const command = commands[button.dataset.command ?? ""];
        const monitor = this.#tapped?.monitor();
        if (command && monitor) monitor.command(command);
      }, { signal });
    }
    const step = (type: "step.next" | "step.previous" | "step.first" | "step.last") => () => this.#recorder?.send({ type });
    part(this, "first").addEventListener("click", step("step.first"), { signal });
    part(this, "previous").addEventListener("click", step("step.previous"), { signal });
    part(this, "next").addEventListener("click", step("step.next"), { signal });
    part(this, "last").addEventListener("click", step("step.last"), { signal });
    part(this, "pause").addEventListener("click", () => {
      const state = this.#recorder?.getSnapshot().value;
      this.#recorder?.send({ type: state === "live" ? "view.pause" : "view.live" });
    }, { signal });
    part(this, "play").addEventListener("click", () => {
      const state = this.#recorder?.getSnapshot().value;
      this.#recorder?.send({ type: state === "playing" ? "view.pause" : "view.play" });
    }, { signal });
    part(this, "go-live").addEventListener("click", () => {
      history.replaceState(null, "", location.pathname + location.search);
      announceDeepLink();
      this.#startRecorder();
      this.#connect();
    }, { signal });
    part(this, "export").addEventListener("click", () => this.#export(), { signal });
    part<HTMLInputElement>(this, "load").addEventListener("change", (event) => void this.#load(event.target as HTMLInputElement), { signal });
    part(this, "sequence").addEventListener("click", (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>("[data-frame]");
      if (row?.dataset.frame) {
        this.#selected = row.dataset.frame;
        this.#renderView(true);
      }
    }, { signal });
    this.addEventListener("keydown", (event) => this.#onKey(event), { signal });
    // A deep link applied in place (a teacher's step reaching a student): go to that step of
    // whatever this inspector holds, the reader's own live recording included.
    window.addEventListener("hashchange", () => {
      const step = stepFromHash(location.hash);
      if (step !== null) this.#recorder?.send({ type: "step.goto", cursor: step });
    }, { signal });

    part(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);

    const linked = stepFromHash(location.hash);
    const stored = linked === null ? null : this.#storedRecording();
    if (linked !== null && stored) {
      this.#recorder?.send({ type: "recording.loaded", events: stored });
      this.#recorder?.send({ type: "step.goto", cursor: linked });
      this.#setProblem("Showing the recording saved from your last session, at the step in the address. Press “Go live” to watch a new connection.");
      this.scrollIntoView({ block: "start" });
    } else {
      this.#connect();
    }
    this.#render();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#recorderSubscription?.unsubscribe();
    this.#connection?.stop();
    this.#recorder?.stop();
    this.#tapped?.dispose();
    this.#connection = null;
    this.#recorder = null;
  }

  #startRecorder(): void {
    this.#recorderSubscription?.unsubscribe();
    this.#recorder?.stop();
    const recorder = createActor(captureRecorderMachine);
    this.#recorderSubscription = recorder.subscribe(() => this.#render());
    recorder.start();
    this.#recorder = recorder;
    this.#resetViews();
  }

  #startConnection(): void {
    this.#tapped = createTappedSocket({
      onEvent: (event: TapEvent) => this.#recorder?.send({ type: "tap.event", event }),
      onProblem: (message) => this.#setProblem(message),
    });
    const actor = createActor(echoConnectionMachine.provide({ actors: { socket: this.#tapped.actor } }), { input: { url: this.dataset.path ?? "/lab/echo" } });
    actor.subscribe(() => this.#render());
    actor.start();
    this.#connection = actor;
  }

  #connect(): void {
    this.#setProblem("");
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    if (state === null || state === "CLOSED") this.#connection?.send({ type: "connect.requested", at: performance.now() });
  }

  #setProblem(message: string): void {
    const out = part(this, "problem");
    out.textContent = message;
    out.hidden = message === "";
  }

  #onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target.closest("input, textarea, select, [role=listbox]")) return;
    const keys: Record<string, "step.next" | "step.previous" | "step.first" | "step.last"> = { ArrowRight: "step.next", ArrowLeft: "step.previous", Home: "step.first", End: "step.last" };
    const type = keys[event.key];
    if (!type) return;
    event.preventDefault();
    this.#recorder?.send({ type });
  }

  #storedRecording(): TapEvent[] | null {
    try {
      const text = localStorage.getItem(STORAGE_KEY);
      if (!text) return null;
      const parsed = parseRecording(text);
      return parsed.ok ? parsed.events : null;
    } catch {
      return null;
    }
  }

  #persist(events: readonly TapEvent[]): void {
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
    const blob = new Blob([serializeRecording(events, new Date())], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `websocket-capture-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
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
    if (state === "OPEN" || state === "CONNECTING") this.#connection?.send({ type: "close.requested", code: 1000, reason: "Replaying a recording", at: performance.now() });
    this.#resetViews();
    this.#recorder?.send({ type: "recording.loaded", events: parsed.events });
    this.#setProblem(`Replaying “${file.name}” (${parsed.events.length} events${parsed.savedAt ? `, saved ${parsed.savedAt.slice(0, 16).replace("T", " ")}` : ""}). No server is needed; press Play or step with the arrow keys.`);
  }

  #resetViews(): void {
    this.#view = null;
    this.#viewKey = "";
    this.#handshakeKey = "";
    this.#selected = null;
    this.#renderedLog = 0;
    this.#renderedFrames.clear();
    this.querySelector("[data-part=log]")?.replaceChildren();
  }

  #render(): void {
    const connection = this.#connection?.getSnapshot();
    const recorder = this.#recorder?.getSnapshot();
    if (!connection || !recorder) return;
    const readyState = readyStateOf(connection.value);
    const { events, cursor, source, overflow } = recorder.context;
    const mode = String(recorder.value);
    this.dataset.state = readyState ?? "none";
    this.dataset.mode = mode;
    this.dataset.source = source;
    this.dataset.step = String(cursor);

    part(this, "state").textContent = readyState ?? "not connected";
    // What the page itself was told, next to what the lab saw: they differ for 1005 and 1006.
    const lastClose = connection.context.lastClose;
    const closeReport = part(this, "close-report");
    closeReport.hidden = lastClose === null || source !== "live";
    if (lastClose) closeReport.textContent = `Your page's close event: ${describeClose(lastClose.code, lastClose.reason, lastClose.wasClean)}`;
    const live = source === "live";
    part<HTMLButtonElement>(this, "connect").disabled = !live || readyState === "CONNECTING" || readyState === "OPEN" || readyState === "CLOSING";
    part<HTMLButtonElement>(this, "connect").textContent = connection.context.connection > 0 ? "Reconnect" : "Connect";
    const open = live && readyState === "OPEN";
    for (const control of this.querySelectorAll<HTMLButtonElement | HTMLInputElement>("[data-needs-open]")) control.disabled = !open;
    part<HTMLButtonElement>(this, "first").disabled = cursor === 0;
    part<HTMLButtonElement>(this, "previous").disabled = cursor === 0;
    part<HTMLButtonElement>(this, "next").disabled = cursor >= events.length;
    part<HTMLButtonElement>(this, "last").disabled = cursor >= events.length;
    part<HTMLButtonElement>(this, "play").disabled = cursor >= events.length && mode !== "playing";
    part(this, "play").textContent = mode === "playing" ? "Stop playing" : "Play";
    const pause = part<HTMLButtonElement>(this, "pause");
    pause.hidden = !live;
    pause.textContent = mode === "live" ? "Pause" : "Back to live";
    pause.setAttribute("aria-pressed", String(mode !== "live"));
    part(this, "go-live").hidden = live;
    part<HTMLButtonElement>(this, "export").disabled = events.length === 0;
    const where = mode === "live" ? `Live · ${events.length} events recorded` : `Event ${cursor} of ${events.length}${source === "file" ? " · saved recording" : " · paused"}`;
    part(this, "step-label").textContent = overflow > 0 ? `${where} (${overflow} more not kept)` : where;

    if (live && events.length > 0) this.#persist(events);
    const hash = mode === "live" ? "" : hashForStep(cursor);
    if (location.hash !== hash && (hash !== "" || stepFromHash(location.hash) !== null)) {
      history.replaceState(null, "", `${location.pathname}${location.search}${hash}`);
      announceDeepLink();
    }
    this.#renderView(false);
  }

  #renderView(force: boolean): void {
    const recorder = this.#recorder?.getSnapshot();
    if (!recorder) return;
    const { events, cursor } = recorder.context;
    const key = `${events.length}:${cursor}:${recorder.context.source}`;
    if (key !== this.#viewKey || !this.#view) {
      this.#viewKey = key;
      this.#view = buildCaptureView(events, cursor);
      force = true;
    }
    if (!force) return;
    const view = this.#view;
    this.#renderLog(events, cursor, recorder.value === "live");
    this.#renderHandshake(view);
    this.#renderSequence(view, recorder.value === "live");
    this.#renderBoundaries(view);
    this.#renderDetail(view);
  }

  #renderLog(events: readonly TapEvent[], cursor: number, live: boolean): void {
    const log = part<HTMLOListElement>(this, "log");
    const origin = events.find((e) => "t" in e) as { t: number } | undefined;
    while (this.#renderedLog > cursor) {
      log.lastElementChild?.remove();
      this.#renderedLog--;
    }
    const announcements: string[] = [];
    for (; this.#renderedLog < cursor; this.#renderedLog++) {
      const event = events[this.#renderedLog]!;
      const item = document.createElement("li");
      const at = "t" in event && origin ? `+${formatMs(event.t - origin.t)} ` : "";
      const sentence = describeEvent(event);
      item.textContent = `${at}${sentence}`;
      item.dataset.type = event.type;
      log.append(item);
      announcements.push(sentence);
    }
    for (const item of log.querySelectorAll("[aria-current]")) item.removeAttribute("aria-current");
    log.lastElementChild?.setAttribute("aria-current", "step");
    const announcer = part(this, "announcer");
    if (announcements.length > 0) {
      const latest = announcements.slice(-2).join(" ");
      announcer.textContent = live ? latest : `Event ${cursor} of ${events.length}: ${announcements.at(-1)}`;
    } else if (!live) {
      announcer.textContent = cursor === 0 ? `Back at the start: no events shown.` : `Event ${cursor} of ${events.length}: ${describeEvent(events[cursor - 1]!)}`;
    }
    const scroller = part(this, "log-scroller");
    scroller.scrollTop = scroller.scrollHeight;
  }

  #renderHandshake(view: CaptureView): void {
    const key = `${view.request?.event ?? "-"}:${view.response?.event ?? "-"}`;
    if (key === this.#handshakeKey) return;
    this.#handshakeKey = key;
    const request = part(this, "request");
    const response = part(this, "response");
    const acceptOut = part(this, "accept-check");
    part(this, "request-size").textContent = view.request ? `${bytesLabel(view.request.bytes.length)}, exactly as the lab received them` : "not captured yet";
    part(this, "response-size").textContent = view.response ? `${bytesLabel(view.response.bytes.length)}, exactly as the lab wrote them` : "not captured yet";
    const show = async (target: HTMLElement, text: string | undefined): Promise<void> => {
      if (text === undefined) return void target.replaceChildren();
      target.textContent = text.replace(/\r\n/g, "\n");
      try {
        const lines = await tokenizeHttp(text);
        if (this.#handshakeKey !== key) return;
        target.replaceChildren(...lines.map((tokens) => {
          const line = document.createElement("span");
          line.className = "line";
          line.append(renderTokens(tokens), "\n");
          return line;
        }));
      } catch {
        /* highlighting is a nicety: the plain text stays (for example when replaying offline) */
      }
    };
    void show(request, view.request?.text);
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

  #renderSequence(view: CaptureView, live: boolean): void {
    const list = part<HTMLOListElement>(this, "sequence");
    const frames = view.frames.slice(-MAX_SEQUENCE_ROWS);
    const origin = view.openedAt ?? frames[0]?.t ?? 0;
    // Messages that took several frames get a line of their own after their last frame (RFC 6455 §5.4).
    const reassembled = new Map(view.messages.filter((m) => m.frames > 1).map((m) => [`${m.dir}:${m.end}`, m]));
    list.replaceChildren();
    for (const f of frames) {
      const item = document.createElement("li");
      item.className = `dir-${f.dir}`;
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.frame = frameKey(f);
      button.dataset.opcode = String(f.frame.opcode);
      button.dataset.masked = String(f.frame.masked);
      button.setAttribute("aria-pressed", String(this.#selectedFrame(view) === f));
      const arrow = document.createElement("span");
      arrow.className = "arrow";
      arrow.textContent = f.dir === "in" ? "→" : "←";
      arrow.setAttribute("aria-hidden", "true");
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = `${frameLabel(f)} ${payloadPreview(f, 24)}`;
      const time = document.createElement("span");
      time.className = "time";
      time.textContent = `+${formatMs(f.t - origin)}`;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = `${side[f.dir]}, `;
      button.append(hidden, arrow, label, time);
      const isNew = live && !this.#renderedFrames.has(frameKey(f));
      if (isNew) item.classList.add("arriving");
      this.#renderedFrames.add(frameKey(f));
      item.append(button);
      list.append(item);
      const message = reassembled.get(`${f.dir}:${f.end}`);
      if (message) {
        const row = document.createElement("li");
        row.className = `message dir-${f.dir}`;
        const text = message.text === null ? bytesLabel(message.data.length) : `“${message.text}”`;
        row.textContent = `⤷ one ${message.type} message reassembled from ${message.frames} frames: ${text}`;
        list.append(row);
      }
    }
    if (frames.length > 0) requestAnimationFrame(() => list.querySelectorAll(".arriving").forEach((el) => el.classList.remove("arriving")));
    part(this, "sequence-empty").hidden = frames.length > 0;
    if (live) {
      const scroller = part(this, "sequence-scroller");
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  #renderBoundaries(view: CaptureView): void {
    for (const dir of ["in", "out"] as const) {
      const holder = part(this, `boundaries-${dir}`);
      const layout = layoutBoundaries(view.frames, view.chunks, dir);
      holder.replaceChildren();
      if (layout.widths.length === 0) continue;
      const grid = document.createElement("div");
      grid.className = "boundary-grid";
      grid.style.gridTemplateColumns = layout.widths.map((w) => `minmax(0.9rem, ${Math.sqrt(w).toFixed(2)}fr)`).join(" ");
      const row = (spans: typeof layout.frames, kind: "frame" | "chunk", line: number): void => {
        spans.forEach((span, i) => {
          const box = document.createElement("span");
          box.className = `span ${kind}`;
          box.style.gridColumn = `${span.column[0]} / ${span.column[1]}`;
          box.style.gridRow = String(line);
          box.textContent = kind === "frame" ? `F${(span.frameIndex ?? i) + 1}` : `${span.label} ${bytesLabel(span.end - span.start)}`;
          box.title = `${kind === "frame" ? "Frame" : dir === "in" ? "TCP read" : "Write"}: bytes ${span.start}–${span.end - 1} (${bytesLabel(span.end - span.start)})`;
          grid.append(box);
        });
      };
      row(layout.frames, "frame", 1);
      row(layout.chunks, "chunk", 2);
      holder.append(grid);
      const note = document.createElement("p");
      note.className = "hint";
      note.textContent = layout.misaligned
        ? "Frame edges and TCP edges differ here: TCP carries a byte stream, so one read can hold several frames or part of one."
        : "Here every TCP read or write happens to hold exactly one frame; send a long message to see them part.";
      holder.append(note);
    }
  }

  #selectedFrame(view: CaptureView): CapturedFrame | null {
    if (view.frames.length === 0) return null;
    return view.frames.find((f) => frameKey(f) === this.#selected) ?? view.frames.at(-1) ?? null;
  }

  #renderDetail(view: CaptureView): void {
    const frame = this.#selectedFrame(view);
    const detail = part(this, "detail");
    detail.hidden = frame === null;
    if (!frame) return;
    part(this, "detail-title").textContent = describeFrame(frame);
    const dissection = dissectFrame(frame.frame.raw, { direction: frame.dir === "in" ? "client-to-server" : "server-to-client" });
    renderByteGrid(part(this, "bytes"), part(this, "byte-explanation"), frame.frame.raw, dissection, this.#idPrefix);
    renderLegend(part(this, "fields"), dissection);
    renderUnmask(part<HTMLTableSectionElement>(this, "unmask"), part(this, "unmask-summary"), dissection);
    part(this, "unmask-table").hidden = !dissection.masked;
    this.dataset.selectedFrame = frameKey(frame);
  }
}
