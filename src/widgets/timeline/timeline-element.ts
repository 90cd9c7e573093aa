// <sp-timeline>: a simulated exchange as a sequence diagram you can play, step and scrub. The
// markup comes from Timeline.astro; this class runs the scenario (src/scenarios/run-scenario.ts), creates
// the player machine (src/machines/timeline-player.ts), draws every snapshot, and turns clicks,
// keys, settings and the URL hash (#timeline-<id>=<ms>) into machine events.
//
// Attributes for tests and styling: data-ready (code loaded), data-time (virtual ms, rounded),
// data-moment (index of the current moment), data-state (paused | playing | finished), and
// data-problem when there is nothing to draw.
import { createActor } from "xstate";
import * as scenarios from "../../scenarios/run-scenario.ts";
import {
  totals,
  type LinkSettings,
  type ScenarioKind,
  type ScenarioRequest,
  type Trace,
  type Totals,
} from "../../sim/trace.ts";
import {
  isSpeed,
  momentIndexAt,
  playerState,
  type PlayerStateName,
  type TimelinePlayerActor,
  timelinePlayerMachine,
} from "../../machines/timeline-player.ts";
import {
  choiceOf,
  choicesWith,
  FALLBACK_LINK,
  JITTER_CHOICES,
  linkWith,
  LOSS_CHOICES,
  RTT_CHOICES,
} from "./settings.ts";
import { layoutDiagram, pointAlong, yAt, type ArrowLayout, type DiagramLayout } from "./timeline-layout.ts";
import {
  describeMoment,
  endsAt,
  formatBytes,
  formatTime,
  hashWithTime,
  isScenarioKind,
  isTimelineId,
  messageAt,
  timeFromHash,
  traceMoments,
  transcript,
} from "./trace-view.ts";
import { writeDeepLink } from "../shared/deep-link.ts";
import { inFrames } from "../shared/in-frames.ts";
import { formatCount } from "../shared/format-count.ts";

const SVG = "http://www.w3.org/2000/svg";

type Engine = {
  runScenario?: (request: ScenarioRequest) => Trace;
  runScenarioInSlices?: (request: ScenarioRequest) => Promise<Trace>;
  defaultScenario?: Partial<Record<ScenarioKind, Omit<ScenarioRequest, "kind" | "link">>>;
  defaultLink?: LinkSettings;
};

