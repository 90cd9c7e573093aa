// A wire tap recording (tap-events.ts) as pcapng (pcapng.ts): the newest connection in it, its
// upgrade request, 101 response and every later chunk, in order, at the lab's times. A recording
// whose capture limit was reached has chunks without bytes; Wireshark could only show a stream
// with a hole in it, so such a recording is refused with a reason instead.
import { base64ToBytes } from "./base64.ts";
import { buildPcapng, type PcapngResult, type PcapngSegment } from "./pcapng.ts";
import type { TapEvent } from "./tap-events.ts";

/** Tap events were checked when read (tap-parse.ts), so their base64 is valid. */
const fromBase64 = (data: string): Uint8Array => base64ToBytes(data) ?? new Uint8Array(0);

export function tapRecordingToPcapng(events: readonly TapEvent[], comment?: string): PcapngResult {
  let start = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.type === "open") {
      start = i;
      break;
    }
  }
  const open = events[start];
  if (!open || open.type !== "open") return { ok: false, error: "the recording holds no connection" };
  const segments: PcapngSegment[] = [];
  for (const event of events.slice(start + 1)) {
    if (event.type === "open") break;
    if (event.type === "request" || event.type === "response")
      segments.push({ dir: event.type === "request" ? "in" : "out", t: event.t, bytes: fromBase64(event.data) });
    if (event.type === "chunk") {
      if (event.data === undefined)
        return {
          ok: false,
          error: "the capture limit was reached during this connection, so its bytes are not all there for Wireshark",
        };
      segments.push({ dir: event.dir, t: event.t, bytes: fromBase64(event.data) });
    }
  }
  if (segments.length === 0) return { ok: false, error: "the connection carried no bytes yet" };
  return buildPcapng(open.tuple, segments, comment ? { comment } : {});
}
