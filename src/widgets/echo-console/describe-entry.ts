// Words for the echo console's log: the same sentence is shown in the log and announced in the
// live region, so what a screen reader hears is what a sighted reader sees.
import type { LogEntry, ReadyStateName } from "../../machines/echo-connection.ts";
import { bytesLabel } from "../shared/bytes-label.ts";
import { describeClose } from "../shared/describe-close.ts";

export const readyStateNumbers: Record<ReadyStateName, number> = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };

const stateMeaning: Record<ReadyStateName, string> = {
  CONNECTING: "the browser is opening the TCP connection and sending the HTTP upgrade request",
  OPEN: "the server answered 101 Switching Protocols; either side may send messages now",
  CLOSING: "this page asked to close; the browser sent a close frame and waits for the server's",
  CLOSED: "the connection is over; nothing more can be sent on it",
};

export function describeState(state: ReadyStateName): string {
  return `readyState ${readyStateNumbers[state]}, ${state}: ${stateMeaning[state]}`;
}

export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "+0 ms";
  if (ms < 1000) return `+${ms.toFixed(1)} ms`;
  return `+${(ms / 1000).toFixed(2)} s`;
}

export function describeEntry(entry: LogEntry): string {
  switch (entry.type) {
    case "state":
      return describeState(entry.state);
    case "message": {
      const verb = entry.direction === "sent" ? "Sent" : "Received";
      const shown = entry.truncated ? `${entry.content}…` : entry.content;
      const content = entry.kind === "text" ? `“${shown}”` : shown === "" ? "no bytes" : shown;
      return `${verb} a ${entry.kind} message of ${bytesLabel(entry.bytes)}: ${content}`;
    }
    case "close":
      return describeClose(entry.code, entry.reason, entry.wasClean);
    case "error":
      return entry.message;
  }
}