function part<T extends Element = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-timeline is missing its "${name}" part`);
  return found;
}

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  parent?.append(element);
  return element;
}

function text(
  content: string,
  attributes: Record<string, string | number>,
  parent: Element,
  full?: string,
): SVGTextElement {
  const element = svg("text", attributes, parent);
  element.textContent = content;
  if (full && full !== content) svg("title", {}, element).textContent = full;
  return element;
}

/**
 * Labels shown per frame the first time a diagram is drawn. The first use of each font size and
 * weight in an SVG costs the browser a font lookup inside its layout (5 to 15 ms each on the
 * bench's machine; a diagram uses six or seven): all of them at once made a 40 to 60 ms frame.
 */
const FIRST_LABELS_PER_FRAME = 8;

const round1 = (n: number): string => (Math.round(n * 10) / 10).toString();

interface DrawnArrow {
  layout: ArrowLayout;
  group: SVGGElement;
  shaft: SVGLineElement;
  head: SVGPathElement;
  cross: SVGPathElement | null;
}

interface Drawn {
  trace: Trace;
  layout: DiagramLayout;
  arrows: DrawnArrow[];
  notes: SVGGElement[];
  now: SVGGElement;
  nowLine: SVGLineElement;
  nowText: SVGTextElement;
}

interface Shown {
  time: number;
  moment: number;
  state: PlayerStateName;
  trace: Trace;
}

export default class TimelineElement extends HTMLElement {
  #actor: TimelinePlayerActor | null = null;
  #abort = new AbortController();
  #engine: Engine = scenarios as Engine;
  #kind: ScenarioKind = "tcp";
  #id = "timeline";
  #link: LinkSettings = FALLBACK_LINK;
  #trace: Trace | null = null;
  #moments: number[] = [0];
  #drawn: Drawn | null = null;
  #shown: Shown | null = null;
  #transcriptItems: { li: HTMLLIElement; times: number[]; at: number }[] = [];
  /** Only a reader's own stepping writes the address bar; loading the page never does. */
  #interacted = false;
  #resize: ResizeObserver | null = null;
  #width = 0;
  /** Whether a diagram has been drawn before: its fonts are ready and its labels show at once. */
  #drawnBefore = false;
  #cancelLabels: () => void = () => {};

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const kind = this.dataset.scenario;
    const id = this.dataset.id || this.id || kind || "timeline";
    this.#id = isTimelineId(id) ? id : "timeline";
    part(this, "loading-note").hidden = true;

    if (!isScenarioKind(kind))
      return this.#fail(`“${kind ?? ""}” is not a scenario this timeline knows, so there is nothing to draw.`);
    this.#kind = kind;
    if (typeof this.#engine.runScenario !== "function") {
      return this.#fail(
        "The simulation engine (runScenario in src/scenarios/run-scenario.ts) is not available, so there is nothing to draw.",
      );
    }
    this.#link = { ...(this.#engine.defaultLink ?? FALLBACK_LINK) };
    this.#prepareSettings();
    void this.#start(signal);
  }

  /**
   * The first run of the simulation is the costliest part of a timeline's start: on a first
   * visit the state machines' code is compiled as it first runs (40 to 100 ms in one task on the
   * bench's machine). It runs in slices, in tasks apart from the element's definition, and the
   * player and the controls start in a task after it.
   */
  async #start(signal: AbortSignal): Promise<void> {
    const trace = await this.#runFirst(this.#link);
    if (!trace || signal.aborted) return;
    setTimeout(() => {
      if (!signal.aborted) this.#startPlayer(trace, signal);
    }, 0);
  }

  #startPlayer(trace: Trace, signal: AbortSignal): void {
    const reduced = matchMedia("(prefers-reduced-motion: reduce)");
    const linked = timeFromHash(location.hash, this.#id);
    const actor = createActor(timelinePlayerMachine, {
      input: { moments: this.#moments, duration: trace.duration, time: linked ?? 0, stepwise: reduced.matches },
    });
    this.#actor = actor;
    this.#listen(actor, signal);
    reduced.addEventListener("change", () => actor.send({ type: "motion.set", stepwise: reduced.matches }), { signal });
    actor.subscribe(() => this.#render());
    actor.start();

    for (const control of this.querySelectorAll<
      HTMLButtonElement | HTMLSelectElement | HTMLInputElement | HTMLFieldSetElement
    >("button, select, input, fieldset")) {
      control.disabled = false;
    }
    this.querySelector("[data-part=placeholder]")?.remove();
    this.#renderTotals(trace);
    // The diagram is drawn once its width is known, after the browser's own layout.
    this.#watchWidth(signal);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#resize?.disconnect();
    this.#resize = null;
    this.#cancelLabels();
    this.#actor?.stop();
    this.#actor = null;
    this.#drawn = null;
    this.#shown = null;
  }

  #fail(message: string): void {
    const problem = part(this, "problem");
    problem.textContent = message;
    problem.hidden = false;
    this.toggleAttribute("data-problem", true);
    this.toggleAttribute("data-ready", true);
  }

  /** Runs the scenario on a link; on failure says why and keeps what was shown. */
  #run(link: LinkSettings): Trace | null {
    try {
      return this.#accept(this.#engine.runScenario!(this.#request(link)));
    } catch (error) {
      return this.#runFailed(error);
    }
  }

  /** The same as #run, in slices when the engine can (see #start). */
  async #runFirst(link: LinkSettings): Promise<Trace | null> {
    const sliced = this.#engine.runScenarioInSlices;
    if (typeof sliced !== "function") return this.#run(link);
    try {
      return this.#accept(await sliced(this.#request(link)));
    } catch (error) {
      return this.#runFailed(error);
    }
  }

  #request(link: LinkSettings): ScenarioRequest {
    // Only the TCP timeline has a "which segment is lost" choice.
    const drop = this.querySelector<HTMLSelectElement>('[data-part="drop"]');
    const chosen: Partial<ScenarioRequest> = drop ? { dropSegment: drop.value === "" ? null : Number(drop.value) } : {};
    // A lesson may ask for a number of requests (validated at build time in Timeline.astro).
    if (this.dataset.requests) chosen.requests = Number(this.dataset.requests);
    return { ...(this.#engine.defaultScenario?.[this.#kind] ?? {}), ...chosen, kind: this.#kind, link };
  }

  #accept(trace: Trace): Trace {
    if (!trace || !Array.isArray(trace.messages) || !Number.isFinite(trace.duration))
      throw new Error("it returned no trace");
    this.#trace = trace;
    this.#moments = traceMoments(trace);
    this.#renderTranscript(trace);
    part(this, "problem").hidden = true;
    return trace;
  }

  #runFailed(error: unknown): null {
    this.#fail(`The simulation could not run (${error instanceof Error ? error.message : String(error)}).`);
    return null;
  }

  /** The selects show the engine's default link, whatever the build-time markup guessed. */
  #prepareSettings(): void {
    const choice = choiceOf(this.#link);
    const fill = (name: string, choices: readonly number[], value: number, label: (n: number) => string): void => {
      const select = part<HTMLSelectElement>(this, name);
      select.replaceChildren(
        ...choicesWith(choices, value).map((n) => {
          const option = document.createElement("option");
          option.value = String(n);
          option.textContent = label(n);
          option.selected = n === value;
          return option;
        }),
      );
    };
    fill("rtt", RTT_CHOICES, choice.rttMs, (n) => `${round1(n)} ms`);
    fill("loss", LOSS_CHOICES, choice.lossRate, (n) => `${round1(n * 100)}%`);
    fill("jitter", JITTER_CHOICES, choice.jitterMs, (n) => (n === 0 ? "none" : `± ${round1(n)} ms`));
  }

  #listen(actor: TimelinePlayerActor, signal: AbortSignal): void {
    const send = (event: Parameters<TimelinePlayerActor["send"]>[0]): void => {
      this.#interacted = true;
      actor.send(event);
    };
    const on = (name: string, type: "step.next" | "step.previous" | "step.first" | "step.last") =>
      part(this, name).addEventListener("click", () => send({ type }), { signal });
    on("first", "step.first");
    on("previous", "step.previous");
    on("next", "step.next");
    on("last", "step.last");
    const toggle = (): void => send({ type: playerState(actor.getSnapshot()) === "playing" ? "pause" : "play" });
    part(this, "play").addEventListener("click", toggle, { signal });

    const speed = part<HTMLSelectElement>(this, "speed");
    speed.addEventListener(
      "change",
      () => {
        const value = Number(speed.value);
        if (isSpeed(value)) actor.send({ type: "speed.set", speed: value });
      },
      { signal },
    );

    const scrub = part<HTMLInputElement>(this, "scrub");
    scrub.addEventListener("input", () => send({ type: "seek", time: Number(scrub.value) }), { signal });

    this.querySelector('[data-part="drop"]')?.addEventListener("change", () => this.#settingsChanged(actor), {
      signal,
    });
    for (const name of ["rtt", "loss", "jitter"]) {
      part<HTMLSelectElement>(this, name).addEventListener("change", () => this.#settingsChanged(actor), { signal });
    }

    this.addEventListener(
      "keydown",
      (event) => {
        if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
        const target = event.target as HTMLElement;
        if (target.closest("input, select, textarea, [contenteditable]")) return;
        if (event.key === " " && !event.shiftKey) {
          // Buttons and links answer Space themselves.
          if (target.closest("button, a, summary")) return;
          event.preventDefault();
          toggle();
          return;
        }
        if (event.shiftKey) return;
        const type = (
          { ArrowRight: "step.next", ArrowLeft: "step.previous", Home: "step.first", End: "step.last" } as const
        )[event.key];
        if (!type) return;
        event.preventDefault();
        send({ type });
      },
      { signal },
    );

    window.addEventListener(
      "hashchange",
      () => {
        const time = timeFromHash(location.hash, this.#id);
        if (time === null) return;
        actor.send({ type: "pause" });
        actor.send({ type: "seek", time });
      },
      { signal },
    );
  }

  #settingsChanged(actor: TimelinePlayerActor): void {
    const read = (name: string): number => Number(part<HTMLSelectElement>(this, name).value);
    const link = linkWith(this.#link, { rttMs: read("rtt"), lossRate: read("loss"), jitterMs: read("jitter") });
    const trace = this.#run(link);
    if (!trace) return;
    this.#link = link;
    this.#drawn = null;
    this.#renderTotals(trace);
    actor.send({ type: "trace.loaded", moments: this.#moments, duration: trace.duration });
    this.#render();
    const t = totals(trace);
    part(this, "announcer").textContent =
      `Simulated again with a ${round1(link.oneWayMs * 2)} ms round trip, ${round1(link.lossRate * 100)}% loss` +
      `${link.jitterMs ? ` and ± ${round1(link.jitterMs)} ms jitter` : ""}: ${t.messages} messages, ${t.lost} lost, ending at ${formatTime(trace.duration)}.`;
  }

  /**
   * Draws the diagram at its box's width, and again whenever that changes. The first width comes
   * from the ResizeObserver, after the browser has laid the page out: reading it during start-up
   * would force that layout early, inside the same long task as the simulation.
   */
  #watchWidth(signal: AbortSignal): void {
    const box = part(this, "diagram");
    const ready = (): void => {
      this.toggleAttribute("data-ready", true);
      this.#render();
    };
    if (!("ResizeObserver" in window)) {
      this.#width = box.clientWidth;
      return ready();
    }
    // The observer reports inside the browser's frame, after its layout: the diagram is drawn in
    // a task of its own after that frame, so building it and laying the page out again are not
    // added to the frame's own layout and paint in one long task.
    let drawTask: ReturnType<typeof setTimeout> | null = null;
    signal.addEventListener("abort", () => {
      if (drawTask !== null) clearTimeout(drawTask);
    });
    this.#resize = new ResizeObserver(() => {
      const width = box.clientWidth;
      if (this.hasAttribute("data-ready") && Math.abs(width - this.#width) < 2) return;
      this.#width = width;
      if (drawTask !== null) return;
      drawTask = setTimeout(() => {
        drawTask = null;
        this.#drawn = null;
        if (this.hasAttribute("data-ready")) this.#render();
        else ready();
      }, 0);
    });
    this.#resize.observe(box);
    signal.addEventListener("abort", () => this.#resize?.disconnect());
    // A box that is not rendered (inside a hidden slide, say) gets no first observation: it is
    // drawn at its fallback width instead, and redrawn by the observer once it shows.
    const fallback = setTimeout(() => {
      if (this.hasAttribute("data-ready")) return;
      this.#width = box.clientWidth;
      ready();
    }, 500);
    signal.addEventListener("abort", () => clearTimeout(fallback));
  }

  // ── drawing ────────────────────────────────────────────────────────────────────────────

  #draw(trace: Trace): Drawn {
    const box = part(this, "diagram");
    const layout = layoutDiagram(trace, this.#width || box.clientWidth || 640);
    const { width, height, clientX, serverX, top } = layout;
    const root = svg("svg", {
      viewBox: `0 0 ${width} ${height}`,
      role: "img",
      "aria-label": `Sequence diagram of ${trace.title}: client on the left, server on the right, time running down. The transcript below lists the same messages.`,
    });

    // Folded quiet stretches first: tick labels and lanes are drawn over them.
    for (const band of layout.quiet) {
      const g = svg("g", { class: "quiet" }, root);
      svg("rect", { x: 0, y: band.y0, width, height: band.y1 - band.y0 }, g);
      text(
        band.label,
        { class: "halo", x: (clientX + serverX) / 2, y: (band.y0 + band.y1) / 2 + 4, "text-anchor": "middle" },
        g,
      );
    }
    const axis = svg("g", { class: "axis" }, root);
    for (const tick of layout.ticks) {
      const g = svg("g", { class: "tick" }, axis);
      svg("line", { x1: 40, x2: width - 4, y1: tick.y, y2: tick.y }, g);
      text(tick.label, { x: 4, y: tick.y - 3 }, g);
    }
    for (const [peer, x] of [
      ["client", clientX],
      ["server", serverX],
    ] as const) {
      svg("line", { class: `lane ${peer}`, x1: x, x2: x, y1: top - 12, y2: height - 10 }, root);
      text(
        peer === "client" ? "Client" : "Server",
        { class: `lane-name ${peer}`, x, y: 20, "text-anchor": "middle" },
        root,
      );
    }

    const notesLayer = svg("g", { class: "notes" }, root);
    const notes = layout.notes.map((n) => {
      const g = svg("g", { class: `note ${n.peer}`, "data-kind": n.kind, "data-note": n.index }, notesLayer);
      const mark = svg("circle", { class: "mark", cx: n.mark.x, cy: n.mark.y, r: 4.5 }, g);
      if (n.text.text)
        text(n.text.text, { class: "halo", x: n.text.x, y: n.text.y, "text-anchor": n.text.anchor }, g, n.text.full);
      else svg("title", {}, mark).textContent = n.text.full;
      return g;
    });

    const arrowsLayer = svg("g", { class: "messages" }, root);
    const arrows = layout.arrows.map((a): DrawnArrow => {
      const group = svg("g", { class: "msg", "data-message-id": a.id, "data-from": a.from }, arrowsLayer);
      if (a.retransmission) group.setAttribute("data-retransmission", "");
      const shaft = svg("line", { class: "shaft", x1: a.start.x, y1: a.start.y, x2: a.start.x, y2: a.start.y }, group);
      const head = svg("path", { class: "head", d: "M0,0 L-10,-4.5 L-10,4.5 Z" }, group);
      const cross = a.lost
        ? svg(
            "path",
            {
              class: "cross",
              d: `M${a.end.x - 6},${a.end.y - 6} L${a.end.x + 6},${a.end.y + 6} M${a.end.x - 6},${a.end.y + 6} L${a.end.x + 6},${a.end.y - 6}`,
            },
            group,
          )
        : null;
      if (a.label.text)
        text(
          a.label.text,
          { class: "label halo", x: a.label.x, y: a.label.y, "text-anchor": a.label.anchor },
          group,
          a.label.full,
        );
      return { layout: a, group, shaft, head, cross };
    });

    const now = svg("g", { class: "now" }, root);
    const nowLine = svg("line", { x1: 40, x2: width - 4, y1: top, y2: top }, now);
    const nowText = text("", { class: "halo", x: 4, y: top - 4 }, now);

    this.#cancelLabels();
    if (!this.#drawnBefore) this.#showLabelsInFrames(root);
    this.#drawnBefore = true;
    box.replaceChildren(root);
    return { trace, layout, arrows, notes, now, nowLine, nowText };
  }

  /** The first drawing's labels appear a few per frame (see FIRST_LABELS_PER_FRAME). */
  #showLabelsInFrames(root: SVGSVGElement): void {
    const labels = [...root.querySelectorAll("text")];
    for (const label of labels) label.setAttribute("display", "none");
    this.#cancelLabels = inFrames(labels, FIRST_LABELS_PER_FRAME, (batch) => {
      for (const label of batch) label.removeAttribute("display");
    });
  }

  #renderDiagram(trace: Trace, time: number, momentTime: number, follow: boolean): void {
    if (!this.#drawn || this.#drawn.trace !== trace) this.#drawn = this.#draw(trace);
    const drawn = this.#drawn;
    const atMoment = time === momentTime;
    trace.messages.forEach((message, i) => {
      const arrow = drawn.arrows[i];
      if (!arrow) return;
      const at = messageAt(message, time, trace.link);
      arrow.group.setAttribute("data-phase", at.phase);
      arrow.group.toggleAttribute("hidden", at.phase === "unsent");
      if (at.phase === "unsent") return;
      const tip = pointAlong(arrow.layout, at.progress);
      arrow.shaft.setAttribute("x2", String(tip.x));
      arrow.shaft.setAttribute("y2", String(tip.y));
      const { start, end } = arrow.layout;
      const angle = (Math.atan2(end.y - start.y, end.x - start.x) * 180) / Math.PI;
      arrow.head.setAttribute("transform", `translate(${tip.x} ${tip.y}) rotate(${angle})`);
      arrow.head.toggleAttribute("hidden", at.phase === "lost" || at.progress === 0);
      arrow.cross?.toggleAttribute("hidden", at.phase !== "lost");
      const current = atMoment && (message.sentAt === time || endsAt(message, trace.link) === time);
      arrow.group.toggleAttribute("data-current", current);
    });
    trace.notes.forEach((note, i) => {
      const g = drawn.notes[i];
      if (!g) return;
      g.toggleAttribute("hidden", note.at > time);
      g.toggleAttribute("data-current", atMoment && note.at === time);
    });
    const y = yAt(drawn.layout, time);
    drawn.nowLine.setAttribute("y1", String(y));
    drawn.nowLine.setAttribute("y2", String(y));
    drawn.nowText.setAttribute("y", String(y - 4));
    drawn.nowText.textContent = formatTime(time);
    if (follow) this.#keepInView(part(this, "diagram"), y * this.#svgScale());
  }

  #svgScale(): number {
    const drawn = this.#drawn;
    const root = part(this, "diagram").firstElementChild;
    if (!drawn || !root) return 1;
    const width = root.getBoundingClientRect().width;
    return width > 0 ? width / drawn.layout.width : 1;
  }

  /** Scrolls a box (never the page) so that a position inside it is in view. */
  #keepInView(box: HTMLElement, y: number): void {
    if (box.scrollHeight <= box.clientHeight) return;
    const margin = Math.min(60, box.clientHeight / 4);
    if (y < box.scrollTop + margin || y > box.scrollTop + box.clientHeight - margin) {
      box.scrollTop = Math.max(0, y - box.clientHeight / 3);
    }
  }

  #renderTranscript(trace: Trace): void {
    const list = part(this, "transcript");
    const items = transcript(trace).map((entry) => {
      const li = document.createElement("li");
      li.textContent = entry.text;
      li.dataset.peer = entry.peer;
      if (entry.messageId !== undefined) li.dataset.messageId = String(entry.messageId);
      if (entry.lost) li.dataset.lost = "";
      return { li, times: entry.times, at: entry.at };
    });
    list.replaceChildren(...items.map((i) => i.li));
    this.#transcriptItems = items;
  }

  #renderTranscriptState(momentTime: number, follow: boolean): void {
    let first: HTMLLIElement | null = null;
    for (const item of this.#transcriptItems) {
      const current = item.times.includes(momentTime);
      if (current) {
        item.li.setAttribute("aria-current", "step");
        first ??= item.li;
      } else item.li.removeAttribute("aria-current");
      item.li.dataset.when = item.at <= momentTime ? "past" : "future";
    }
    if (follow && first) this.#keepInView(part(this, "transcript-box"), first.offsetTop);
  }

  #renderTotals(trace: Trace): void {
    const t: Totals = totals(trace);
    const number = formatCount;
    const values: Record<string, string | null> = {
      requests: number(t.requests),
      roundTrips: number(t.roundTrips),
      tcpConnections: number(t.tcpConnections),
      messages: number(t.messages),
      bytes: formatBytes(t.bytes),
      headerBytes: formatBytes(t.headerBytes),
      lost: number(t.lost),
      retransmissions: number(t.retransmissions),
      meanDeliveryMs: t.meanDeliveryMs === null ? null : formatTime(t.meanDeliveryMs),
      maxDeliveryMs: t.maxDeliveryMs === null ? null : formatTime(t.maxDeliveryMs),
    };
    const box = part(this, "totals");
    for (const [key, value] of Object.entries(values)) {
      const dd = box.querySelector<HTMLElement>(`[data-total="${key}"]`);
      const row = box.querySelector<HTMLElement>(`[data-row="${key}"]`);
      if (dd) dd.textContent = value ?? "none delivered";
      // Delivery delays belong to scenarios where the server pushes events; elsewhere they say nothing.
      if (row) row.hidden = value === null && trace.deliveries.length === 0;
    }
    part(this, "duration").textContent = formatTime(trace.duration);
  }

  #render(): void {
    const actor = this.#actor;
    const trace = this.#trace;
    // Before the first width is known there is nothing to draw at (see #watchWidth).
    if (!actor || !trace || !this.hasAttribute("data-ready")) return;
    const snapshot = actor.getSnapshot();
    const { time, duration, moments } = snapshot.context;
    const state = playerState(snapshot);
    const moment = momentIndexAt(moments, time);
    const momentTime = moments[moment] ?? 0;
    const previous = this.#shown;

    this.dataset.time = String(Math.round(time));
    this.dataset.moment = String(moment);
    this.dataset.state = state;

    const play = part(this, "play");
    play.textContent = state === "playing" ? "Pause" : state === "finished" ? "Play again" : "Play";
    const atStart = time <= 0;
    const atEnd = time >= duration;
    for (const [name, off] of [
      ["first", atStart],
      ["previous", atStart],
      ["next", atEnd],
      ["last", atEnd],
    ] as const) {
      part(this, name).setAttribute("aria-disabled", String(off));
    }
    const scrub = part<HTMLInputElement>(this, "scrub");
    scrub.max = String(duration);
    scrub.step = "any";
    if (document.activeElement !== scrub || state === "playing") scrub.value = String(time);
    scrub.setAttribute("aria-valuetext", formatTime(time));
    part(this, "clock").textContent = formatTime(time);
    const speed = part<HTMLSelectElement>(this, "speed");
    if (speed.value !== String(snapshot.context.speed)) speed.value = String(snapshot.context.speed);

    const changed = !previous || previous.moment !== moment || previous.trace !== trace;
    const follow = previous !== null && (previous.time !== time || previous.trace !== trace);
    this.#renderDiagram(trace, time, momentTime, follow || (!previous && time > 0));
    if (changed || !previous) this.#renderTranscriptState(momentTime, follow || (!previous && time > 0));

    if (previous && previous.trace === trace) {
      if (changed) part(this, "announcer").textContent = describeMoment(trace, momentTime);
      else if (previous.state !== state && state !== "playing" && state !== "finished")
        part(this, "announcer").textContent = `Paused at ${formatTime(time)}.`;
    }
    if (this.#interacted && state !== "playing" && (!previous || previous.time !== time || previous.state !== state))
      this.#writeHash(time);
    this.#shown = { time, moment, state, trace };
  }

  /** The address bar follows the reader, and a teacher's followers follow it (deep-link.ts). */
  #writeHash(time: number): void {
    writeDeepLink(hashWithTime(location.hash, this.#id, time));
  }
}
