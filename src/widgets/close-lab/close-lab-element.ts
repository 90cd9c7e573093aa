// <sp-close-lab>: how a WebSocket ends, on the reader's own connection and on the lab's own
// misbehaving client (lesson 6). The reader's connection runs on the echo connection machine,
// opened through the wire tap, so the close frames both ways are read from the bytes the lab
// really saw; the page's own CloseEvent is shown beside them (they differ for 1005 and 1006).
// "Break a rule" runs one case at a time on the misbehave run machine (POST /lab/misbehave).
// What is drawn comes from close-story.ts; this file only moves it into the DOM.
import { createActor, fromPromise } from "xstate";
import { echoConnectionMachine, readyStateOf, type EchoConnectionActor } from "../../machines/echo-connection.ts";
import { labRunMachine } from "../../machines/lab-run.ts";
import { buildCaptureView } from "../../protocol/capture.ts";
import { MISBEHAVE_PATH, misbehaveCase } from "../../protocol/misbehave-cases.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { toTapEvent } from "../../protocol/tap-parse.ts";
import { describeClose } from "../shared/describe-close.ts";
import { setFlag, setText } from "../shared/dom-writes.ts";
import { createTappedSocket, type TappedSocket } from "../shared/tapped-socket.ts";
import { closeStory, ruleBreakerStory } from "./close-story.ts";

/** Events kept for the current connection: a goodbye needs few, and a forgotten tab must not grow. */
const MAX_EVENTS = 400;

async function runCase(name: string): Promise<TapEvent[]> {
  const response = await fetch(`${MISBEHAVE_PATH}?case=${encodeURIComponent(name)}`, { method: "POST" });
  if (!response.ok) throw new Error((await response.text()).trim() || `The lab answered ${response.status}.`);
  const body = (await response.json()) as { events?: unknown[] };
  const events: TapEvent[] = [];
  for (const raw of body.events ?? []) {
    const parsed = toTapEvent(raw);
    if (!parsed.ok) throw new Error(`The lab's record could not be read: ${parsed.error}`);
    events.push(parsed.event);
  }
  return events;
}

