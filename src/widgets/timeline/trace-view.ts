// What a trace looks like at one instant of virtual time, in data and in words: the moments the
// player steps between, which messages are in flight (and how far), arrived or lost, the
// transcript a screen reader follows, and the deep link that reopens an instant. No DOM here,
// so every rule the diagram follows is tested on plain traces.
import type { LinkSettings, Peer, ScenarioKind, Trace, TraceMessage, TraceNote } from "../../sim/trace.ts";
import { formatCount } from "../shared/format-count.ts";

/**
 * A lost message is drawn travelling this fraction of the way across before its ✗, at the
 * link's nominal speed: the reader sees it set off like any other and vanish in the middle.
 */
export const LOST_FRACTION = 0.5;

export const scenarioNames: Record<ScenarioKind, string> = {
  tcp: "one TCP connection",
  http10: "HTTP/1.0, a new connection for each request",
  http11: "HTTP/1.1, one kept-alive connection",
  "short-polling": "short polling",
  "long-polling": "long polling",
  sse: "Server-Sent Events",
  websocket: "a WebSocket",
};

export function isScenarioKind(value: unknown): value is ScenarioKind {
  return typeof value === "string" && Object.hasOwn(scenarioNames, value);
}

export function otherPeer(peer: Peer): Peer {
  return peer === "client" ? "server" : "client";
}

/** "62.0 ms" below a second, "1.25 s" from a second on. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return "0.0 ms";
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatBytes(bytes: number): string {
  return bytes === 1 ? "1 byte" : `${formatCount(bytes)} bytes`;
}

/** Virtual time at which a lost message's ✗ appears. */
export function lostAt(message: TraceMessage, link: LinkSettings): number {
  return message.sentAt + LOST_FRACTION * Math.max(link.oneWayMs, 1);
}

/** When the drawn arrow ends: arrival, or the ✗ of a lost message. */
export function endsAt(message: TraceMessage, link: LinkSettings): number {
  return message.arrivesAt ?? lostAt(message, link);
}

/** Every instant at which something happens, sorted and distinct, from 0 to the duration. */
export function traceMoments(trace: Trace): number[] {
  const times = [0, trace.duration];
  for (const m of trace.messages) times.push(m.sentAt, endsAt(m, trace.link));
  for (const n of trace.notes) times.push(n.at);
  return [...new Set(times.filter((t) => Number.isFinite(t) && t >= 0 && t <= Math.max(trace.duration, 0)))].sort(
    (a, b) => a - b,
  );
}

export type MessagePhase = "unsent" | "flying" | "arrived" | "lost";

export interface MessageAt {
  phase: MessagePhase;
  /** How much of the drawn arrow exists, 0–1 (a lost message's arrow ends at its ✗). */
  progress: number;
  /** How far across from sender to receiver the tip is, 0–1. */
  reach: number;
}

export function messageAt(message: TraceMessage, time: number, link: LinkSettings): MessageAt {
  if (time < message.sentAt) return { phase: "unsent", progress: 0, reach: 0 };
  const end = endsAt(message, link);
  const span = message.arrivesAt === null ? LOST_FRACTION : 1;
  if (time >= end) return { phase: message.arrivesAt === null ? "lost" : "arrived", progress: 1, reach: span };
  const progress = end > message.sentAt ? (time - message.sentAt) / (end - message.sentAt) : 1;
  return { phase: "flying", progress, reach: progress * span };
}

export interface VisibleAt {
  flying: { message: TraceMessage; progress: number; reach: number }[];
  arrived: TraceMessage[];
  lost: TraceMessage[];
  notes: TraceNote[];
}

/** Everything drawn at `time`: messages sent by then (in flight, arrived, lost) and notes made. */
export function visibleAt(trace: Trace, time: number): VisibleAt {
  const view: VisibleAt = { flying: [], arrived: [], lost: [], notes: trace.notes.filter((n) => n.at <= time) };
  for (const message of trace.messages) {
    const at = messageAt(message, time, trace.link);
    if (at.phase === "flying") view.flying.push({ message, progress: at.progress, reach: at.reach });
    else if (at.phase === "arrived") view.arrived.push(message);
    else if (at.phase === "lost") view.lost.push(message);
  }
  return view;
}

function sizeText(message: TraceMessage): string {
  return formatBytes(message.bytes);
}

function retransmitText(message: TraceMessage): string {
  return message.retransmission ? " (retransmission)" : "";
}

/** "SYN (0 bytes)" with the retransmission mark: what an arrow carries, in words. */
export function messageSummary(message: TraceMessage): string {
  return `${message.label} (${sizeText(message)})${retransmitText(message)}`;
}

