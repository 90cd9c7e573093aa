// Words for what a trace shows, for live regions, tooltips and tables: one sentence per
// message, computed from the trace like every other number a page shows.

import type { TraceMessage } from "./trace.ts";

const ms = (t: number): string => `${Math.round(t * 10) / 10} ms`;

/** "client → server at 100 ms: GET / HTTP/1.1, 412 bytes (412 of them headers), arrived at 150 ms." */
export function describeMessage(message: TraceMessage): string {
  const to = message.from === "client" ? "server" : "client";
  const parts = [`${message.from} → ${to} at ${ms(message.sentAt)}: ${message.label}`];
  if (message.retransmission) parts[0] += " (retransmission)";
  if (message.tcp)
    parts.push(
      `seq ${message.tcp.seq}${message.tcp.flags.includes("ACK") ? `, ack ${message.tcp.ack}` : ""}, ${message.tcp.payload} bytes of data`,
    );
  else parts.push(`${message.bytes} bytes (${message.headerBytes} of them protocol overhead)`);
  if (message.carriesEvents?.length)
    parts.push(`carries event${message.carriesEvents.length > 1 ? "s" : ""} ${message.carriesEvents.join(", ")}`);
  parts.push(message.arrivesAt === null ? "lost on the way" : `arrived at ${ms(message.arrivesAt)}`);
  return `${parts.join(", ")}.`;
}
