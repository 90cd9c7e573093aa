// A recorded capture as a file a reader can save and load again: the tap events, unchanged, in
// a small JSON envelope. Loading validates every event (tap-parse.ts), so a hand-edited or
// foreign file yields a clear error instead of a broken view. Replaying a file needs no server.
import type { TapEvent } from "../../protocol/tap-events.ts";
import { toTapEvent } from "../../protocol/tap-parse.ts";

export const RECORDING_FORMAT = "switching-protocols/tap-recording";
export const RECORDING_VERSION = 1;
/** A generous ceiling for a file a reader picks: recordings are a few hundred KiB at most. */
export const MAX_RECORDING_CHARS = 16 * 1024 * 1024;

export interface RecordingFile {
  format: typeof RECORDING_FORMAT;
  version: number;
  savedAt: string;
  events: TapEvent[];
}

export function serializeRecording(events: readonly TapEvent[], savedAt: Date): string {
  const file: RecordingFile = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    savedAt: savedAt.toISOString(),
    events: [...events],
  };
  return JSON.stringify(file);
}

export type RecordingParse = { ok: true; events: TapEvent[]; savedAt: string } | { ok: false; error: string };

export function parseRecording(text: string): RecordingParse {
  if (text.length > MAX_RECORDING_CHARS) return { ok: false, error: "the file is too large to be a recording" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "the file is not JSON" };
  }
  if (typeof value !== "object" || value === null) return { ok: false, error: "the file is not a recording" };
  const file = value as Partial<RecordingFile>;
  if (file.format !== RECORDING_FORMAT) return { ok: false, error: "the file is not a Switching Protocols recording" };
  if (file.version !== RECORDING_VERSION)
    return {
      ok: false,
      error: `recording version ${String(file.version)} is not supported (expected ${RECORDING_VERSION})`,
    };
  if (!Array.isArray(file.events) || file.events.length === 0)
    return { ok: false, error: "the recording has no events" };
  const events: TapEvent[] = [];
  for (let i = 0; i < file.events.length; i++) {
    const parsed = toTapEvent(file.events[i]);
    if (!parsed.ok) return { ok: false, error: `event ${i + 1} is not valid: ${parsed.error}` };
    events.push(parsed.event);
  }
  return { ok: true, events, savedAt: typeof file.savedAt === "string" ? file.savedAt : "" };
}
