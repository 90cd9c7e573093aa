// Words for what the inspector shows: one sentence per tap event for the log (which is also
// what a screen reader follows), and short labels for frames on the lanes.
import type { CapturedFrame } from "../../protocol/capture.ts";
import { describeOpcode } from "../../protocol/opcodes.ts";
import { describeCloseCode } from "../../protocol/close-codes.ts";
import { base64ToBytes } from "../../protocol/base64.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { bytesLabel } from "../shared/bytes-label.ts";
import { formatCount } from "../shared/format-count.ts";
import { formatMs } from "../shared/format-ms.ts";
import { payloadPreview } from "../shared/payload-preview.ts";

export { formatMs };

export const side = { in: "client → server", out: "server → client" } as const;

export function frameLabel(f: CapturedFrame): string {
  const name = describeOpcode(f.frame.opcode).name;
  const fin = f.frame.fin ? "FIN" : "more to come";
  return `${name} · ${fin} · ${bytesLabel(f.end - f.start)}`;
}

export function describeFrame(f: CapturedFrame): string {
  const who = f.dir === "in" ? "The client sent" : "The server sent";
  const masked = f.frame.masked ? "a masked" : "an unmasked";
  return `${who} ${masked} ${describeOpcode(f.frame.opcode).name} frame (${frameLabel(f)}): ${payloadPreview(f)}.`;
}

/** One sentence per event, in the words the log shows. `origin` is the time of the first event. */
export function describeEvent(event: TapEvent): string {
  switch (event.type) {
    case "hello":
      return "The monitor is connected: the lab will report what it sees on your connection.";
    case "open":
      return `A new connection from ${event.tuple.clientAddress} port ${event.tuple.clientPort} to ${event.tuple.serverAddress} port ${event.tuple.serverPort} (${event.path}).`;
    case "request":
      return `The lab received the upgrade request: ${bytesLabel(base64ToBytes(event.data)?.length ?? 0)} of HTTP.`;
    case "response":
      return `The lab wrote its 101 Switching Protocols response: ${bytesLabel(base64ToBytes(event.data)?.length ?? 0)}.`;
    case "chunk": {
      const verb = event.dir === "in" ? "read" : "wrote";
      const kept = event.truncated ? " (not kept: capture limit reached)" : "";
      return `TCP: the lab ${verb} ${bytesLabel(event.length)} at stream offset ${formatCount(event.offset)}${kept}.`;
    }
    case "close": {
      const info = describeCloseCode(event.code);
      const who =
        event.initiator === "client" ? "the browser" : event.initiator === "server" ? "the lab" : "the network";
      return `The connection ended, started by ${who}: ${event.code} ${info.name}${event.reason ? ` “${event.reason}”` : ""}${event.wasClean ? "" : " (no clean close handshake)"}.`;
    }
    case "command":
      return event.ok ? `The lab: ${event.detail}` : `The lab could not do that: ${event.detail}`;
    case "dropped":
      return `The monitor fell behind: ${event.events} events (${bytesLabel(event.bytes)}) were left out.`;
    case "error":
      return `The lab reported a problem: ${event.message}`;
  }
}
