// Geometry of the side-by-side diagram: four lanes on one time axis. The left pair is the
// reader's real WebSocket (browser, lab), drawn at the times the lab saw each message; the
// right pair is the simulated HTTP exchange (browser, server) from a trace, each arrow from its
// send time to its arrival. Pure, so the picture is tested without a DOM.
import type { Trace } from "../../sim/trace.ts";
import type { RealMessage } from "./conversation.ts";

export const WIDTH = 640;
export const TOP = 48;
export const lanes = { realClient: 40, realServer: 270, httpClient: 370, httpServer: 600 } as const;

export interface Arrow {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  lost: boolean;
  label: string;
  side: "real" | "http";
  dir: "to-server" | "to-client";
}

export interface Layout {
  height: number;
  pxPerMs: number;
  arrows: Arrow[];
  ticks: { y: number; label: string }[];
}

/** Scale so the whole conversation fits a readable height, within sensible bounds. */
export function scaleFor(durationMs: number): number {
  return Math.min(0.6, Math.max(0.05, 900 / Math.max(durationMs, 1)));
}

export function layout(real: readonly RealMessage[], trace: Trace | null, durationMs: number): Layout {
  const pxPerMs = scaleFor(durationMs);
  const y = (t: number): number => TOP + t * pxPerMs;
  const arrows: Arrow[] = [];
  for (const m of real) {
    // Loopback: the lab saw the message at t; its trip was too short to draw, so a small slope
    // shows only the direction.
    const toServer = m.dir === "in";
    arrows.push({ x1: toServer ? lanes.realClient : lanes.realServer, y1: y(m.t) - (toServer ? 4 : 0), x2: toServer ? lanes.realServer : lanes.realClient, y2: y(m.t) + (toServer ? 0 : 4), lost: false, label: `${m.text.length > 18 ? `${m.text.slice(0, 18)}…` : m.text} (${m.bytes} B)`, side: "real", dir: toServer ? "to-server" : "to-client" });
  }
  for (const m of trace?.messages ?? []) {
    const toServer = m.from === "client";
    const x1 = toServer ? lanes.httpClient : lanes.httpServer;
    const x2full = toServer ? lanes.httpServer : lanes.httpClient;
    const end = m.arrivesAt ?? m.sentAt + (trace?.link.oneWayMs ?? 0) / 2;
    const x2 = m.arrivesAt === null ? x1 + (x2full - x1) / 2 : x2full;
    arrows.push({ x1, y1: y(m.sentAt), x2, y2: y(end), lost: m.arrivesAt === null, label: `${m.label} (${m.bytes} B)`, side: "http", dir: toServer ? "to-server" : "to-client" });
  }
  const step = durationMs > 20_000 ? 5000 : durationMs > 5000 ? 1000 : durationMs > 1000 ? 500 : 100;
  const ticks = [];
  for (let t = 0; t <= durationMs; t += step) ticks.push({ y: y(t), label: t >= 1000 ? `${t / 1000} s` : `${t} ms` });
  return { height: Math.ceil(y(durationMs) + 24), pxPerMs, arrows, ticks };
}