export interface TranscriptEntry {
  /** When the entry starts (a send or a note). */
  at: number;
  /** Every moment this entry takes part in: a message's send and arrival (or loss). */
  times: number[];
  peer: Peer;
  text: string;
  messageId?: number;
  noteIndex?: number;
  lost?: boolean;
}

/** The whole exchange in order, one line per message or note, as the transcript shows it. */
export function transcript(trace: Trace): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  // With several TCP connections (HTTP/1.0), each line says which one carried it.
  const several = new Set(trace.messages.map((m) => m.connection)).size > 1;
  for (const m of trace.messages) {
    const to = otherPeer(m.from);
    const fate =
      m.arrivesAt === null
        ? `lost on the way (gone by ${formatTime(lostAt(m, trace.link))})`
        : `arrives ${formatTime(m.arrivesAt)}`;
    entries.push({
      at: m.sentAt,
      times: [m.sentAt, endsAt(m, trace.link)],
      peer: m.from,
      text: `${formatTime(m.sentAt)}: ${m.from} → ${to} ${messageSummary(m)}${several ? ` on connection ${m.connection}` : ""}, ${fate}`,
      messageId: m.id,
      lost: m.arrivesAt === null,
    });
  }
  trace.notes.forEach((n, i) => {
    entries.push({
      at: n.at,
      times: [n.at],
      peer: n.peer,
      text: `${formatTime(n.at)}: ${n.peer}: ${n.text}`,
      noteIndex: i,
    });
  });
  // Stable: at one instant, messages keep the trace's order and notes follow them.
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
}

/** What happens at exactly `time`, in words, for the live region: "At 62.0 ms: …". */
export function describeMoment(trace: Trace, time: number): string {
  const said: string[] = [];
  for (const m of trace.messages) {
    if (m.arrivesAt === time) said.push(`${m.label} arrives at the ${otherPeer(m.from)}${retransmitText(m)}`);
  }
  for (const m of trace.messages) {
    if (m.arrivesAt === null && lostAt(m, trace.link) === time) said.push(`${m.label} from the ${m.from} is lost`);
  }
  for (const m of trace.messages) {
    if (m.sentAt === time) said.push(`the ${m.from} sends ${messageSummary(m)}`);
  }
  for (const n of trace.notes) if (n.at === time) said.push(`${n.peer}: ${n.text}`);
  const when = `At ${formatTime(time)}`;
  // Three duplicate ACKs are one sentence said three times: say it once, counted.
  const counted = new Map<string, number>();
  for (const s of said) counted.set(s, (counted.get(s) ?? 0) + 1);
  said.splice(0, said.length, ...[...counted].map(([s, n]) => (n > 1 ? `${s} (${n} times)` : s)));
  if (said.length === 0)
    return time >= trace.duration && trace.duration > 0
      ? `${when}: the end of the simulation.`
      : `${when}: nothing new.`;
  return `${when}: ${said.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join(". ")}.`;
}

// Deep links: "#timeline-<id>=<ms>". Several timelines on one page each keep their own pair
// ("#timeline-a=120&timeline-b=40"); anything else in the hash belongs to someone else and is
// dropped when a timeline writes its pair.

const PAIR = /^timeline-([A-Za-z0-9_-]+)=(\d+(?:\.\d+)?)$/;

function pairs(hash: string): [string, string][] {
  const body = hash.startsWith("#") ? hash.slice(1) : hash;
  if (body === "") return [];
  const found: [string, string][] = [];
  for (const part of body.split("&")) {
    const match = PAIR.exec(part);
    if (match) found.push([match[1]!, match[2]!]);
  }
  return found;
}

export function isTimelineId(id: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(id);
}

/** The virtual time a hash names for this timeline, or null when it names none. */
export function timeFromHash(hash: string, id: string): number | null {
  const pair = pairs(hash).find(([key]) => key === id);
  if (!pair) return null;
  const ms = Number(pair[1]);
  return Number.isFinite(ms) ? ms : null;
}

/** Times in a hash keep what the moment needs (jitter makes fractions) and no more. */
export function formatHashTime(ms: number): string {
  const rounded = Math.round(Math.max(ms, 0) * 1000) / 1000;
  return String(rounded);
}

/** The hash that names `ms` for this timeline and keeps other timelines' pairs. */
export function hashWithTime(hash: string, id: string, ms: number): string {
  const others = pairs(hash)
    .filter(([key]) => key !== id)
    .map(([key, value]) => `timeline-${key}=${value}`);
  return `#${[...others, `timeline-${id}=${formatHashTime(ms)}`].join("&")}`;
}
