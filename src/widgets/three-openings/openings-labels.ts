// The words lesson 9's three openings use for phases, sources and columns: shared by the
// build-time markup (ThreeOpenings.astro) and the element that fills it in.
import type { HttpVersion, Phase } from "../../protocol/websocket-openings.ts";
import type { RowSource } from "./openings-view.ts";

/** Characters of message a reader may type: one short frame, well under the lab's cap (H2_TWIN_MAX_MESSAGE_BYTES). */
export const MESSAGE_MAX_LENGTH = 100;

export const PHASE_NAMES: Readonly<Record<Phase, string>> = {
  connection: "Connection",
  opening: "Opening handshake",
  messages: "Messages",
  closing: "Closing",
};

export const SOURCE_NAMES: Readonly<Record<RowSource, string>> = {
  seen: "seen on the wire",
  unseen: "not visible to the capture",
  simulated: "simulated from the model",
  extra: "on the wire, not in the model",
  expected: "expected by the model (not run yet)",
};

export const VERSION_SOURCES: Readonly<Record<HttpVersion, string>> = {
  "http/1.1": "live: your browser",
  h2: "live: the lab's HTTP/2 client",
  h3: "simulation",
};
