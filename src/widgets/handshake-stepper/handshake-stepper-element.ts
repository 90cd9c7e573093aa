// <sp-handshake-stepper>: the opening handshake, one step at a time. The markup (and the
// recorded RFC 6455 §1.2 example on step 1) comes from HandshakeStepper.astro; this class
// creates the stepper machine with a real capture actor (a wire tap on the lab), renders every
// snapshot, and turns clicks, keys and the URL hash (#handshake-step=N) into machine events.
//
// Attributes for tests and styling: data-ready (code loaded), data-step (1-based),
// data-source ("live" | "recorded"), data-capture ("capturing" | "idle").
import { createActor, fromPromise } from "xstate";
import { handshakeStepperMachine, type HandshakeStepperActor } from "../../machines/handshake-stepper.ts";
import {
  describeStep,
  hashForStep,
  hashNamesStep,
  prepareHandshake,
  stepFromHash,
  STEP_COUNT,
  type MessageLine,
  type MessageName,
  type PreparedHandshake,
} from "../../protocol/handshake-steps.ts";
import { handshakeExample } from "../../protocol/rfc-examples.ts";
import { maskWatchToken } from "../shared/hide-watch-token.ts";
import { tokenizeHttp, type ThemedToken } from "../shared/highlight-http.ts";
import { captureHandshake } from "./capture-handshake.ts";
import { renderExplanation } from "./render-explanation.ts";
import { readTokens, renderWire } from "./wire-lines.ts";
import { writeDeepLink } from "../shared/deep-link.ts";

type Tokens = Record<MessageName, (ThemedToken[] | null)[]>;

