// Lesson 9's comparison table, every cell read from the one model (protocol/websocket-openings.ts)
// rather than typed: what each version's request and answer say, where the frames ride, what
// closes, and the round trips before the first message. Rendered at build time; pure.
import {
  EXAMPLE_CONVERSATION,
  HTTP_VERSIONS,
  openingUnits,
  requestFields,
  requestLine,
  roundTripsToFirstMessage,
  sharesConnection,
  successStatus,
  type Conversation,
  type HttpVersion,
} from "../../protocol/websocket-openings.ts";

export interface ComparisonRow {
  label: string;
  cells: Record<HttpVersion, string>;
}

/** Browsers use HTTP/2 and HTTP/3 only over TLS, so the round trips compare encrypted connections. */
const SECURE: Conversation = { ...EXAMPLE_CONVERSATION, secure: true, origin: "https://lab.example:4321" };

const field = (version: HttpVersion, name: string): string | undefined =>
  requestFields(version, SECURE).find(([n]) => n.toLowerCase() === name)?.[1];
const count = (n: number | null, none: string): string => (n === null ? none : `${n}`);

function rowFor(label: string, cell: (version: HttpVersion) => string): ComparisonRow {
  return { label, cells: Object.fromEntries(HTTP_VERSIONS.map((v) => [v, cell(v)])) as Record<HttpVersion, string> };
}

export function comparisonRows(): ComparisonRow[] {
  return [
    rowFor("Runs over", (v) =>
      openingUnits(v, SECURE)[0]!.layer === "QUIC"
        ? "QUIC (over UDP), TLS 1.3 built in"
        : "TCP (TLS on top for wss://)",
    ),
    rowFor("The request", (v) =>
      v === "http/1.1"
        ? `${requestLine(SECURE).split(" ")[0]} with Upgrade: ${field(v, "upgrade")}`
        : `${field(v, ":method")} with :protocol ${field(v, ":protocol")}`,
    ),
    rowFor("Success", (v) => `${successStatus(v, SECURE)}`),
    rowFor("Key and accept", (v) =>
      field(v, "sec-websocket-key")
        ? "Sec-WebSocket-Key, answered by Sec-WebSocket-Accept"
        : "none: the stream is proof enough",
    ),
    rowFor("The frames travel", (v) => {
      const unit = openingUnits(v, SECURE).find((u) => u.phase === "messages")!;
      return unit.stream === null
        ? "on the connection itself"
        : `in ${unit.layer} DATA frames on stream ${unit.stream}`;
    }),
    rowFor("Round trips before the first message, new connection", (v) =>
      count(roundTripsToFirstMessage(v, SECURE), "?"),
    ),
    rowFor("… on a connection already open", (v) =>
      count(roundTripsToFirstMessage(v, SECURE, true), "no such thing: each WebSocket takes a connection of its own"),
    ),
    rowFor("Other requests share its connection", (v) => (sharesConnection(v) ? "yes, as streams beside it" : "no")),
    rowFor("After the close frames", (v) => {
      const ends = openingUnits(v, SECURE).filter((u) => u.phase === "closing" && !u.websocket);
      const titles = [...new Set(ends.map((u) => `${u.title} (${u.layer})`))];
      const who = ends.length > 1 ? "from each side" : `from the ${ends[0]!.from}`;
      return `${titles.join(", ")}, ${who}`;
    }),
  ];
}
