// <sp-handshake-playground>: the reader edits a raw opening handshake and the lab sends it, byte
// for byte, to a private copy of itself (POST /lab/playground), then shows every byte of the
// answer. One run at a time on the lab-run machine; what is drawn comes from playground-report.ts,
// and everything the lab sent is written as text, never parsed as HTML.
import { createActor, fromPromise } from "xstate";
import { labRunMachine } from "../../machines/lab-run.ts";
import { parsePlaygroundRun, PLAYGROUND_MAX_REQUEST_BYTES, PLAYGROUND_PATH } from "../../protocol/playground-api.ts";
import {
  playgroundPreset,
  presetRequest,
  toEditorText,
  toWireText,
  type PlaygroundPresetName,
} from "../../protocol/playground-presets.ts";
import { setFlag, setText } from "../shared/dom-writes.ts";
import { formatCount } from "../shared/format-count.ts";
import { formatMs } from "../shared/format-ms.ts";
import { frameScheduler, part } from "../shared/parts.ts";
import { buildPlaygroundReport, wireLines, type PlaygroundReport } from "./playground-report.ts";

/** The bytes a request becomes: characters above U+00FF go as UTF-8, as fetch sends the body. */
function wireBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

async function send(wireText: string): Promise<PlaygroundReport> {
  const response = await fetch(PLAYGROUND_PATH, {
    method: "POST",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
    body: wireText,
  });
  if (!response.ok) throw new Error((await response.text()).trim() || `The lab answered ${response.status}.`);
  const parsed = parsePlaygroundRun(await response.json());
  if (!parsed.ok) throw new Error(`The lab's record could not be read: ${parsed.error}`);
  return buildPlaygroundReport(parsed.bytes, parsed.run);
}

/** Renders wire text into `pre`, each line ending shown as the characters \r\n (or \n, \r). */
function renderWire(pre: HTMLElement, text: string): void {
  const parts: Node[] = [];
  for (const line of wireLines(text)) {
    parts.push(document.createTextNode(line.text));
    if (line.eol === "") continue;
    const mark = document.createElement("span");
    mark.className = "eol";
    mark.textContent = line.eol.replace("\r", "\\r").replace("\n", "\\n");
    parts.push(mark, document.createTextNode("\n"));
  }
  pre.replaceChildren(...parts);
}

export default class HandshakePlaygroundElement extends HTMLElement {
  #abort = new AbortController();
  #runner = this.#makeRunner();
  #frames = frameScheduler(() => this.#render());
  #shown: PlaygroundReport | null = null;