function part<T extends HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-handshake-stepper is missing its "${name}" part`);
  return found;
}

const liveCapture = fromPromise<PreparedHandshake>(async ({ signal }) => {
  const captured = await captureHandshake(signal);
  // The request target holds the tap's watch token, the reader's secret: shown as dots.
  return prepareHandshake(maskWatchToken(captured.request), captured.response, captured.tuple, "live");
});

/** Lines Shiki can colour: the start line and fields (the empty line and any rest stay plain). */
function headText(lines: readonly MessageLine[]): string {
  return lines
    .filter((l) => l.kind === "start" || l.kind === "field")
    .map((l) => l.text)
    .join("\n");
}

export default class HandshakeStepperElement extends HTMLElement {
  #actor: HandshakeStepperActor | null = null;
  #abort = new AbortController();
  #tokens = new WeakMap<PreparedHandshake, Tokens>();
  #tokenizing = new WeakSet<PreparedHandshake>();
  #shown: { index: number; handshake: PreparedHandshake; notice: string } | null = null;

  connectedCallback(): void {
    this.#abort = new AbortController();
    void this.#start(this.#abort.signal);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#actor?.stop();
    this.#actor = null;
    this.#shown = null;
  }

  async #start(signal: AbortSignal): Promise<void> {
    const recorded = await prepareHandshake(handshakeExample.request, handshakeExample.response, null, "recorded");
    if (signal.aborted) return;
    this.#adoptBuildTimeTokens(recorded);

    const index = hashNamesStep(location.hash) ? stepFromHash(location.hash) : 0;
    const actor = createActor(handshakeStepperMachine.provide({ actors: { capture: liveCapture } }), {
      input: { recorded, index },
    });
    this.#actor = actor;
    this.#listen(actor, signal);
    actor.subscribe(() => this.#render());
    actor.start();
    for (const button of this.querySelectorAll<HTMLButtonElement>("button")) button.disabled = false;
    part(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
    this.#render();
    actor.send({ type: "capture.requested" });
  }

  #listen(actor: HandshakeStepperActor, signal: AbortSignal): void {
    const on = (name: string, type: "step.next" | "step.previous" | "step.first" | "step.last") =>
      part(this, name).addEventListener("click", () => actor.send({ type }), { signal });
    on("next", "step.next");
    on("previous", "step.previous");
    on("first", "step.first");
    on("last", "step.last");
    part(this, "capture").addEventListener("click", () => actor.send({ type: "capture.requested" }), { signal });
    part(this, "step-list").addEventListener(
      "click",
      (event) => {
        const button = (event.target as Element).closest<HTMLElement>("[data-index]");
        if (button) actor.send({ type: "step.goto", index: Number(button.dataset.index) });
      },
      { signal },
    );

    this.addEventListener(
      "keydown",
      (event) => {
        if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
        const target = event.target as HTMLElement;
        if (target.closest("input, textarea, select, [contenteditable]")) return;
        // A wire box wider than the screen scrolls with the arrow keys; leave those to it.
        const scroller = target.closest<HTMLElement>("[data-scroll]");
        if (
          scroller &&
          (event.key === "ArrowLeft" || event.key === "ArrowRight") &&
          scroller.scrollWidth > scroller.clientWidth
        )
          return;
        const type = (
          { ArrowRight: "step.next", ArrowLeft: "step.previous", Home: "step.first", End: "step.last" } as const
        )[event.key];
        if (!type) return;
        event.preventDefault();
        actor.send({ type });
      },
      { signal },
    );

    window.addEventListener(
      "hashchange",
      () => {
        if (hashNamesStep(location.hash)) actor.send({ type: "step.goto", index: stepFromHash(location.hash) });
      },
      { signal },
    );
  }

  /** The build-time markup already shows the recorded example in colour; reuse its tokens. */
  #adoptBuildTimeTokens(recorded: PreparedHandshake): void {
    const tokens = {} as Tokens;
    for (const message of ["request", "response"] as const) {
      const lines = message === "request" ? recorded.requestLines : recorded.responseLines;
      const read = readTokens(part(this, `${message}-lines`));
      if (read.length !== lines.length) return;
      tokens[message] = lines.map((line, i) =>
        read[i]!.map((t) => t.content).join("") === line.text ? read[i]! : null,
      );
    }
    this.#tokens.set(recorded, tokens);
  }

  /** Shiki colours for a handshake, loaded once; renders again when they arrive. */
  #tokensFor(hs: PreparedHandshake): Tokens | null {
    const known = this.#tokens.get(hs);
    if (known || this.#tokenizing.has(hs)) return known ?? null;
    this.#tokenizing.add(hs);
    Promise.all([tokenizeHttp(headText(hs.requestLines)), tokenizeHttp(headText(hs.responseLines))]).then(
      ([request, response]) => {
        this.#tokens.set(hs, { request, response });
        if (this.#actor?.getSnapshot().context.handshake === hs) this.#renderWires(true);
      },
      () => {
        // Without Shiki the text stays plain, which is still correct.
      },
    );
    return null;
  }

  #renderWires(force = false): void {
    const actor = this.#actor;
    if (!actor) return;
    const { index, handshake } = actor.getSnapshot().context;
    if (!force && this.#shown && this.#shown.index === index && this.#shown.handshake === handshake) return;
    const view = describeStep(index, handshake);
    const tokens = this.#tokensFor(handshake);
    for (const message of ["request", "response"] as const) {
      const lines = message === "request" ? handshake.requestLines : handshake.responseLines;
      renderWire(part(this, `${message}-lines`), lines, tokens?.[message] ?? null, {
        lines: new Set(view.lines.filter((l) => l.message === message).map((l) => l.line)),
        ranges: view.ranges.filter((r) => r.message === message),
      });
      const end = lines.find((l) => l.kind === "end");
      const size = end
        ? end.offset + end.length
        : (message === "request" ? handshake.request : handshake.response).length;
      part(this, `${message}-size`).textContent = `${size} bytes`;
    }
  }

  #render(): void {
    const actor = this.#actor;
    if (!actor) return;
    const snapshot = actor.getSnapshot();
    const { index, handshake, notice } = snapshot.context;
    const capturing = snapshot.matches("capturing");
    const view = describeStep(index, handshake);
    const previous = this.#shown;

    this.dataset.step = String(view.number);
    this.dataset.source = handshake.source;
    this.dataset.capture = capturing ? "capturing" : "idle";

    part(this, "progress").textContent = `Step ${view.number} of ${view.count}`;
    for (const button of part(this, "step-list").querySelectorAll<HTMLElement>("[data-index]")) {
      if (Number(button.dataset.index) === index) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    }
    // aria-disabled, not disabled: a button that disables itself would drop keyboard focus.
    const atStart = index === 0;
    const atEnd = index === STEP_COUNT - 1;
    for (const [name, off] of [
      ["first", atStart],
      ["previous", atStart],
      ["next", atEnd],
      ["last", atEnd],
    ] as const) {
      part(this, name).setAttribute("aria-disabled", String(off));
    }

    part(this, "source").textContent = handshake.source === "live" ? "live" : "recorded";
    part(this, "source-note").textContent = notice;
    const capture = part(this, "capture");
    capture.textContent = capturing
      ? "Capturing…"
      : handshake.source === "live"
        ? "Capture again"
        : "Try capturing again";
    capture.setAttribute("aria-disabled", String(capturing));

    this.#renderWires();
    renderExplanation(this, view, handshake);

    if (previous) {
      const said: string[] = [];
      if (previous.notice !== notice && !capturing) said.push(notice);
      if (previous.index !== index || previous.handshake !== handshake)
        said.push(`Step ${view.number} of ${view.count}: ${view.title}.`);
      if (said.length > 0) part(this, "announcer").textContent = said.join(" ");
      if (previous.index !== index) this.#writeHash(index);
    }
    this.#shown = { index, handshake, notice };
  }

  /** The address bar follows the reader, and a teacher's followers follow it (deep-link.ts). */
  #writeHash(index: number): void {
    writeDeepLink(hashForStep(index));
  }
}
