// Lesson 8's cross-site WebSocket hijacking, for real: the names and the one message the lab, the
// "other site" (a second origin the production server also serves, server/other-site/) and the
// lesson's widget share. Pure: no Node, no DOM.
//
// The reader first gets a demo cookie from the lab (POST DEMO_COOKIE_PATH), then opens the other
// site, which tries to open a WebSocket to the lab. The browser sends the lab's cookie with that
// handshake, and the lab refuses it by Origin (403, RFC 6455 §10.2). NAIVE_ECHO_PATH is a server
// that forgot the check: it accepts the same handshake, and only ever echoes.
import { isValidToken } from "./tap-events.ts";

export const DEMO_COOKIE_PATH = "/lab/demo-cookie";
export const DEMO_COOKIE_NAME = "sp-demo";
/** Seconds the demo cookie lives: long enough for the lesson, gone soon after. */
export const DEMO_COOKIE_MAX_AGE_S = 600;
export const NAIVE_ECHO_PATH = "/lab/naive-echo";
/** What the other site's page sends once a socket opens, so the reader sees it spoke as them. */
export const OTHER_SITE_MESSAGE = "Hello from another site, speaking with your cookie";

export type HijackTarget = "checked" | "naive";

/** Where the other site's page connects: the lab's own echo (which checks Origin) or the naive one. */
export function hijackPath(target: HijackTarget): string {
  return target === "naive" ? NAIVE_ECHO_PATH : "/lab/echo";
}

/** What the lesson tells the other site's page, in its URL's fragment (never sent to a server). */
export interface HijackOrder {
  /** The lab's port on the same host name as the other site. */
  labPort: number;
  /** The reader's watch token, so the lab's tap reports the attempt to the lesson. */
  token: string;
  target: HijackTarget;
}

export function hijackFragment(order: HijackOrder): string {
  return `#${new URLSearchParams({ lab: String(order.labPort), watch: order.token, target: order.target }).toString()}`;
}

/** Reads the fragment; anything malformed is an error value the other site's page shows. */
export function parseHijackFragment(hash: string): { ok: true; order: HijackOrder } | { ok: false; error: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const labPort = Number(params.get("lab"));
  if (!Number.isInteger(labPort) || labPort < 1 || labPort > 65535)
    return { ok: false, error: "The link does not name the lab's port. Open this page from lesson 8." };
  const token = params.get("watch") ?? "";
  if (!isValidToken(token))
    return { ok: false, error: "The link carries no valid watch token. Open this page from lesson 8." };
  const target = params.get("target");
  if (target !== "checked" && target !== "naive")
    return { ok: false, error: "The link must say which server to try: checked or naive." };
  return { ok: true, order: { labPort, token, target } };
}
