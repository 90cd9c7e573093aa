// What one transport of one race has cost so far: requests served, events handed to the
// network, and bytes in and out on the wire (http-lab/wire-bytes.ts). Exchanges still under
// way (a held long poll, an open event stream or WebSocket) are read live, so results asked for
// mid-race are current; finished ones are folded into running totals so that a page polling
// every 100 ms does not grow a list.
import type { TransportCount } from "../../protocol/lab-api.ts";
import type { WireMeter } from "../http-lab/wire-bytes.ts";

export interface TransportTally {
  /** One more request (an HTTP request, or a WebSocket upgrade) on this transport; counts its bytes. */
  request(meter: WireMeter): void;
  /** `n` more events written to the network. */
  sent(n: number): void;
  count(): TransportCount;
}

export function createTransportTally(): TransportTally {
  let requests = 0;
  let eventsSent = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  const open = new Set<WireMeter>();

  return {
    request(meter) {
      requests += 1;
      open.add(meter);
      meter.onSettled(() => {
        if (!open.delete(meter)) return;
        const final = meter.read();
        bytesIn += final.bytesIn;
        bytesOut += final.bytesOut;
      });
    },
    sent(n) {
      eventsSent += n;
    },
    count() {
      let liveIn = 0;
      let liveOut = 0;
      for (const meter of open) {
        const now = meter.read();
        liveIn += now.bytesIn;
        liveOut += now.bytesOut;
      }
      return { requests, bytesIn: bytesIn + liveIn, bytesOut: bytesOut + liveOut, eventsSent };
    },
  };
}
