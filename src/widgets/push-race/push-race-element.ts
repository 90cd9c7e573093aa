// <sp-push-race>: the same server events delivered at the same moments by short polling, long
// polling, server-sent events and a WebSocket, for real; each event's delivery delay drawn per
// transport, the lab's own count of requests and bytes, and the same race simulated on a link
// with the reader's round-trip time beside the measurements.
import { createActor, type ActorRefFrom } from "xstate";
import { pushRaceMachine, type RaceSettings } from "../../machines/push-race.ts";
import { TRANSPORTS, type Transport } from "../../protocol/lab-api.ts";
import { prepareRace, raceResults, raceTransport } from "./race-actors.ts";
import { scheduleOffsets, simulateRace, transportNames, transportStats } from "./race-stats.ts";
import { formatCount } from "../shared/format-count.ts";

type RaceActor = ActorRefFrom<typeof pushRaceMachine>;
const SVG = "http://www.w3.org/2000/svg";
const markers: Record<Transport, string> = {
  "short-polling": "M-5,-5h10v10h-10z",
  "long-polling": "M0,-6L6,5H-6z",
  sse: "M0,-6L6,0L0,6L-6,0z",
  websocket: "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0",
};

function part<T extends Element = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-push-race is missing its "${name}" part`);
  return found;
}

function svg<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

const ms = (n: number | null): string => (n === null ? "—" : `${n.toFixed(0)} ms`);
const bytes = (n: number | null): string => (n === null ? "—" : `${formatCount(Math.round(n))} B`);

export default class PushRaceElement extends HTMLElement {
  #actor: RaceActor | null = null;
  #abort = new AbortController();
  #announcedState = "";

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const actor = createActor(
      pushRaceMachine.provide({ actors: { prepare: prepareRace, transport: raceTransport, results: raceResults } }),
    );
    actor.subscribe(() => this.#render());
    actor.start();
    this.#actor = actor;
    part(this, "start").addEventListener(
      "click",
      () => actor.send({ type: "race.start", settings: this.#settings() }),
      { signal },
    );
    part(this, "rtt").addEventListener("change", () => this.#render(), { signal });
    part(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
    this.#render();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#actor?.stop();
  }

  #settings(): RaceSettings {
    const read = (name: string): number => Number(part<HTMLSelectElement>(this, name).value);
    return {
      events: read("events"),
      spacingMs: read("spacing"),
      pollIntervalMs: read("interval"),
      delayMs: read("delay"),
    };
  }

  #render(): void {
    const snapshot = this.#actor?.getSnapshot();
    if (!snapshot) return;
    const state = String(snapshot.value);
    const { race, arrivals, results, error, failures, settings } = snapshot.context;
    this.dataset.state = state;
    const busy = state === "preparing" || state === "running" || state === "collecting";
    part<HTMLButtonElement>(this, "start").disabled = busy;
    part(this, "start").textContent = state === "finished" || state === "failed" ? "Race again" : "Start the race";
    for (const select of this.querySelectorAll<HTMLSelectElement>("select[data-race-setting]")) select.disabled = busy;

    const statusText =
      state === "idle"
        ? "Ready: press Start."
        : state === "preparing"
          ? "Synchronising clocks with the lab and creating the race…"
          : state === "running"
            ? `Racing: ${TRANSPORTS.map((t) => `${transportNames[t]} ${arrivals[t].length}/${race?.events ?? settings.events}`).join(", ")}.`
            : state === "collecting"
              ? "Asking the lab how many bytes each transport cost…"
              : state === "finished"
                ? `Finished: ${TRANSPORTS.map((t) => `${transportNames[t]} delivered ${arrivals[t].length} of ${race?.events ?? 0}`).join(", ")}.`
                : "The race could not run.";
    part(this, "status").textContent = statusText;
    const problem = part(this, "problem");
    const failureText = Object.entries(failures)
      .map(([t, reason]) => `${transportNames[t as Transport]}: ${reason}`)
      .join("; ");
    problem.textContent = [error, failureText].filter(Boolean).join(" ");
    problem.hidden = problem.textContent === "";
    if (state !== this.#announcedState && (state === "running" || state === "finished" || state === "failed")) {
      part(this, "announcer").textContent = statusText;
      this.#announcedState = state;
    }

    // Measured on the wire.
    for (const transport of TRANSPORTS) {
      const row = this.querySelector<HTMLTableRowElement>(`tr[data-transport="${transport}"]`)!;
      const stats = transportStats(arrivals[transport], results?.transports[transport] ?? null);
      const cells = row.querySelectorAll("td");
      cells[0]!.textContent = race ? `${stats.delivered} of ${race.events}` : "—";
      cells[1]!.textContent = ms(stats.meanDelayMs);
      cells[2]!.textContent = ms(stats.maxDelayMs);
      cells[3]!.textContent = stats.requests === null ? "—" : String(stats.requests);
      cells[4]!.textContent = bytes(stats.bytes);
      cells[5]!.textContent = bytes(stats.bytesPerEvent);
      row.dataset.delivered = String(stats.delivered);
      row.dataset.bytesPerEvent = stats.bytesPerEvent === null ? "" : String(Math.round(stats.bytesPerEvent));
      row.dataset.requests = stats.requests === null ? "" : String(stats.requests);
    }

    // The same race, simulated on the reader's link.
    const rtt = Number(part<HTMLSelectElement>(this, "rtt").value);
    const simTable = part(this, "simulated");
    simTable.hidden = !race;
    if (race) {
      const sim = simulateRace(scheduleOffsets(race.schedule, race.serverTime), rtt, settings.pollIntervalMs);
      for (const transport of TRANSPORTS) {
        const row = simTable.querySelector<HTMLTableRowElement>(`tr[data-transport="${transport}"]`)!;
        const t = sim[transport];
        const cells = row.querySelectorAll("td");
        cells[0]!.textContent = ms(t.meanDeliveryMs);
        cells[1]!.textContent = ms(t.maxDeliveryMs);
        cells[2]!.textContent = String(t.requests || (t.tcpConnections > 0 ? 1 : 0));
        cells[3]!.textContent = bytes(t.delivered ? t.bytes / t.delivered : null);
      }
    }
    this.#renderChart(arrivals, race?.events ?? settings.events);
  }

  #renderChart(arrivals: Record<Transport, { eventId: number; delayMs: number }[]>, events: number): void {
    const chart = part<SVGSVGElement>(this, "chart");
    const width = 600;
    const height = 260;
    const left = 56;
    const bottom = 36;
    const top = 16;
    const right = 16;
    const all = TRANSPORTS.flatMap((t) => arrivals[t].map((a) => Math.max(0, a.delayMs)));
    // A round top value for the axis, so the tick labels read 0, 250, 500… rather than 0, 292, 585….
    const wanted = Math.max(100, ...all) * 1.05;
    const max =
      [100, 200, 400, 500, 800, 1000, 1200, 1600, 2000, 3000, 4000, 6000, 8000, 10_000, 20_000, 40_000].find(
        (v) => v >= wanted,
      ) ?? Math.ceil(wanted / 10_000) * 10_000;
    const x = (id: number): number => left + ((id - 0.5) / Math.max(events, 1)) * (width - left - right);
    const y = (delay: number): number => height - bottom - (delay / max) * (height - top - bottom);
    chart.replaceChildren();
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    chart.append(svg("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }));
    chart.append(svg("line", { x1: left, y1: top, x2: left, y2: height - bottom, class: "axis" }));
    for (let i = 0; i <= 4; i++) {
      const value = (max / 4) * i;
      const label = svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", class: "tick" });
      label.textContent = `${value.toFixed(0)} ms`;
      chart.append(label, svg("line", { x1: left, y1: y(value), x2: width - right, y2: y(value), class: "grid" }));
    }
    for (let id = 1; id <= events; id++) {
      const label = svg("text", { x: x(id), y: height - bottom + 16, "text-anchor": "middle", class: "tick" });
      label.textContent = String(id);
      chart.append(label);
    }
    const caption = svg("text", { x: (left + width) / 2, y: height - 4, "text-anchor": "middle", class: "tick" });
    caption.textContent = "event number";
    chart.append(caption);
    for (const transport of TRANSPORTS) {
      const points = [...arrivals[transport]].sort((a, b) => a.eventId - b.eventId);
      if (points.length > 1) {
        chart.append(
          svg("polyline", {
            points: points.map((p) => `${x(p.eventId)},${y(Math.max(0, p.delayMs))}`).join(" "),
            class: `series ${transport}`,
          }),
        );
      }
      for (const p of points) {
        const mark = svg("path", {
          d: markers[transport],
          transform: `translate(${x(p.eventId)},${y(Math.max(0, p.delayMs))})`,
          class: `mark ${transport}`,
        });
        const title = svg("title", {});
        title.textContent = `${transportNames[transport]}, event ${p.eventId}: ${Math.max(0, p.delayMs).toFixed(0)} ms`;
        mark.append(title);
        chart.append(mark);
      }
    }
  }
}
