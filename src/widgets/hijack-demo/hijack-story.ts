// What lesson 8's hijacking attempt looked like on the wire, from the lab's tap: the handshake the
// browser sent from the other site (its Origin and the cookies that rode along), the lab's answer,
// and, when a naive server accepted it, what the other page then said and heard. Pure: the
// element writes the result into the DOM, as text.
import type { CaptureView } from "../../protocol/capture.ts";
import { headerValue, parseRequestHead, parseResponseHead } from "../../protocol/http1.ts";
import { DEMO_COOKIE_NAME } from "../../protocol/hijack-demo.ts";
import { hideWatchToken } from "../shared/hide-watch-token.ts";

export interface RequestLine {
  text: string;
  /** Lines the lesson is about: where the page comes from, and what the browser added for the lab. */
  mark: "origin" | "cookie" | null;
}

export interface HijackStory {
  state: "waiting" | "refused" | "accepted";
  origin: string | null;
  /** The Cookie header the browser sent, if any. */
  cookie: string | null;
  /** The demo cookie's value, when it was among them. */
  demoCookie: string | null;
  status: number | null;
  reason: string;
  /** The lab's words for a refusal. */
  refusal: string | null;
  lines: RequestLine[];
  /** After an upgrade: what the other page sent, and what came back. */
  sent: string | null;
  echoed: string | null;
  /** The outcome in one or two sentences (also what the live region says). */
  summary: string;
}

function demoCookieIn(cookie: string | null): string | null {
  for (const pair of (cookie ?? "").split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === DEMO_COOKIE_NAME) return value.join("=");
  }
  return null;
}

/** The request's lines, with the watch token hidden: it is the reader's, and the page shows it to no one. */
function linesOf(text: string): RequestLine[] {
  return text
    .split("\r\n")
    .slice(0, -2)
    .map((line) => {
      const lower = line.toLowerCase();
      const mark = lower.startsWith("origin:") ? "origin" : lower.startsWith("cookie:") ? "cookie" : null;
      return { text: hideWatchToken(line), mark };
    });
}

export function hijackStory(view: CaptureView): HijackStory {
  const request = view.request ? parseRequestHead(view.request.bytes) : null;
  const head = request?.kind === "head" ? request.head : null;
  const origin = head ? headerValue(head.fields, "origin") : null;
  const cookie = head ? headerValue(head.fields, "cookie") : null;
  const demoCookie = demoCookieIn(cookie);
  const response = view.response ? parseResponseHead(view.response.bytes) : null;
  const status = response?.kind === "head" ? response.head.startLine.status : null;
  const reason = response?.kind === "head" ? response.head.startLine.reason : "";
  const sent = view.messages.find((m) => m.dir === "in")?.text ?? null;
  const echoed = view.messages.find((m) => m.dir === "out")?.text ?? null;
  const base = {
    origin,
    cookie,
    demoCookie,
    status,
    reason,
    lines: view.request ? linesOf(view.request.text) : [],
    sent,
    echoed,
  };
  const from = origin ? `a page from ${origin}` : "a page that sent no Origin";
  const carried = demoCookie
    ? `carrying your cookie ${DEMO_COOKIE_NAME}=${demoCookie}`
    : cookie
      ? "carrying cookies, but not the demo cookie"
      : "carrying no cookie (get the demo cookie first to see it ride along)";
  if (status === null)
    return {
      ...base,
      state: "waiting",
      refusal: null,
      summary: view.request ? "The handshake is on its way…" : "Nothing yet: open the other site.",
    };
  if (status === 101) {
    const talk = sent !== null ? ` The page then sent “${sent}”${echoed !== null ? " and got it back" : ""}.` : "";
    return {
      ...base,
      state: "accepted",
      refusal: null,
      summary: `Accepted: the server answered 101 Switching Protocols to ${from}, ${carried}.${talk} A real application would have answered that page as you.`,
    };
  }
  const refusal = view.refusalBody?.trim() || null;
  return {
    ...base,
    state: "refused",
    refusal,
    summary: `Refused: your browser sent the handshake for ${from}, ${carried}, and the lab answered ${status} ${reason}${refusal ? `: “${refusal}”` : "."}`,
  };
}
