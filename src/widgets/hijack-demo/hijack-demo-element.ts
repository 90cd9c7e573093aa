// <sp-hijack-demo>: lesson 8's hijacking attempt. A tap monitor is opened at once; its token goes to
// the other site's page in the link's fragment (never to a server), so every handshake that page
// makes toward the lab is reported here, refused or not. The demo cookie comes from
// POST /lab/demo-cookie; the other site's port from GET /lab/info. Rendering is hijack-story.ts's.
import { buildCaptureView } from "../../protocol/capture.ts";
import { DEMO_COOKIE_PATH, hijackFragment, type HijackTarget } from "../../protocol/hijack-demo.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { setFlag, setText } from "../shared/dom-writes.ts";
import { frameScheduler, part } from "../shared/parts.ts";
import { openMonitor, type TapMonitor } from "../shared/tap-client.ts";
import { hijackStory, type HijackStory } from "./hijack-story.ts";

/** Events kept for the current attempt: a handshake, its answer and a few frames. */
const MAX_EVENTS = 100;

export default class HijackDemoElement extends HTMLElement {
  #abort = new AbortController();
  #monitor: TapMonitor | null = null;
  #events: TapEvent[] = [];
  #otherPort: number | null = null;
  #frames = frameScheduler(() => this.#render(hijackStory(buildCaptureView(this.#events))));
  #announced = "";

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    const cookie = part<HTMLButtonElement>(this, "cookie");
    cookie.disabled = false;
    cookie.addEventListener("click", () => void this.#takeCookie(), { signal });
    for (const radio of this.querySelectorAll<HTMLInputElement>('input[type="radio"]'))
      radio.addEventListener("change", () => this.#updateLink(), { signal });
    part(this, "loading-note").hidden = true;
    void this.#start(signal);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#frames.cancel();
    this.#monitor?.close();
    this.#monitor = null;
  }

  async #start(signal: AbortSignal): Promise<void> {
    try {
      const info = (await (await fetch("/lab/info", { signal })).json()) as { otherSite?: { port?: unknown } | null };
      const port = info.otherSite?.port;
      this.#otherPort = typeof port === "number" && Number.isInteger(port) ? port : null;
      const monitor = await openMonitor({
        onEvent: (event) => this.#onTap(event),
        onProblem: (message) => this.#setProblem(`${message} Reload the page to watch again.`),
      });
      if (signal.aborted) return monitor.close();
      this.#monitor = monitor;
    } catch (error) {
      if (signal.aborted) return;
      this.#setProblem(`The lab could not be reached: ${(error as Error).message}.`);
    }
    this.#updateLink();
    this.toggleAttribute("data-ready", true);
  }

  async #takeCookie(): Promise<void> {
    const note = part(this, "cookie-note");
    try {
      const response = await fetch(DEMO_COOKIE_PATH, { method: "POST" });
      if (!response.ok) throw new Error((await response.text()).trim() || `the lab answered ${response.status}`);
      const body = (await response.json()) as { name: string; value: string; maxAgeSeconds: number };
      setText(
        note,
        `Your browser now holds the cookie ${body.name}=${body.value} for this lab, for ${Math.round(body.maxAgeSeconds / 60)} minutes. It is HttpOnly: no script can read it, not even this page's (the value shown came in the lab's answer).`,
      );
      this.dataset.cookie = body.value;
    } catch (error) {
      setText(note, `No cookie: ${(error as Error).message}.`);
    }
  }

  #target(): HijackTarget {
    return part<HTMLInputElement>(this, "target-naive").checked ? "naive" : "checked";
  }

  #updateLink(): void {
    const link = part<HTMLAnchorElement>(this, "visit");
    const note = part(this, "visit-note");
    const labPort = Number(location.port || 80);
    let why = "";
    if (location.protocol !== "http:")
      why = "Open this lesson over http:// for this demonstration: the other site speaks plain http only.";
    else if (this.#otherPort === null)
      why =
        "The other site is not running: it comes with the production server (npm start), on the port after the lab's, or the one given with --other-site-port.";
    else if (!this.#monitor) why = "Waiting for the lab's tap…";
    if (why || this.#otherPort === null || !this.#monitor) {
      link.removeAttribute("href");
      link.hidden = true;
      setText(note, why);
      return;
    }
    const origin = `http://${location.hostname}:${this.#otherPort}`;
    link.href = `${origin}/${hijackFragment({ labPort, token: this.#monitor.token, target: this.#target() })}`;
    link.hidden = false;
    setText(note, `The other site is ${origin}: the same host name, another port, so another origin (RFC 6454 §4).`);
  }

  #onTap(event: TapEvent): void {
    if (event.type === "hello" || event.type === "dropped") return;
    // Each attempt is a new specimen; the story starts again with it.
    if (event.type === "open") this.#events = [];
    if (this.#events.length >= MAX_EVENTS) return;
    this.#events.push(event);
    this.#frames.schedule();
  }

  #setProblem(message: string): void {
    const out = part(this, "problem");
    setText(out, message);
    setFlag(out, "hidden", message === "");
  }

  #render(story: HijackStory): void {
    this.dataset.state = story.state;
    setText(part(this, "verdict"), story.summary);
    setFlag(part(this, "exchange"), "hidden", story.lines.length === 0);
    const pre = part(this, "request");
    pre.replaceChildren(
      ...story.lines.map((line) => {
        const text = `${line.text}\n`;
        if (!line.mark) return document.createTextNode(text);
        const mark = document.createElement("mark");
        mark.textContent = text;
        mark.dataset.mark = line.mark;
        return mark;
      }),
    );
    setText(
      part(this, "answer"),
      story.status === null
        ? "No answer yet."
        : `${story.status} ${story.reason}${story.refusal ? `: ${story.refusal}` : ""}${story.sent !== null ? ` · then the page sent “${story.sent}”${story.echoed !== null ? ` and the server echoed “${story.echoed}”` : ""}` : ""}`,
    );
    if (story.state !== "waiting" && story.summary !== this.#announced) {
      this.#announced = story.summary;
      setText(part(this, "announcer"), story.summary);
    }
  }
}
