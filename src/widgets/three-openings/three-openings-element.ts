// <sp-three-openings>: lesson 9's three columns. On start each column shows the model's units for
// "Hello" (HTTP/1.1 and HTTP/2 as expected, HTTP/3 simulated); a run (the lab run machine) holds
// the reader's own HTTP/1.1 conversation through the tap and the lab's HTTP/2 twin with the
// reader's keys (own-opening.ts), then pairs both captures with the model and rebuilds the HTTP/3
// simulation from the reader's conversation (openings-view.ts). Everything shown is text.
import { createActor, fromPromise } from "xstate";
import { labRunMachine } from "../../machines/lab-run.ts";
import {
  EXAMPLE_CONVERSATION,
  HTTP_VERSIONS,
  PHASES,
  VERSION_NAMES,
  type Conversation,
  type HttpVersion,
} from "../../protocol/websocket-openings.ts";
import { formatCount } from "../shared/format-count.ts";
import { setFlag, setText } from "../shared/dom-writes.ts";
import { frameScheduler, part } from "../shared/parts.ts";
import { SOURCE_NAMES } from "./openings-labels.ts";
import { columnRows, liveHttp1Items, liveHttp2Items, openingBytes, type OpeningRow } from "./openings-view.ts";
import { runOwnOpenings, type OwnOpenings } from "./own-opening.ts";
import type { WaitNote } from "../shared/when-lab-free.ts";

/** Arrows for the eye; the words are there for screen readers (and for copying). */
const WHO = {
  client: { arrow: "→", words: "Client to server" },
  server: { arrow: "←", words: "Server to client" },
} as const;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

/**
 * One row: who sent what, where it came from, and why; the bytes themselves fold away under
 * "Bytes", so three columns of a whole conversation stay readable side by side.
 */
function rowElement(row: OpeningRow, yours: ReadonlySet<string>): HTMLLIElement {
  const li = document.createElement("li");
  li.dataset.source = row.source;
  li.dataset.from = row.from;
  const title = element("p", "row-title");
  const arrow = element("span", "row-arrow", WHO[row.from].arrow);
  arrow.setAttribute("aria-hidden", "true");
  title.append(arrow, element("span", "visually-hidden", `${WHO[row.from].words}: `), row.title);
  li.append(title, element("p", "row-meta", [SOURCE_NAMES[row.source], row.at].join(" · ")));
  if (row.websocketHex !== undefined && yours.has(row.websocketHex)) {
    li.dataset.same = "true";
    li.append(element("p", "row-same", "✓ The same WebSocket frame, byte for byte, as on your connection"));
  }
  if (row.lines.length > 0) {
    const lines = element("ul", "row-lines");
    for (const line of row.lines) lines.append(element("li", "", line));
    li.append(lines);
  }
  if (row.text !== undefined || row.hex !== undefined) {
    const bytes = element("details", "row-bytes");
    bytes.append(
      element(
        "summary",
        "",
        `Bytes${row.byteCount !== undefined ? ` (${formatCount(row.byteCount)})` : ""} · ${row.rfc}`,
      ),
    );
    if (row.header !== undefined) bytes.append(element("p", "row-header", row.header));
    if (row.text !== undefined) bytes.append(element("pre", "row-text", row.text));
    if (row.hex !== undefined) bytes.append(element("code", "row-hex", row.hex));
    li.append(bytes);
  } else {
    li.append(element("p", "row-meta", row.rfc));
  }
  return li;
}

export default class ThreeOpeningsElement extends HTMLElement {
  #abort = new AbortController();
  #runner = this.#makeRunner();
  #frames = frameScheduler(() => this.#render());
  #shown: unknown = undefined;
  /** Why a run is taking longer: the lab asked it to wait its turn. */
  #waiting = "";

