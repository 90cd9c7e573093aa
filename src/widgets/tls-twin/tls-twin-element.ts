// <sp-tls-twin>: lesson 7's ws:// and wss:// twins. A press runs the lab's twins (POST
// /lab/tls-twin) on the lab run machine; the answer is checked (parseTlsTwinRun) and drawn
// from twin-view.ts. On a page served over http://, nothing here opens a socket: a browser will
// not open wss:// to a certificate it does not trust, so the lab is the client of both twins
// (server/tls/tls-twin.ts says more). On a page served over https://, the page trusts the lab's
// certificate already, so the wss:// column is this browser's own connection (own-run.ts).
import { createActor, fromPromise } from "xstate";
import { labRunMachine } from "../../machines/lab-run.ts";
import { parseTlsTwinRun, type TlsTwinRun } from "../../protocol/tls-twin-api.ts";
import { formatCount } from "../shared/format-count.ts";
import { setFlag, setText } from "../shared/dom-writes.ts";
import type { TwinSide } from "../../protocol/tls-twin-api.ts";
import { downloadBlob } from "../shared/download.ts";
import { fromBase64, twinTotals, wsItems, wssItems, type TwinItem } from "./twin-view.ts";
import { canUseOwnConnection, requestTwins, runOwnConnection } from "./own-run.ts";
import { recordBytesView } from "./record-bytes.ts";

async function runTwins(): Promise<TlsTwinRun> {
  const answer = canUseOwnConnection() ? await runOwnConnection() : await requestTwins();
  const run = parseTlsTwinRun(answer);
  if (!run) throw new Error("The lab's answer could not be read.");
  return run;
}

const WHO = { in: "Client → server", out: "Server → client" } as const;

function itemElement(item: TwinItem, index: number, idPrefix: string): HTMLLIElement {
  const li = document.createElement("li");
  li.dataset.dir = item.dir;
  if (item.same !== undefined) li.dataset.same = String(item.same);
  const title = document.createElement("p");
  title.className = "item-title";
  title.textContent = `${WHO[item.dir]}: ${item.title}`;
  const hex = document.createElement("code");
  hex.textContent = item.hex;
  const lines = document.createElement("ul");
  lines.className = "item-lines";
  for (const text of item.lines) {
    const line = document.createElement("li");
    line.textContent = text;
    lines.append(line);
  }
  li.append(title, hex, lines);
  if (item.record) li.append(recordBytesView(item.record, `${idPrefix}-r${index}`));
  return li;
}

