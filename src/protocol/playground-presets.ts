// The handshake playground's starting points (lessons 4 and 8): raw opening handshakes a reader
// can send to the lab as they are or edit first, each with the answer the lab gives and the rule
// behind it. The same list drives the widget's buttons, the lesson's table and the server tests,
// so what the page promises is what the tests check. Pure: no Node, no DOM.
import { handshakeExample } from "./handshake-example.ts";

export type PlaygroundPresetName =
  | "good"
  | "cookie"
  | "no-upgrade"
  | "wrong-version"
  | "bad-key"
  | "post"
  | "foreign-origin"
  | "http10"
  | "foreign-host";

export interface PlaygroundPreset {
  name: PlaygroundPresetName;
  /** A button's label. */
  label: string;
  /** What this request changes from a correct handshake, and the rule it meets or breaks. */
  rule: string;
  /** The status the lab answers with. */
  expectedStatus: number;
}

/** Where the page is, as the browser would write it in Host and Origin. */
export interface PageAddress {
  /** `location.host`: name and port, e.g. "localhost:4321". */
  host: string;
  /** `location.origin`, e.g. "http://localhost:4321". */
  origin: string;
}

/** The path every preset asks to upgrade: the lab's echo endpoint. */
export const PLAYGROUND_TARGET = "/lab/echo";

/** A cookie the cookie preset carries, as a browser would send one the site had set. */
export const PLAYGROUND_DEMO_COOKIE = "sp-demo=reader-42";

export const PLAYGROUND_PRESETS: readonly PlaygroundPreset[] = [
  {
    name: "good",
    label: "A correct handshake",
    rule: "GET over HTTP/1.1 with Upgrade: websocket, Connection: Upgrade, a key of 16 random bytes in base64, version 13 and the page's own Origin (RFC 6455 §4.1). This one uses the sample key of §1.3.",
    expectedStatus: 101,
  },
  {
    name: "cookie",
    label: "With a cookie",
    rule: "A browser sends the site's cookies with the handshake like with any request to it (RFC 6265 §5.4). The lab accepts it: cookies alone prove nothing about which page opened the socket, which is why servers check Origin (RFC 6455 §10.2).",
    expectedStatus: 101,
  },
  {
    name: "no-upgrade",
    label: "Missing Upgrade",
    rule: "Without Upgrade: websocket and Connection: Upgrade this is a plain GET, and the address speaks only WebSocket: 426 Upgrade Required, naming the protocol to switch to (RFC 9110 §15.5.22).",
    expectedStatus: 426,
  },
  {
    name: "wrong-version",
    label: "Version 8",
    rule: "The lab speaks version 13 only, so it answers 426 with Sec-WebSocket-Version: 13, the versions it does speak (RFC 6455 §4.4).",
    expectedStatus: 426,
  },
  {
    name: "bad-key",
    label: "A bad key",
    rule: "Sec-WebSocket-Key must be base64 of 16 bytes (24 characters ending in ==); anything else is not a valid handshake: 400 (RFC 6455 §4.2.1).",
    expectedStatus: 400,
  },
  {
    name: "post",
    label: "POST",
    rule: "The opening handshake must be a GET (RFC 6455 §4.1): 405 Method Not Allowed, with Allow: GET.",
    expectedStatus: 405,
  },
  {
    name: "foreign-origin",
    label: "A foreign Origin",
    rule: "Origin says a page on another site made this request. The lab accepts only its own pages, so it refuses with 403 and never upgrades (RFC 6455 §4.2.2, §10.2).",
    expectedStatus: 403,
  },
  {
    name: "http10",
    label: "HTTP/1.0",
    rule: "A WebSocket handshake needs HTTP/1.1 or higher (RFC 6455 §4.1): an HTTP/1.0 client knows neither Upgrade nor 101. The lab answers 400 and says why.",
    expectedStatus: 400,
  },
  {
    name: "foreign-host",
    label: "A foreign Host",
    rule: "Host names a site the lab does not serve, as a page using DNS rebinding would send. Origin matches Host, so only the Host check stops it: 421 Misdirected Request (RFC 9110 §15.5.20).",
    expectedStatus: 421,
  },
];

export function playgroundPreset(name: string): PlaygroundPreset | undefined {
  return PLAYGROUND_PRESETS.find((p) => p.name === name);
}

/** A name for a site that is not the lab (RFC 2606 §3 reserves example.com, .net and .org). */
const OTHER_SITE = "other-site.example";

/** The preset's request as it goes on the wire: CRLF line endings, ending with the empty line. */
export function presetRequest(name: PlaygroundPresetName, page: PageAddress): string {
  const method = name === "post" ? "POST" : "GET";
  const version = name === "http10" ? "HTTP/1.0" : "HTTP/1.1";
  const host = name === "foreign-host" ? OTHER_SITE : page.host;
  const origin = name === "foreign-origin" || name === "foreign-host" ? `http://${OTHER_SITE}` : page.origin;
  const fields: Array<[string, string]> = [["Host", host]];
  if (name !== "no-upgrade") fields.push(["Upgrade", "websocket"], ["Connection", "Upgrade"]);
  fields.push(["Sec-WebSocket-Key", name === "bad-key" ? "not-a-key" : handshakeExample.key]);
  fields.push(["Sec-WebSocket-Version", name === "wrong-version" ? "8" : "13"]);
  fields.push(["Origin", origin]);
  if (name === "cookie") fields.push(["Cookie", PLAYGROUND_DEMO_COOKIE]);
  if (name === "post") fields.push(["Content-Length", "0"]);
  return `${method} ${PLAYGROUND_TARGET} ${version}\r\n${fields.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`;
}

/**
 * Text from an editor (a textarea gives LF line endings) as wire text: every line ending becomes
 * CRLF, the only ending RFC 9112 §2.2 lets a sender use. Nothing else is changed, so a reader who
 * deletes the final empty line sends a head that never ends, and sees what the lab does then.
 */
export function toWireText(editorText: string): string {
  return editorText.replace(/\r\n|\r|\n/g, "\r\n");
}

/** Wire text for an editor: line endings as the textarea writes them. */
export function toEditorText(wireText: string): string {
  return wireText.replace(/\r\n/g, "\n");
}