  #makeRunner() {
    const onWait = (note: WaitNote): void => {
      this.#waiting = `The lab asked this run to wait its turn: trying again in ${(note.waitMs / 1000).toFixed(1)} s (try ${note.attempt} of ${note.attempts})…`;
      this.#frames.schedule();
    };
    return createActor(
      labRunMachine.provide({
        actors: {
          runRequest: fromPromise<unknown, { request: string }>(({ input }) => runOwnOpenings(input.request, onWait)),
        },
      }),
    );
  }

  connectedCallback(): void {
    this.#abort = new AbortController();
    this.#runner = this.#makeRunner();
    this.#runner.subscribe(() => this.#frames.schedule());
    this.#runner.start();
    const form = part<HTMLFormElement>(this, "form");
    const message = part<HTMLInputElement>(this, "message");
    form.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        if (message.value.length === 0) return;
        this.#runner.send({ type: "run", request: message.value });
      },
      { signal: this.#abort.signal },
    );
    // Which columns to show is the reader's view, not the run's state: it only sets an attribute.
    const grid = part(this, "grid");
    part(this, "show").addEventListener(
      "change",
      (event) => (grid.dataset.show = (event.target as HTMLInputElement).value),
      { signal: this.#abort.signal },
    );
    part<HTMLButtonElement>(this, "run").disabled = false;
    part(this, "loading-note").hidden = true;
    this.#draw(EXAMPLE_CONVERSATION, null);
    this.toggleAttribute("data-ready", true);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#frames.cancel();
    this.#runner.stop();
  }

  /** Fills the columns: the model alone (`run` null), or the model paired with a run's captures. */
  #draw(conversation: Conversation, run: OwnOpenings | null): Record<HttpVersion, OpeningRow[]> {
    const live: Record<HttpVersion, ReturnType<typeof liveHttp1Items> | null> = {
      "http/1.1": run ? liveHttp1Items(run.events) : null,
      h2: run ? liveHttp2Items(run.twins.http2) : null,
      h3: null,
    };
    const columns = Object.fromEntries(HTTP_VERSIONS.map((v) => [v, columnRows(v, conversation, live[v])])) as Record<
      HttpVersion,
      OpeningRow[]
    >;
    // "Yours": the WebSocket frames of the reader's own connection, which the other columns carry too.
    const yours = new Set(
      run ? columns["http/1.1"].flatMap((r) => (r.source === "seen" && r.websocketHex ? [r.websocketHex] : [])) : [],
    );
    for (const v of HTTP_VERSIONS) {
      for (const phase of PHASES) {
        part(this, `rows-${v}-${phase}`).replaceChildren(
          ...columns[v].filter((r) => r.phase === phase).map((r) => rowElement(r, yours)),
        );
      }
    }
    return columns;
  }

  #render(): void {
    const snapshot = this.#runner.getSnapshot();
    const running = snapshot.matches("running");
    this.dataset.run = String(snapshot.value);
    setFlag(part<HTMLButtonElement>(this, "run"), "disabled", running);
    const problem = part(this, "problem");
    setText(problem, snapshot.matches("failed") ? snapshot.context.problem : "");
    setFlag(problem, "hidden", !snapshot.matches("failed"));
    if (running) {
      setText(part(this, "status"), this.#waiting || "Opening your connection, then the lab's HTTP/2 twin…");
      return;
    }
    this.#waiting = "";
    if (snapshot.matches("failed"))
      setText(part(this, "status"), "The run did not finish: the columns still show the last one.");
    const run = snapshot.matches("shown") ? (snapshot.context.result as OwnOpenings) : null;
    if (!run || run === this.#shown) return;
    this.#shown = run;
    const columns = this.#draw(run.conversation, run);
    const same = HTTP_VERSIONS.slice(1).map(
      (v) =>
        columns[v].filter(
          (r) =>
            r.websocketHex !== undefined &&
            columns["http/1.1"].some((y) => y.source === "seen" && y.websocketHex === r.websocketHex),
        ).length,
    );
    const totals = HTTP_VERSIONS.map((v) => `${VERSION_NAMES[v]} ${formatCount(openingBytes(columns[v]))}`).join(", ");
    const text =
      `Bytes before the first message, as each column shows them: ${totals}. Your browser's request carries every header it always sends; ` +
      `the lab's HTTP/2 client sends only the fields it needs, HPACK-compressed; the HTTP/3 model writes its fields as plain literals, and QUIC's encrypted handshake comes on top. ` +
      `Your message's frames: ${same[0]} of them inside HTTP/2 DATA and ${same[1]} inside HTTP/3 DATA are byte for byte the ones your browser sent or received.`;
    const out = part(this, "totals");
    setText(out, text);
    setFlag(out, "hidden", false);
    setText(part(this, "status"), `Opened three ways with “${run.conversation.message}”.`);
    setText(part(this, "announcer"), `Done. ${text}`);
  }
}
