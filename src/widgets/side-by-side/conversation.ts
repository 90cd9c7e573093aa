// The reader's real WebSocket conversation, reduced to what the HTTP simulation needs: when
// each data message crossed the lab (server clock, ms after the 101 response was written), which
// way, and what it cost on the wire. From the same capture view the frame inspector draws.
import type { CaptureView } from "../../protocol/capture.ts";
import type { ScenarioKind, ScenarioRequest, LinkSettings } from "../../sim/trace.ts";

export interface RealMessage {
  dir: "in" | "out";
  /** ms after the connection switched to WebSocket. */
  t: number;
  text: string;
  /** Bytes of all frames that carried it, headers included. */
  bytes: number;
  headerBytes: number;
}

export interface Conversation {
  /** Server time at which the 101 was written; null before the handshake. */
  origin: number | null;
  messages: RealMessage[];
}

export function realConversation(view: CaptureView): Conversation {
  const origin = view.response?.t ?? null;
  if (origin === null) return { origin, messages: [] };
  const framesOf = (dir: "in" | "out", start: number, end: number) => view.frames.filter((f) => f.dir === dir && f.start >= start && f.end <= end);
  const messages = view.messages.map((m) => {
    const frames = framesOf(m.dir, m.start, m.end);
    const bytes = frames.reduce((sum, f) => sum + (f.end - f.start), 0);
    const headerBytes = frames.reduce((sum, f) => sum + f.frame.headerLength, 0);
    return { dir: m.dir, t: Math.max(0, m.t - origin), text: m.text ?? `${m.data.length} bytes of binary`, bytes, headerBytes };
  });
  return { origin, messages };
}

export type HttpMode = Extract<ScenarioKind, "short-polling" | "long-polling">;

/**
 * The HTTP scenario for the same conversation: every message the lab sent (an echo or a push)
 * is a server event the browser must fetch with polls. The browser's own messages would be
 * plain requests of their own; they are left out so the picture shows what push costs.
 * The horizon runs a little past the latest message so its delivery shows.
 */
export function scenarioFor(conversation: Conversation, mode: HttpMode, link: LinkSettings, pollIntervalMs: number, nowMs: number): ScenarioRequest {
  const serverEvents = conversation.messages.filter((m) => m.dir === "out").map((m) => Math.round(m.t));
  const latest = Math.max(nowMs, ...serverEvents, 0);
  return {
    kind: mode,
    link,
    serverEvents,
    pollIntervalMs,
    durationMs: Math.ceil(latest + 4 * link.oneWayMs + (mode === "short-polling" ? pollIntervalMs : 0) + 200),
  };
}

export interface RealTotals {
  messages: number;
  bytes: number;
  headerBytes: number;
}

export function realTotals(conversation: Conversation): RealTotals {
  return {
    messages: conversation.messages.length,
    bytes: conversation.messages.reduce((sum, m) => sum + m.bytes, 0),
    headerBytes: conversation.messages.reduce((sum, m) => sum + m.headerBytes, 0),
  };
}
