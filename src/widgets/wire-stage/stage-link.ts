// Deep links to a step of a wire stage session: "#wire-step=12&wire-rec=…" reopens the recorded
// conversation, paused at its 12th moment, even in a browser that never saw it. The recording
// (the tap events of the conversation and the stage's settings) travels in the address itself,
// deflated and base64url-encoded, when it is small enough for an address; a longer one is kept
// in this browser's storage and the link names only the step. Everything read back is checked:
// the events with the same validator as a loaded recording file, the settings against their
// allowed values.
import { toTapEvent } from "../../protocol/tap-parse.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { isHttpModel, type StageSettings } from "./stage-session.ts";

export const STEP_KEY = "wire-step";
export const RECORDING_KEY = "wire-rec";
/** Longest recording carried in an address (characters after encoding). */
export const MAX_LINKED_CHARS = 24_000;
export const STORAGE_KEY = "sp:wire-stage-recording";

export interface StageRecording {
  settings: StageSettings;
  events: TapEvent[];
}

// Compiled once: a live stage checks the address on every frame it draws.
const STEP_IN_HASH = new RegExp(`(?:^#|&)${STEP_KEY}=(\\d{1,6})(?:&|$)`);
const RECORDING_IN_HASH = new RegExp(`(?:^#|&)${RECORDING_KEY}=([A-Za-z0-9_-]{1,${MAX_LINKED_CHARS}})(?:&|$)`);

export function stepFromHash(hash: string): number | null {
  const match = STEP_IN_HASH.exec(hash);
  return match ? Number(match[1]) : null;
}

export function recordingFromHash(hash: string): string | null {
  const match = RECORDING_IN_HASH.exec(hash);
  return match ? match[1]! : null;
}

export function hashFor(step: number, encodedRecording: string | null): string {
  return `#${STEP_KEY}=${Math.max(0, Math.trunc(step))}${encodedRecording ? `&${RECORDING_KEY}=${encodedRecording}` : ""}`;
}

export function recordingToJson(recording: StageRecording): string {
  return JSON.stringify({ v: 1, settings: recording.settings, events: recording.events });
}

export type RecordingRead = { ok: true; recording: StageRecording } | { ok: false; error: string };

export function recordingFromJson(text: string): RecordingRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "the recording is not JSON" };
  }
  const v = value as { v?: unknown; settings?: Partial<StageSettings>; events?: unknown };
  if (typeof v !== "object" || v === null || v.v !== 1)
    return { ok: false, error: "the recording has an unknown format" };
  const s = v.settings ?? {};
  const rtt = Number(s.rttMs);
  const interval = Number(s.pollIntervalMs);
  if (
    !isHttpModel(s.http) ||
    !Number.isFinite(rtt) ||
    rtt < 0 ||
    rtt > 2000 ||
    !Number.isFinite(interval) ||
    interval < 100 ||
    interval > 10_000
  ) {
    return { ok: false, error: "the recording's settings are not valid" };
  }
  if (!Array.isArray(v.events) || v.events.length > 20_000)
    return { ok: false, error: "the recording has no valid events" };
  const events: TapEvent[] = [];
  for (let i = 0; i < v.events.length; i++) {
    const parsed = toTapEvent(v.events[i]);
    if (!parsed.ok) return { ok: false, error: `event ${i + 1} is not valid: ${parsed.error}` };
    events.push(parsed.event);
  }
  return { ok: true, recording: { settings: { http: s.http, rttMs: rtt, pollIntervalMs: interval }, events } };
}

const toBase64Url = (bytes: Uint8Array): string => {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const fromBase64Url = (text: string): Uint8Array | null => {
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
};

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const response = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await response.arrayBuffer());
}

/** The recording deflated for an address, or null when it is too long for one. */
export async function encodeRecording(recording: StageRecording): Promise<string | null> {
  const packed = await pipe(new TextEncoder().encode(recordingToJson(recording)), new CompressionStream("deflate-raw"));
  const text = toBase64Url(packed);
  return text.length <= MAX_LINKED_CHARS ? text : null;
}

/** At most this much JSON is inflated from an address, so a crafted link cannot exhaust memory. */
const MAX_INFLATED_CHARS = 8 * 1024 * 1024;

export async function decodeRecording(encoded: string): Promise<RecordingRead> {
  const bytes = fromBase64Url(encoded);
  if (!bytes) return { ok: false, error: "the link's recording is not valid base64url" };
  try {
    const inflated = await pipe(bytes, new DecompressionStream("deflate-raw"));
    if (inflated.length > MAX_INFLATED_CHARS) return { ok: false, error: "the link's recording is too large" };
    return recordingFromJson(new TextDecoder().decode(inflated));
  } catch {
    return { ok: false, error: "the link's recording is damaged" };
  }
}
