// A close event in words, with its RFC section: the echo console's log, the frame inspector's
// "your page's close event" line and lesson 6's close lab all say it the same way.
import { describeCloseCode } from "../../protocol/close-codes.ts";

/** "Closed with 1000 Normal Closure: the conversation is finished… (RFC 6455 §7.4.1). …" */
export function describeClose(code: number, reason: string, wasClean: boolean): string {
  const info = describeCloseCode(code);
  const why = reason ? ` The reason given was “${reason}”.` : " No reason was given.";
  const clean = wasClean
    ? "The close handshake completed."
    : "The connection ended without a complete close handshake.";
  return `Closed with ${code} ${info.name}: ${info.meaning} (${info.rfc}).${why} ${clean}`;
}
