// The wire tap: the lab reports the real bytes of a reader's own WebSocket connection.
//
// A page opens the monitor first, /lab/monitor?watch=TOKEN, then the connection it wants to
// study (the specimen), e.g. /lab/echo?watch=TOKEN. The token (tap-events.ts: 22–64 base64url
// characters, made by the page from 16 random bytes) ties the two together; a monitor sees
// only specimens that presented its token, so it cannot watch anyone else's connection.
//
//   monitor upgrade:  malformed token → 400 · token held by an open monitor → 409
//   specimen upgrade: malformed token → 400 · no monitor with that token → 409 ("open the
//                     monitor first") · that monitor already watches an open specimen → 409
//
// Both go through the lab's usual gate first (path, Origin, connections per address).
//
// The monitor receives JSON text events, in this order for each specimen (full field list and
// the requests a monitor may send: src/protocol/tap-events.ts):
//   hello (once, with the limits) · open (number, path, 4-tuple) · request (the upgrade head as
//   received) · response (the 101 head as written) · chunk… (each read "in" and each write
//   "out", with server time, per-direction stream offset, length and base64 bytes) · close
//   (code and reason as the server saw them, who started it, whether the close handshake
//   completed) — plus command / error answers to requests, and dropped when the monitor fell
//   behind. A `drop` request is reported as initiator "server": the lab cut the connection on
//   purpose, even though the page can only see 1006.
//
// Memory is bounded at every step: the head capture (16 KiB per connection, released at the
// first request), the specimen capture (tapCaptureBytes, then chunks without data) and the
// monitor's queue (tapMonitorBufferBytes and tapEventsPerSecond, then events are dropped and
// counted, never queued).
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import { isValidToken, type TapLimits } from "../../protocol/tap-events.ts";
import type { LabSettings } from "../settings.ts";
import { createConnectionCapture } from "./connection-capture.ts";
import { startMonitor, type MonitorSession, type SpecimenHandle } from "./monitor.ts";

export const MONITOR_PATH = "/lab/monitor";

export type TokenVerdict = { ok: true; token: string } | { ok: false; status: number; message: string };

export interface TapHub {
  readonly limits: TapLimits;
  /** Starts keeping the raw request heads of `server`'s connections. */
  watch(server: Server): () => void;
  /** May this monitor upgrade go ahead? */
  checkMonitor(request: IncomingMessage): TokenVerdict;
  openMonitor(token: string, ws: WebSocket): void;
  /** null: the upgrade carries no watch token and is not tapped. */
  checkSpecimen(request: IncomingMessage): TokenVerdict | null;
  /** Starts tapping a specimen upgrade that passed checkSpecimen; call before ws writes anything. */
  beginSpecimen(
    token: string,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    path: string,
  ): SpecimenHandle | null;
  stats(): { monitors: number; maxBufferedBytes: number; pendingDrops: number };
}

function watchParam(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? "/", "http://lab.invalid").searchParams.get("watch");
  } catch {
    return null;
  }
}

const BAD_TOKEN =
  "The watch token must be 22–64 characters of base64url (A–Z, a–z, 0–9, - and _), made from at least 16 random bytes.";

export function createTapHub(settings: LabSettings): TapHub {
  const limits: TapLimits = {
    captureBytes: settings.tapCaptureBytes,
    eventsPerSecond: settings.tapEventsPerSecond,
    monitorBufferBytes: settings.tapMonitorBufferBytes,
  };
  const monitors = new Map<string, MonitorSession>();
  const capture = createConnectionCapture();

  return {
    limits,
    watch: (server) => capture.watch(server),

    checkMonitor(request) {
      const token = watchParam(request);
      if (token === null || !isValidToken(token))
        return { ok: false, status: 400, message: `${MONITOR_PATH} needs ?watch=TOKEN. ${BAD_TOKEN}` };
      if (monitors.has(token))
        return {
          ok: false,
          status: 409,
          message: "A monitor with this watch token is already open; each token has one monitor. Generate a new token.",
        };
      return { ok: true, token };
    },

    openMonitor(token, ws) {
      const session = startMonitor(ws, token, limits, () => {
        if (monitors.get(token) === session) monitors.delete(token);
      });
      monitors.set(token, session);
    },

    checkSpecimen(request) {
      const token = watchParam(request);
      if (token === null) return null;
      if (!isValidToken(token)) return { ok: false, status: 400, message: BAD_TOKEN };
      const monitor = monitors.get(token);
      if (!monitor)
        return {
          ok: false,
          status: 409,
          message: `No monitor is open for this watch token: open the monitor first (${MONITOR_PATH}?watch=TOKEN), then this connection.`,
        };
      if (monitor.busy())
        return {
          ok: false,
          status: 409,
          message:
            "The monitor for this watch token is already watching an open connection; close it before opening another.",
        };
      return { ok: true, token };
    },

    beginSpecimen(token, request, socket, head, path) {
      const monitor = monitors.get(token);
      if (!monitor) return null;
      return monitor.beginSpecimen(request, socket, path, capture.claim(socket, head));
    },

    stats() {
      let maxBufferedBytes = 0;
      let pendingDrops = 0;
      for (const monitor of monitors.values()) {
        const s = monitor.stats();
        maxBufferedBytes = Math.max(maxBufferedBytes, s.bufferedBytes);
        pendingDrops += s.pendingDrops;
      }
      return { monitors: monitors.size, maxBufferedBytes, pendingDrops };
    },
  };
}