export default class CloseLabElement extends HTMLElement {
  #abort = new AbortController();
  #tapped: TappedSocket | null = null;
  #connection: EchoConnectionActor | null = null;
  #runner = createActor(
    labRunMachine.provide({
      actors: { runRequest: fromPromise<unknown, { request: string }>(({ input }) => runCase(input.request)) },
    }),
  );
  /** Tap events since the current connection opened. */
  #events: TapEvent[] = [];
  #frame = 0;
  #announced = "";
  #shownRun: TapEvent[] | null = null;

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    const found = this.querySelector<T>(`[data-part="${name}"]`);
    if (!found) throw new Error(`sp-close-lab is missing its "${name}" part`);
    return found;
  }

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#tapped = createTappedSocket({
      onEvent: (event) => this.#onTap(event),
      onProblem: (message) => this.#setProblem(message),
    });
    const connection = createActor(echoConnectionMachine.provide({ actors: { socket: this.#tapped.actor } }), {
      input: { url: this.dataset.path ?? "/lab/echo" },
    });
    connection.subscribe(() => this.#schedule());
    connection.start();
    this.#connection = connection;
    this.#runner = createActor(
      labRunMachine.provide({
        actors: { runRequest: fromPromise<unknown, { request: string }>(({ input }) => runCase(input.request)) },
      }),
    );
    this.#runner.subscribe(() => this.#schedule());
    this.#runner.start();

    this.#part("connect").addEventListener("click", () => this.#connect(), { signal });
    this.#part<HTMLFormElement>("close-form").addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const bare = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value === "bare";
        const code = Number(this.#part<HTMLSelectElement>("code").value);
        const reason = this.#part<HTMLInputElement>("reason").value;
        this.#setProblem("");
        connection.send(
          bare
            ? { type: "close.requested", at: performance.now() }
            : { type: "close.requested", code, reason, at: performance.now() },
        );
      },
      { signal },
    );
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-lab-close]")) {
      button.addEventListener(
        "click",
        () =>
          this.#tapped
            ?.monitor()
            ?.command({ cmd: "close", code: Number(button.dataset.labClose), reason: "The lab says goodbye" }),
        { signal },
      );
    }
    this.querySelector("[data-lab-drop]")?.addEventListener(
      "click",
      () => this.#tapped?.monitor()?.command({ cmd: "drop" }),
      { signal },
    );
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-case]")) {
      button.disabled = false;
      button.addEventListener(
        "click",
        () => {
          const chosen = misbehaveCase(button.dataset.case ?? "");
          if (chosen) this.#runner.send({ type: "run", request: chosen.name });
        },
        { signal },
      );
    }
    this.#part("loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
    this.#connect();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#connection?.stop();
    this.#runner.stop();
    this.#tapped?.dispose();
  }

  #connect(): void {
    const state = readyStateOf(this.#connection?.getSnapshot().value);
    if (state !== null && state !== "CLOSED") return;
    this.#setProblem("");
    this.#connection?.send({ type: "connect.requested", at: performance.now() });
  }

  #onTap(event: TapEvent): void {
    // A new connection starts a new story; the old one stays until then.
    if (event.type === "open") this.#events = [];
    if (event.type === "hello" || event.type === "dropped" || event.type === "error") return;
    if (this.#events.length >= MAX_EVENTS) this.#events.splice(0, this.#events.length - MAX_EVENTS + 1);
    this.#events.push(event);
    this.#schedule();
  }

  #setProblem(message: string): void {
    const out = this.#part("problem");
    setText(out, message);
    setFlag(out, "hidden", message === "");
  }

  #schedule(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #render(): void {
    const snapshot = this.#connection?.getSnapshot();
    if (!snapshot) return;
    const state = readyStateOf(snapshot.value);
    this.dataset.state = state ?? "none";
    setText(this.#part("state"), state ?? "not connected");
    const open = state === "OPEN";
    for (const control of this.querySelectorAll<HTMLButtonElement>("[data-needs-open]"))
      setFlag(control, "disabled", !open);
    const connect = this.#part<HTMLButtonElement>("connect");
    setFlag(connect, "disabled", state === "OPEN" || state === "CONNECTING" || state === "CLOSING");
    setText(connect, snapshot.context.connection > 0 ? "Connect again" : "Connect");
    // The machine refuses a close the browser would refuse (InvalidAccessError, SyntaxError) and says why.
    const lastEntry = snapshot.context.log.at(-1);
    if (lastEntry?.type === "error" && open) this.#setProblem(lastEntry.message);

    this.#renderStory(state);
    this.#renderPageEvent(snapshot.context.lastClose);
    this.#renderRun();
  }

  #renderStory(state: string | null): void {
    const view = buildCaptureView(this.#events);
    const story = closeStory(view);
    const list = this.#part("close-frames");
    const key = story.frames.map((f) => f.hex).join("|");
    if (list.dataset.key !== key) {
      list.dataset.key = key;
      list.replaceChildren(
        ...story.frames.map((f) => {
          const item = document.createElement("li");
          const who = f.dir === "in" ? "Your browser → the lab" : "The lab → your browser";
          const bytes = document.createElement("code");
          bytes.textContent = f.hex;
          item.append(
            `${who}: `,
            bytes,
            ` ${f.masked ? "(masked, as every client frame must be)" : "(not masked: servers never mask)"} — ${f.says}.`,
          );
          item.dataset.dir = f.dir;
          return item;
        }),
      );
    }
    setText(this.#part("ending"), state === null ? "The connection is not open yet." : story.ending);
  }

  #renderPageEvent(lastClose: { code: number; reason: string; wasClean: boolean } | null): void {
    const out = this.#part("page-event");
    setFlag(out, "hidden", lastClose === null);
    if (!lastClose) return;
    const text = `Your page's CloseEvent: code ${lastClose.code}, reason “${lastClose.reason}”, wasClean ${lastClose.wasClean}. ${describeClose(lastClose.code, lastClose.reason, lastClose.wasClean)}`;
    setText(out, text);
    if (text !== this.#announced) {
      this.#announced = text;
      setText(this.#part("announcer"), text);
    }
  }

  #renderRun(): void {
    const run = this.#runner.getSnapshot();
    const running = run.matches("running");
    this.toggleAttribute("data-running", running);
    this.dataset.run = String(run.value);
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-case]")) setFlag(button, "disabled", running);
    if (run.matches("failed")) this.#setProblem(run.context.problem);
    const report = this.#part("breaker-report");
    const chosen = run.context.request ? misbehaveCase(run.context.request) : null;
    if (running && chosen) setText(this.#part("breaker-announcer"), `Running: ${chosen.label}…`);
    const events = run.context.result as TapEvent[] | null;
    if (!run.matches("shown") || !chosen || !events || this.#shownRun === events) return;
    this.#shownRun = events;
    const story = ruleBreakerStory(buildCaptureView(events));
    setFlag(report, "hidden", false);
    report.dataset.case = chosen.name;
    setText(this.#part("breaker-rule"), chosen.rule);
    setText(this.#part("breaker-sent"), story.sent);
    setText(
      this.#part("breaker-broken"),
      story.broken ?? "nothing wrong with the bytes: this client breaks its rule by staying silent.",
    );
    setText(this.#part("breaker-answer"), story.answer);
    setText(this.#part("breaker-announcer"), `${chosen.label}: ${story.answer}`);
  }
}
