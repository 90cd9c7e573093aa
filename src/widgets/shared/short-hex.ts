// Bytes as hex for a line of text: a frame, a record header, a handshake head. Long ones are cut
// after `max` bytes with a count of the rest, so one huge message cannot fill the view.
import { toHex } from "../../protocol/hex.ts";
import { formatCount } from "./format-count.ts";

export function shortHex(bytes: Uint8Array, max = 24): string {
  if (bytes.length <= max) return toHex(bytes);
  const rest = bytes.length - max;
  return `${toHex(bytes.subarray(0, max))} … and ${rest === 1 ? "1 byte" : `${formatCount(rest)} bytes`} more`;
}
