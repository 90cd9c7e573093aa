// <sp-connection-reuse>: the reader sends N real requests to the lab's whoami endpoint, one by one
// or all at once, and sees which TCP connection carried each (the lab reports it; RFC 9112 §9.3
// says HTTP/1.1 connections persist unless one side says `Connection: close`, §9.6). The markup
// comes from ConnectionReuse.astro; this class sends the requests, keeps a short history of runs
// and renders each as one card per connection, with a sentence announced to screen readers.
import { runBatch, WHOAMI_PATH } from "./fetch-whoami.ts";
import { addRun, viewRun, type Run, type RunMode, type RunView } from "./group-by-connection.ts";
import {
  ConnectionNames,
  connectionNote,
  failureLines,
  idleNote,
  requestChip,
  RUN_LIMIT,
  runTitle,
} from "./run-labels.ts";

interface ShownRun {
  run: Run;
  view: RunView;
}

function part<T extends Element = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-connection-reuse is missing its "${name}" part`);
  return found;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  if (className) made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

export default class ConnectionReuseElement extends HTMLElement {
  #abort = new AbortController();
  #history: ShownRun[] = [];
  #names = new ConnectionNames();
  #nextId = 1;
  #running = false;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    for (const mode of ["sequential", "parallel"] as const) {
      part<HTMLButtonElement>(this, mode).addEventListener("click", () => void this.#send(mode), { signal });
    }
    part<HTMLButtonElement>(this, "clear").addEventListener("click", () => this.#clear(), { signal });
    part(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#running = false;
  }

  #settings(): { count: number; close: boolean } {
    const count = Number(part<HTMLSelectElement>(this, "count").value);
    return {
      count: Number.isInteger(count) && count > 0 ? count : 5,
      close: part<HTMLInputElement>(this, "close").checked,
    };
  }

  async #send(mode: RunMode): Promise<void> {
    // The buttons stay focusable while a run is under way (aria-disabled), so keyboard focus is
    // never dropped; a second press simply waits for the first run to finish.
    if (this.#running) return;
    const { count, close } = this.#settings();
    const signal = this.#abort.signal;
    this.#setRunning(
      true,
      `Sending ${count} ${count === 1 ? "request" : "requests"} ${mode === "sequential" ? "one by one" : "all at once"}…`,
    );
    const outcomes = await runBatch({
      mode,
      count,
      close,
      signal,
      path: this.dataset.path ?? WHOAMI_PATH,
      fetch: (url, init) => fetch(url, init),
      now: () => performance.now(),
    });
    if (signal.aborted) return;
    const run: Run = { id: this.#nextId++, mode, count, close, outcomes };
    const view = viewRun(run);
    this.#history = addRun(this.#history, { run, view }, Number(this.dataset.limit) || RUN_LIMIT);
    const connections = view.groups.length;
    this.#setRunning(
      false,
      `Run ${run.id} finished: ${view.succeeded} of ${view.requests} requests answered, on ${connections} TCP ${connections === 1 ? "connection" : "connections"}.`,
    );
    const idle = part(this, "idle-note");
    if (view.idleTimeoutS !== null) idle.textContent = idleNote(view.idleTimeoutS);
    idle.hidden = idle.textContent === "";
    this.#render(run.id);
    part(this, "announcer").textContent = `Run ${run.id}: ${view.summary}`;
  }

  #setRunning(running: boolean, status: string): void {
    this.#running = running;
    this.dataset.state = running ? "running" : "idle";
    for (const name of ["sequential", "parallel", "clear"])
      part(this, name).setAttribute("aria-disabled", String(running));
    part(this, "runs").setAttribute("aria-busy", String(running));
    part(this, "status").textContent = status;
  }

  #clear(): void {
    if (this.#running) return;
    this.#history = [];
    this.#names.clear();
    this.#nextId = 1;
    this.#render(null);
    part(this, "status").textContent = "No requests sent yet.";
    part(this, "idle-note").hidden = true;
    part(this, "announcer").textContent = "Cleared every run.";
  }

  #render(freshId: number | null): void {
    const list = part<HTMLOListElement>(this, "runs");
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // Names are handed out oldest run first, so letters read A, B, C down the page's history.
    const named = [...this.#history].reverse().map((shown) => this.#renderRun(shown));
    list.replaceChildren(...named.reverse());
    const latest = list.firstElementChild as HTMLElement | null;
    if (latest) latest.toggleAttribute("data-latest", true);
    if (latest && freshId !== null && !reduceMotion && latest.dataset.run === String(freshId))
      latest.toggleAttribute("data-fresh", true);
    part(this, "empty").hidden = this.#history.length > 0;
  }

  #renderRun({ run, view }: ShownRun): HTMLLIElement {
    const item = element("li", "run");
    item.dataset.run = String(run.id);
    item.dataset.mode = run.mode;
    item.dataset.close = String(run.close);
    item.dataset.connections = String(view.groups.length);
    item.dataset.requests = String(view.requests);
    item.dataset.reused = String(view.reusedRequests);
    item.dataset.failed = String(view.failures.length);
    const title = element("p", "run-title");
    title.append(element("strong", "", runTitle(run)));
    item.append(title, element("p", "run-summary", view.summary));

    if (view.groups.length > 0) {
      const connections = element("ul", "connections");
      connections.setAttribute("aria-label", `Run ${run.id}, by TCP connection`);
      for (const group of view.groups) {
        const card = element("li", "connection");
        card.dataset.connection = group.connection;
        card.dataset.clientPort = String(group.clientPort);
        card.dataset.origin = group.origin;
        if (group.closed) card.dataset.closed = "";
        const name = element("p", "connection-name");
        const count = group.requests.length;
        name.append(
          `Connection ${this.#names.nameOf(group.connection)}, client port `,
          element("span", "port", String(group.clientPort)),
          ` (${count} ${count === 1 ? "request" : "requests"})`,
        );
        const requests = element("ol", "requests");
        requests.setAttribute(
          "aria-label",
          `Requests on connection ${this.#names.nameOf(group.connection)}, in the order they travelled`,
        );
        for (const request of group.requests) {
          const chip = element("li", "", requestChip(request, run.count));
          chip.dataset.request = String(request.request);
          chip.dataset.index = String(request.index);
          if (request.closing) chip.dataset.closing = "";
          requests.append(chip);
        }
        card.append(name, element("p", "connection-note", connectionNote(group)), requests);
        connections.append(card);
      }
      item.append(connections);
    }
    if (view.failures.length > 0) {
      const failures = element("ul", "failures");
      for (const line of failureLines(view.failures)) failures.append(element("li", "", line));
      item.append(failures);
    }
    return item;
  }
}
