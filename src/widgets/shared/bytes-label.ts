// A size in bytes for a reader, one way everywhere: "1 byte", "65,536 bytes".
import { formatCount } from "./format-count.ts";

export function bytesLabel(n: number): string {
  return n === 1 ? "1 byte" : `${formatCount(n)} bytes`;
}