export default class TlsTwinElement extends HTMLElement {
  #abort = new AbortController();
  #runner = createActor(
    labRunMachine.provide({ actors: { runRequest: fromPromise<unknown, { request: string }>(() => runTwins()) } }),
  );
  #shown: unknown = null;
  #frame = 0;
  #idPrefix = `tt${Math.random().toString(36).slice(2, 8)}`;

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    const found = this.querySelector<T>(`[data-part="${name}"]`);
    if (!found) throw new Error(`sp-tls-twin is missing its "${name}" part`);
    return found;
  }

  connectedCallback(): void {
    this.#abort = new AbortController();
    this.#runner = createActor(
      labRunMachine.provide({ actors: { runRequest: fromPromise<unknown, { request: string }>(() => runTwins()) } }),
    );
    this.#runner.subscribe(() => this.#schedule());
    this.#runner.start();
    const run = this.#part<HTMLButtonElement>("run");
    run.disabled = false;
    if (canUseOwnConnection()) {
      this.dataset.client = "reader";
      run.textContent = "Run it over your own wss://";
      setText(
        this.#part("hint"),
        "This page came over https://, so your browser opens the wss:// connection itself and says “Hello”; the lab recorded its TLS records and shows what each held. The ws:// twin says the same, with the masking keys your browser chose.",
      );
      setText(this.#part("wss-title-who"), "your browser's own connection");
    }
    run.addEventListener("click", () => this.#runner.send({ type: "run", request: "twins" }), {
      signal: this.#abort.signal,
    });
    this.#part("loading-note").hidden = true;
    this.toggleAttribute("data-ready", true);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#runner.stop();
  }

  #schedule(): void {
    if (this.#frame !== 0) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  #render(): void {
    const snapshot = this.#runner.getSnapshot();
    const running = snapshot.matches("running");
    this.dataset.run = String(snapshot.value);
    setFlag(this.#part<HTMLButtonElement>("run"), "disabled", running);
    const problem = this.#part("problem");
    setText(problem, snapshot.matches("failed") ? snapshot.context.problem : "");
    setFlag(problem, "hidden", !snapshot.matches("failed"));
    if (running) {
      setText(this.#part("status"), "The lab is talking to itself…");
      return;
    }
    const run = snapshot.matches("shown") ? (snapshot.context.result as TlsTwinRun) : null;
    if (!run || run === this.#shown) return;
    this.#shown = run;
    const ws = wsItems(run);
    const wss = wssItems(run);
    this.#part("ws-items").replaceChildren(...ws.map((item, i) => itemElement(item, i, `${this.#idPrefix}-ws`)));
    this.#part("wss-items").replaceChildren(...wss.map((item, i) => itemElement(item, i, `${this.#idPrefix}-wss`)));
    const totals = twinTotals(run);
    const same = wss.filter((i) => i.same).length;
    setText(
      this.#part("status"),
      `${run.wss.version.replace("TLSv", "TLS ")}, ${run.wss.cipherSuite}${run.wss.client === "reader" ? ", your own connection" : ""}`,
    );
    const totalsText =
      `ws://: ${formatCount(totals.ws.in)} bytes up, ${formatCount(totals.ws.out)} down. ` +
      `wss://: ${formatCount(totals.wss.in)} bytes up, ${formatCount(totals.wss.out)} down, in ${totals.records} TLS records: ` +
      `${formatCount(totals.extraBytes)} bytes more, most of them the handshake and the certificate. ` +
      `${same} of the frames inside TLS are byte for byte the ws:// column's.`;
    const out = this.#part("totals");
    setText(out, totalsText);
    setFlag(out, "hidden", false);
    if (run.wss.problem) {
      setText(problem, `Part of the TLS capture could not be read: ${run.wss.problem}`);
      setFlag(problem, "hidden", false);
    }
    this.#renderDownloads(run);
    setText(this.#part("announcer"), `The twins ran. ${totalsText}`);
  }

  /** Each twin as pcapng for Wireshark; the wss:// one carries its key log, so Wireshark decrypts it too. */
  #renderDownloads(run: TlsTwinRun): void {
    const out = this.#part("downloads");
    const button = (label: string, side: TwinSide, keyLog: readonly string[], name: string): HTMLButtonElement => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.addEventListener("click", async () => {
        // Loaded on the first press: the writer is only for readers who open Wireshark.
        const { buildPcapng } = await import("../../protocol/pcapng.ts");
        const tuple = side.tuple ?? {
          clientAddress: "127.0.0.1",
          clientPort: 50000,
          serverAddress: "127.0.0.1",
          serverPort: 443,
        };
        const segments = side.chunks.map((c) => ({ dir: c.dir, t: c.t, bytes: fromBase64(c.data) }));
        const pcapng = buildPcapng(tuple, segments, {
          keyLog,
          comment: `Switching Protocols, lesson 7: the ${side.scheme}:// twin`,
        });
        if (pcapng.ok)
          downloadBlob(
            new Blob([pcapng.bytes as Uint8Array<ArrayBuffer>], { type: "application/vnd.tcpdump.pcap" }),
            name,
          );
      });
      return b;
    };
    out.replaceChildren(
      "Open them in Wireshark: ",
      button("ws:// twin (.pcapng)", run.ws, [], "ws-twin.pcapng"),
      " ",
      run.wss.client === "reader"
        ? button("your own wss:// connection with its key log (.pcapng)", run.wss, run.wss.keyLog, "your-wss.pcapng")
        : button("wss:// twin with its key log (.pcapng)", run.wss, run.wss.keyLog, "wss-twin.pcapng"),
    );
    setFlag(out, "hidden", false);
  }
}
