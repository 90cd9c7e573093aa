// <sp-other-site>: the script of lesson 8's other site (src/pages/other-site.astro), running on a
// foreign origin. It does what a hostile page would: opens a WebSocket to the lab from here, so
// the browser sends the lab's cookies with the handshake (RFC 6265 §5.4). The lesson's tab told it
// the lab's port, which server to try and the reader's watch token in the URL's fragment (never
// sent to any server), so the lab's tap reports the attempt to the lesson. All text is set as text.
import { part } from "../shared/parts.ts";
import { hijackPath, OTHER_SITE_MESSAGE, parseHijackFragment, type HijackOrder } from "../../protocol/hijack-demo.ts";

export default class OtherSiteElement extends HTMLElement {
  #socket: WebSocket | null = null;
  #abort = new AbortController();

  connectedCallback(): void {
    this.#abort = new AbortController();
    part(this, "origin").textContent = location.origin;
    const parsed = parseHijackFragment(location.hash);
    if (!parsed.ok) {
      const problem = part(this, "problem");
      problem.textContent = parsed.error;
      problem.hidden = false;
      return;
    }
    const again = part<HTMLButtonElement>(this, "again");
    again.addEventListener("click", () => this.#attempt(parsed.order), { signal: this.#abort.signal });
    this.#attempt(parsed.order);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#socket?.close();
  }

  #log(text: string): void {
    const item = document.createElement("li");
    item.textContent = text;
    part(this, "log").append(item);
  }

  #attempt(order: HijackOrder): void {
    this.#socket?.close();
    part(this, "log").replaceChildren();
    part(this, "verdict").textContent = "";
    part<HTMLButtonElement>(this, "again").disabled = true;
    this.dataset.outcome = "trying";
    const path = hijackPath(order.target);
    const url = `ws://${location.hostname}:${order.labPort}${path}?watch=${order.token}`;
    // The token is the reader's, so it is not shown in full, even here.
    this.#log(`new WebSocket("ws://${location.hostname}:${order.labPort}${path}?watch=…")`);
    const socket = new WebSocket(url);
    this.#socket = socket;
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      this.#log("open: the server accepted this page's handshake");
      socket.send(OTHER_SITE_MESSAGE);
      this.#log(`send("${OTHER_SITE_MESSAGE}")`);
    });
    socket.addEventListener("message", (event: MessageEvent<unknown>) => {
      this.#log(`message: "${String(event.data)}"`);
      socket.close(1000, "done");
    });
    socket.addEventListener("error", () => this.#log("error: the browser says only that something failed"));
    socket.addEventListener("close", (event) => {
      if (this.#socket !== socket) return;
      this.#log(
        `close: code ${event.code}${event.reason ? `, reason "${event.reason}"` : ""}, wasClean ${event.wasClean}`,
      );
      this.dataset.outcome = opened ? "accepted" : "refused";
      part(this, "verdict").textContent = opened
        ? "Accepted. This server forgot to check Origin, so it took a handshake from this page, which carried your cookie, as one of yours. A real application would now answer this page as if you had asked."
        : "Refused. The lab saw that this page's Origin is not its own and answered 403 Forbidden. This page cannot even learn that: a browser reports a failed handshake as an error and code 1006, with no status and no reason (RFC 6455 §4.1, §7.1.5).";
      part<HTMLButtonElement>(this, "again").disabled = false;
    });
  }
}
