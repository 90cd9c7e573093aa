// <sp-side-by-side>: the reader's real WebSocket conversation (captured by the lab's tap) beside
// the HTTP exchange the same conversation would need (simulated, on a link whose round-trip
// time the reader picks), on one time axis. Every send and every push grows both sides.
import { createActor } from "xstate";
import { echoConnectionMachine, readyStateOf, type EchoConnectionActor } from "../../machines/echo-connection.ts";
import { buildCaptureView } from "../../protocol/capture.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { runScenario } from "../../sim/scenarios.ts";
import { totals, type LinkSettings, type Trace } from "../../sim/trace.ts";
import { createTappedSocket, type TappedSocket } from "../shared/tapped-socket.ts";
import { realConversation, realTotals, scenarioFor, type Conversation, type HttpMode } from "./conversation.ts";
import { WIDTH, lanes, layout } from "./layout.ts";

const SVG = "http://www.w3.org/2000/svg";
const MAX_EVENTS = 5000;
const pushes = ["Score: 1–0", "New message from Ada", "Price changed: 42.10", "Build finished", "Someone joined the room"];

function part<T extends Element = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-side-by-side is missing its "${name}" part`);
  return found;
}

function svg<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

export default class SideBySideElement extends HTMLElement {
  #abort = new AbortController();
  #tapped: TappedSocket | null = null;
  #connection: EchoConnectionActor | null = null;
  #events: TapEvent[] = [];
  #conversation: Conversation = { origin: null, messages: [] };
  #trace: Trace | null = null;
  #tick: ReturnType<typeof setInterval> | null = null;
  #pushCount = 0;
  #announced = 0;
  #openedAtPage: number | null = null;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#tapped = createTappedSocket({
      onEvent: (event) => {
        if (this.#events.length < MAX_EVENTS) this.#events.push(event);
        this.#update();
      },
      onProblem: (message) => {
        const out = part(this, "problem");
        out.textContent = message;
        out.hidden = false;
      },
    });
    const actor = createActor(echoConnectionMachine.provide({ actors: { socket: this.#tapped.actor } }), { input: { url: "/lab/echo" } });
    actor.subscribe(() => this.#renderState());
    actor.start();
    this.#connection = actor;

    part(this, "connect").addEventListener("click", () => this.#connect(), { signal });
    part<HTMLFormElement>(this, "send-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = part<HTMLInputElement>(this, "message").value;
      if (text !== "") actor.send({ type: "message.send", data: text, at: performance.now() });
    }, { signal });
    part(this, "push").addEventListener("click", () => {
      const text = pushes[this.#pushCount++ % pushes.length]!;
      this.#tapped?.monitor()?.command({ cmd: "push", text });
    }, { signal });
    for (const name of ["mode", "rtt", "interval"]) part(this, name).addEventListener("change", () => this.#update(), { signal });

    part(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
    this.#connect();
    this.#tick = setInterval(() => {
      // Time passes on the HTTP side even when nobody speaks: short polling keeps polling.
      if (readyStateOf(this.#connection?.getSnapshot().value) === "OPEN") this.#update();
    }, 1000);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    if (this.#tick) clearInterval(this.#tick);
    this.#connection?.stop();
    this.#tapped?.dispose();
  }

  #connect(): void {
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    if (state !== null && state !== "CLOSED") return;
    this.#events = [];
    this.#announced = 0;
    this.#openedAtPage = null;
    part(this, "problem").hidden = true;
    this.#connection?.send({ type: "connect.requested", at: performance.now() });
  }

  #renderState(): void {
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    this.dataset.state = state ?? "none";
    part(this, "state").textContent = state ?? "not connected";
    const open = state === "OPEN";
    if (open && this.#openedAtPage === null) this.#openedAtPage = performance.now();
    const connect = part<HTMLButtonElement>(this, "connect");
    connect.disabled = open || state === "CONNECTING" || state === "CLOSING";
    connect.textContent = this.#connection && this.#connection.getSnapshot().context.connection > 0 ? "Reconnect" : "Connect";
    for (const control of this.querySelectorAll<HTMLButtonElement | HTMLInputElement>("[data-needs-open]")) control.disabled = !open;
  }

  #link(): LinkSettings {
    const rtt = Number(part<HTMLSelectElement>(this, "rtt").value);
    return { oneWayMs: rtt / 2, jitterMs: 0, lossRate: 0, bandwidthBytesPerSecond: null, seed: 1 };
  }

  #update(): void {
    this.#conversation = realConversation(buildCaptureView(this.#events));
    const mode = part<HTMLSelectElement>(this, "mode").value as HttpMode;
    const interval = Number(part<HTMLSelectElement>(this, "interval").value);
    part(this, "interval-field").hidden = mode !== "short-polling";
    const elapsed = this.#openedAtPage === null ? 0 : performance.now() - this.#openedAtPage;
    if (this.#conversation.origin !== null) {
      try {
        this.#trace = runScenario(scenarioFor(this.#conversation, mode, this.#link(), interval, elapsed));
      } catch (error) {
        this.#trace = null;
        part(this, "problem").textContent = `The simulation could not run: ${(error as Error).message}`;
        part(this, "problem").hidden = false;
      }
    }
    this.#render();
  }

  #render(): void {
    const real = this.#conversation.messages;
    const trace = this.#trace;
    const duration = Math.max(trace?.duration ?? 0, ...real.map((m) => m.t + 200), 1000);
    const geometry = layout(real, trace, duration);
    const diagram = part<SVGSVGElement>(this, "diagram");
    diagram.setAttribute("viewBox", `0 0 ${WIDTH} ${geometry.height}`);
    diagram.style.height = `${geometry.height}px`;
    diagram.replaceChildren();
    for (const x of Object.values(lanes)) diagram.append(svg("line", { x1: x, y1: 36, x2: x, y2: geometry.height, class: "lane" }));
    for (const tick of geometry.ticks) {
      diagram.append(svg("line", { x1: 0, y1: tick.y, x2: WIDTH, y2: tick.y, class: "tick" }));
      const label = svg("text", { x: 322, y: tick.y - 2, class: "tick-label", "text-anchor": "middle" });
      label.textContent = tick.label;
      diagram.append(label);
    }
    for (const [x, text] of [[lanes.realClient, "Browser"], [lanes.realServer, "Lab"], [lanes.httpClient, "Browser"], [lanes.httpServer, "Server"]] as const) {
      const heading = svg("text", { x, y: 28, class: "lane-label", "text-anchor": "middle" });
      heading.textContent = text;
      diagram.append(heading);
    }
    for (const arrow of geometry.arrows) {
      const group = svg("g", { class: `arrow ${arrow.side} ${arrow.dir}${arrow.lost ? " lost" : ""}` });
      group.append(svg("line", { x1: arrow.x1, y1: arrow.y1, x2: arrow.x2, y2: arrow.y2, "marker-end": arrow.lost ? "" : `url(#${this.id || "sbs"}-head)` }));
      // Requests are labelled above their arrow and answers below, so a quick echo's pair stays legible.
      const midY = (arrow.y1 + arrow.y2) / 2;
      const text = svg("text", { x: (arrow.x1 + arrow.x2) / 2, y: arrow.dir === "to-server" ? midY - 5 : midY + 13, "text-anchor": "middle" });
      text.textContent = arrow.label;
      group.append(text);
      diagram.append(group);
    }
    const defs = svg("defs", {});
    const marker = svg("marker", { id: `${this.id || "sbs"}-head`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "head" }));
    defs.append(marker);
    diagram.prepend(defs);

    const ws = realTotals(this.#conversation);
    const http = trace ? totals(trace) : null;
    const set = (name: string, value: string): void => {
      part(this, name).textContent = value;
    };
    set("ws-messages", String(ws.messages));
    set("ws-bytes", `${ws.bytes.toLocaleString("en")} (${ws.headerBytes.toLocaleString("en")} of them frame headers)`);
    set("http-requests", http ? String(http.requests) : "0");
    set("http-bytes", http ? `${http.bytes.toLocaleString("en")} (${http.headerBytes.toLocaleString("en")} of them HTTP headers)` : "0");
    set("http-delay", http?.meanDeliveryMs == null ? "—" : `${http.meanDeliveryMs.toFixed(0)} ms mean, ${http.maxDeliveryMs!.toFixed(0)} ms worst`);
    this.dataset.realMessages = String(ws.messages);
    this.dataset.httpRequests = String(http?.requests ?? 0);
    this.dataset.httpDelivered = String(http?.delivered ?? 0);

    const lines = [
      ...real.map((m) => ({ t: m.t, text: `${m.t.toFixed(0)} ms, WebSocket: ${m.dir === "in" ? "browser → lab" : "lab → browser"} “${m.text}”, ${m.bytes} bytes on the wire.` })),
      ...(trace?.messages ?? []).map((m) => ({
        t: m.sentAt,
        text: `${m.sentAt.toFixed(0)} ms, HTTP (simulated): ${m.from === "client" ? "browser → server" : "server → browser"} ${m.label}, ${m.bytes} bytes${m.arrivesAt === null ? ", lost" : `, arrives at ${m.arrivesAt.toFixed(0)} ms`}.`,
      })),
    ].sort((a, b) => a.t - b.t);
    part(this, "transcript").replaceChildren(
      ...lines.map((line) => {
        const li = document.createElement("li");
        li.textContent = line.text;
        return li;
      }),
    );
    if (real.length > this.#announced) {
      const latest = real.at(-1)!;
      part(this, "announcer").textContent = `${latest.dir === "in" ? "You sent" : "The lab sent"} “${latest.text}”. Over HTTP that takes ${http?.requests ?? 0} requests so far.`;
      this.#announced = real.length;
    }
  }
}
