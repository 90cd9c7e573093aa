// <sp-echo-console>: a real WebSocket to the lab's echo endpoint. The markup comes from
// EchoConsole.astro; this class creates the connection machine with a real browser socket,
// renders every snapshot, and turns clicks and key presses into machine events.
import { createActor } from "xstate";
import {
  echoConnectionMachine,
  readyStateOf,
  type EchoConnectionActor,
  type LogEntry,
} from "../../machines/echo-connection.ts";
import { parseHex } from "../../protocol/hex.ts";
import { browserWebSocket, labUrl } from "../shared/websocket-actor.ts";
import { describeEntry, describeState, formatElapsed, readyStateNumbers } from "./describe-entry.ts";
import { bytesLabel } from "../shared/bytes-label.ts";

interface LabInfo {
  maxMessageBytes: number;
  /** null when the lab did not report it: the flood is then unavailable. */
  maxMessagesPerSecond: number | null;
}

/**
 * Messages the flood button sends in one go: the lab's token bucket holds two seconds' worth
 * (server/rate-limit.ts), so three seconds' worth at once is sure to run it dry, however the
 * sends spread over the connection's first moments.
 */
export function floodSize(maxMessagesPerSecond: number): number {
  return maxMessagesPerSecond * 3 + 1;
}

function part<T extends Element>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-echo-console is missing its "${name}" part`);
  return found;
}

export default class EchoConsoleElement extends HTMLElement {
  #actor: EchoConnectionActor | null = null;
  #renderedIds = new Set<number>();
  #abort = new AbortController();
  #labInfo: LabInfo | null = null;
  /** Set when Connect is pressed: the button disables itself, so focus moves on once OPEN. */
  #moveFocusWhenOpen = false;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const path = this.dataset.path ?? "/lab/echo";
    const actor = createActor(echoConnectionMachine.provide({ actors: { socket: browserWebSocket } }), {
      input: { url: labUrl(path) },
    });
    this.#actor = actor;

    const connect = part<HTMLButtonElement>(this, "connect");
    const sendForm = part<HTMLFormElement>(this, "send-form");
    const closeForm = part<HTMLFormElement>(this, "close-form");
    const oversize = part<HTMLButtonElement>(this, "oversize");
    const message = part<HTMLInputElement>(this, "message");
    const messageError = part<HTMLElement>(this, "message-error");

    connect.addEventListener(
      "click",
      () => {
        this.#moveFocusWhenOpen = true;
        actor.send({ type: "connect.requested", at: performance.now() });
      },
      { signal },
    );

    sendForm.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const kind = new FormData(sendForm).get("kind") === "binary" ? "binary" : "text";
        messageError.textContent = "";
        if (kind === "text") {
          actor.send({ type: "message.send", data: message.value, at: performance.now() });
          return;
        }
        const parsed = parseHex(message.value);
        if (!parsed.ok) {
          messageError.textContent = `Not sent: ${parsed.error}.`;
          message.setAttribute("aria-invalid", "true");
          message.focus();
          return;
        }
        message.removeAttribute("aria-invalid");
        actor.send({ type: "message.send", data: parsed.bytes, at: performance.now() });
      },
      { signal },
    );

    for (const radio of sendForm.querySelectorAll<HTMLInputElement>('input[name="kind"]')) {
      radio.addEventListener(
        "change",
        () => {
          const binary = radio.value === "binary" && radio.checked;
          if (!radio.checked) return;
          message.placeholder = binary
            ? "Bytes in hex, for example 48 65 6c 6c 6f"
            : "Type a message, for example Hello";
          message.value = binary ? "48 65 6c 6c 6f" : "Hello";
          messageError.textContent = "";
          message.removeAttribute("aria-invalid");
        },
        { signal },
      );
    }

    oversize.addEventListener(
      "click",
      () => {
        if (!this.#labInfo) return;
        // One byte over the limit the server itself reported: the server must answer with 1009.
        const bytes = new Uint8Array(this.#labInfo.maxMessageBytes + 1);
        crypto.getRandomValues(bytes.subarray(0, Math.min(bytes.length, 65536)));
        actor.send({ type: "message.send", data: bytes, at: performance.now() });
      },
      { signal },
    );

    this.querySelector<HTMLButtonElement>('[data-part="flood"]')?.addEventListener(
      "click",
      () => {
        const rate = this.#labInfo?.maxMessagesPerSecond;
        if (!rate) return;
        // All in one task: the browser writes them back to back, far faster than the lab allows.
        for (let i = 1; i <= floodSize(rate); i++)
          actor.send({ type: "message.send", data: `flood ${i}`, at: performance.now() });
      },
      { signal },
    );

    closeForm.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const form = new FormData(closeForm);
        const codeText = String(form.get("code") ?? "").trim();
        const reason = String(form.get("reason") ?? "");
        const code = codeText === "" ? undefined : Number(codeText);
        actor.send({
          type: "close.requested",
          code,
          reason: reason === "" ? undefined : reason,
          at: performance.now(),
        });
      },
      { signal },
    );

    actor.subscribe(() => this.#render());
    actor.start();
    this.#loadLabInfo(signal);
    part<HTMLElement>(this, "loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
    this.#render();
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#actor?.stop();
    this.#actor = null;
  }

  async #loadLabInfo(signal: AbortSignal): Promise<void> {
    const note = part<HTMLElement>(this, "limit-note");
    try {
      const response = await fetch("/lab/info", { signal, headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const info = (await response.json()) as Partial<LabInfo>;
      if (
        typeof info.maxMessageBytes !== "number" ||
        !Number.isInteger(info.maxMessageBytes) ||
        info.maxMessageBytes < 0
      )
        throw new Error("no limit reported");
      const rate =
        typeof info.maxMessagesPerSecond === "number" &&
        Number.isInteger(info.maxMessagesPerSecond) &&
        info.maxMessagesPerSecond > 0
          ? info.maxMessagesPerSecond
          : null;
      this.#labInfo = { maxMessageBytes: info.maxMessageBytes, maxMessagesPerSecond: rate };
      note.textContent = `The lab accepts messages of up to ${bytesLabel(info.maxMessageBytes)}. The button sends ${bytesLabel(info.maxMessageBytes + 1)}.`;
      const floodNote = this.querySelector<HTMLElement>('[data-part="flood-note"]');
      if (floodNote)
        floodNote.textContent =
          rate === null
            ? "The lab did not report its message rate, so the flood is unavailable."
            : `The lab allows ${rate} messages a second (bursts of twice that). The button sends ${floodSize(rate)} at once.`;
    } catch (error) {
      if (signal.aborted) return;
      note.textContent = `The lab's limits could not be read (${(error as Error).message}), so the oversized message is unavailable.`;
    }
    this.#render();
  }

  #render(): void {
    const actor = this.#actor;
    if (!actor) return;
    const snapshot = actor.getSnapshot();
    const { context } = snapshot;
    const readyState = readyStateOf(snapshot.value);

    const stateName = part<HTMLElement>(this, "state-name");
    const stateNote = part<HTMLElement>(this, "state-note");
    stateName.textContent = readyState ? `${readyStateNumbers[readyState]} · ${readyState}` : "no socket yet";
    stateNote.textContent = readyState
      ? describeState(readyState).replace(/^readyState \d, \w+: /, "")
      : "Press Connect to create a WebSocket.";
    this.dataset.state = readyState ?? "none";

    const open = readyState === "OPEN";
    const connect = part<HTMLButtonElement>(this, "connect");
    connect.disabled = readyState === "CONNECTING" || readyState === "OPEN" || readyState === "CLOSING";
    connect.textContent = context.connection === 0 ? "Connect" : "Reconnect";
    for (const control of this.querySelectorAll<HTMLInputElement | HTMLButtonElement>("[data-needs-open]"))
      control.disabled = !open;
    part<HTMLButtonElement>(this, "oversize").disabled = !open || this.#labInfo === null;
    const flood = this.querySelector<HTMLButtonElement>('[data-part="flood"]');
    if (flood) flood.disabled = !open || !this.#labInfo?.maxMessagesPerSecond;
    if (readyState !== "CONNECTING" && this.#moveFocusWhenOpen) {
      this.#moveFocusWhenOpen = false;
      // A disabled button drops keyboard focus to the page; put it where the reader goes next.
      const focusLost = document.activeElement === connect || document.activeElement === document.body;
      if (focusLost) (open ? part<HTMLInputElement>(this, "message") : connect).focus();
    }

    const closeReport = part<HTMLElement>(this, "close-report");
    const lastClose = [...context.log]
      .reverse()
      .find((e): e is Extract<LogEntry, { type: "close" }> => e.type === "close");
    closeReport.hidden = !context.lastClose || !lastClose;
    if (context.lastClose && lastClose) closeReport.textContent = describeEntry(lastClose);

    this.#renderLog(context.log, context.startedAt, context.dropped);
  }

  #renderLog(log: readonly LogEntry[], startedAt: number, dropped: number): void {
    const body = part<HTMLTableSectionElement>(this, "log");
    const announcer = part<HTMLElement>(this, "announcer");
    const keep = new Set(log.map((e) => e.id));
    for (const row of [...body.rows]) {
      if (!keep.has(Number(row.dataset.id))) {
        row.remove();
        this.#renderedIds.delete(Number(row.dataset.id));
      }
    }
    const announcements: string[] = [];
    const connectionStarts = new Map<number, number>();
    for (const entry of log)
      if (!connectionStarts.has(entry.connection)) connectionStarts.set(entry.connection, entry.at);
    for (const entry of log) {
      if (this.#renderedIds.has(entry.id)) continue;
      this.#renderedIds.add(entry.id);
      const sentence = describeEntry(entry);
      announcements.push(sentence);
      const row = body.insertRow();
      row.dataset.id = String(entry.id);
      row.dataset.type = entry.type;
      if (entry.type === "message") row.dataset.direction = entry.direction;
      const start = connectionStarts.get(entry.connection) ?? startedAt;
      const cells = [
        `#${entry.connection} ${formatElapsed(entry.at - start)}`,
        entry.type === "message"
          ? entry.direction === "sent"
            ? "→ sent"
            : "← received"
          : entry.type === "state"
            ? "state"
            : entry.type === "close"
              ? "close"
              : "note",
        entry.type === "message" ? bytesLabel(entry.bytes) : "",
        sentence,
      ];
      for (const text of cells) row.insertCell().textContent = text;
    }
    part<HTMLElement>(this, "dropped").textContent = dropped > 0 ? `${dropped} older entries are no longer shown.` : "";
    part<HTMLElement>(this, "log-empty").hidden = log.length > 0;
    if (announcements.length > 0) {
      announcer.textContent = announcements.slice(-3).join(" ");
      const scroller = part<HTMLElement>(this, "log-scroller");
      scroller.scrollTop = scroller.scrollHeight;
    }
  }
}