  #makeRunner() {
    return createActor(
      labRunMachine.provide({
        actors: { runRequest: fromPromise<unknown, { request: string }>(({ input }) => send(input.request)) },
      }),
    );
  }

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    this.#runner = this.#makeRunner();
    this.#runner.subscribe(() => this.#frames.schedule());
    this.#runner.start();

    const editor = part<HTMLTextAreaElement>(this, "editor");
    editor.disabled = false;
    editor.addEventListener("input", () => this.#showSize(), { signal });
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-preset-name]")) {
      button.disabled = false;
      button.addEventListener("click", () => this.#load(button.dataset.presetName as PlaygroundPresetName), { signal });
    }
    part<HTMLFormElement>(this, "form").addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        this.#send();
      },
      { signal },
    );
    // Ctrl+Enter (or ⌘+Enter) sends from inside the editor, where Enter starts a new line.
    editor.addEventListener(
      "keydown",
      (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          this.#send();
        }
      },
      { signal },
    );
    part<HTMLButtonElement>(this, "send").disabled = false;
    this.#load((this.dataset.preset as PlaygroundPresetName) ?? "good");
    part(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#frames.cancel();
    this.#runner.stop();
  }

  #load(name: PlaygroundPresetName): void {
    const preset = playgroundPreset(name);
    if (!preset) return;
    this.dataset.preset = name;
    for (const button of this.querySelectorAll<HTMLButtonElement>("[data-preset-name]"))
      button.setAttribute("aria-pressed", String(button.dataset.presetName === name));
    part<HTMLTextAreaElement>(this, "editor").value = toEditorText(
      presetRequest(name, { host: location.host, origin: location.origin }),
    );
    setText(part(this, "rule"), `${preset.label}: ${preset.rule} The lab answers ${preset.expectedStatus}.`);
    this.#showSize();
  }

  #size(): number {
    return wireBytes(toWireText(part<HTMLTextAreaElement>(this, "editor").value)).length;
  }

  #showSize(): void {
    const bytes = this.#size();
    const out = part(this, "size");
    const over = bytes > PLAYGROUND_MAX_REQUEST_BYTES;
    setText(
      out,
      `${formatCount(bytes)} bytes${over ? `: more than the ${formatCount(PLAYGROUND_MAX_REQUEST_BYTES)} the lab will send` : ""}`,
    );
    out.toggleAttribute("data-over", over);
  }

  #send(): void {
    const text = toWireText(part<HTMLTextAreaElement>(this, "editor").value);
    if (text.length === 0)
      return this.#setProblem("There is nothing to send: write a request first, or start from a preset.");
    if (this.#size() > PLAYGROUND_MAX_REQUEST_BYTES)
      return this.#setProblem(
        `The request is ${formatCount(this.#size())} bytes; the lab sends at most ${formatCount(PLAYGROUND_MAX_REQUEST_BYTES)}.`,
      );
    this.#setProblem("");
    this.#runner.send({ type: "run", request: text });
  }

  #setProblem(message: string): void {
    const out = part(this, "problem");
    setText(out, message);
    setFlag(out, "hidden", message === "");
  }

  #render(): void {
    const run = this.#runner.getSnapshot();
    const running = run.matches("running");
    this.toggleAttribute("data-running", running);
    this.dataset.run = String(run.value);
    const send = part<HTMLButtonElement>(this, "send");
    setFlag(send, "disabled", running);
    setText(send, running ? "Sending…" : "Send to the lab");
    if (running) setText(part(this, "announcer"), "Sending your request to the lab…");
    if (run.matches("failed")) {
      this.#setProblem(run.context.problem);
      setText(part(this, "announcer"), run.context.problem);
    }
    const report = run.context.result as PlaygroundReport | null;
    if (!run.matches("shown") || !report || report === this.#shown) return;
    this.#shown = report;
    this.#renderReport(report);
  }

  #renderReport(report: PlaygroundReport): void {
    setFlag(part(this, "report"), "hidden", false);
    this.dataset.status = report.status === null ? "none" : String(report.status);
    setText(part(this, "verdict"), report.verdict);
    setText(
      part(this, "first-byte"),
      report.firstByteMs === null
        ? "nothing arrived"
        : `${formatMs(report.firstByteMs)} after the TCP connection opened`,
    );
    setText(part(this, "last-byte"), report.lastByteMs === null ? "—" : `${formatMs(report.lastByteMs)}`);
    setText(part(this, "ending"), report.ending);
    renderWire(part(this, "answer"), report.head + report.body);

    const accept = part(this, "accept");
    setFlag(accept, "hidden", report.accept === null);
    if (report.accept) {
      const { key, expected, received } = report.accept;
      const code = (text: string): HTMLElement => Object.assign(document.createElement("code"), { textContent: text });
      const verdict = received === expected ? " ✓ the same as the lab's." : ` ✗ the lab sent ${received ?? "none"}.`;
      accept.replaceChildren(
        "Recomputed in your browser from your key ",
        code(key),
        ": base64(SHA-1(key + GUID)) = ",
        code(expected),
        verdict,
      );
    }

    const frames = part(this, "frames");
    const hasFrames = report.frames.length > 0;
    setFlag(frames, "hidden", !hasFrames);
    setFlag(part(this, "frames-caption"), "hidden", !hasFrames);
    frames.replaceChildren(
      ...report.frames.map((frame) => {
        const item = document.createElement("li");
        const who = frame.from === "client" ? "The lab's client → the lab" : "The lab → its client";
        const bytes = document.createElement("code");
        bytes.textContent = frame.hex;
        item.append(
          `${formatMs(frame.at)} · ${who}: `,
          bytes,
          ` ${frame.masked ? "(masked)" : "(not masked)"} — ${frame.says}.`,
        );
        item.dataset.from = frame.from;
        return item;
      }),
    );

    renderWire(part(this, "sent"), report.sent);
    setText(part(this, "sent-size"), `${formatCount(report.sentBytes)} bytes`);
    setText(part(this, "announcer"), report.verdict);
  }
}
