// What the inspector is showing, as one piece of state, and every word on it that depends on
// that: the badge, the status line, the step, the lane when it has no frames, the handshake
// when it is not there yet, what the live region says at the start. Three modes:
//
//   live     the view follows this page's own connection as its events arrive
//   paused   the reader paused, stepped or plays back this page's own recording
//   replay   a recording that is not this page's connection: a file the reader loaded, or the
//            recording this browser kept from an earlier visit (opened by a link to a step)
//
// A replay never says "live", nor "no frames yet" while its frames are there: it names what is
// replayed, with what the recording holds. Pure: the element writes the labels into its parts.
import type { ReadyStateName } from "../../machines/echo-connection.ts";
import { formatCount } from "../shared/format-count.ts";
import { nextAfter, type RecordingSummary } from "./recording-summary.ts";

export type ReplayOrigin =
  /** A file the reader loaded, by its name, with the date it was saved (ISO, or "" when the file gives none). */
  | { kind: "file"; name: string; savedAt: string; summary: RecordingSummary }
  /** The recording this browser kept when the reader last paused or stepped (see the element's #persistStep). */
  | { kind: "stored"; savedAt: string; summary: RecordingSummary };

export type InspectorMode =
  { kind: "live" } | { kind: "paused"; playing: boolean } | { kind: "replay"; origin: ReplayOrigin; playing: boolean };

/**
 * The mode from the recorder's state ("live", "stopped" or "playing") and what was loaded into
 * it: a replay whenever a recording was loaded, whatever the recorder does with it.
 */
export function inspectorMode(recorderState: string, replaying: ReplayOrigin | null): InspectorMode {
  const playing = recorderState === "playing";
  if (replaying) return { kind: "replay", origin: replaying, playing };
  return recorderState === "live" ? { kind: "live" } : { kind: "paused", playing };
}

export interface LabelInput {
  mode: InspectorMode;
  /** This page's own connection; null before it is first opened. */
  readyState: ReadyStateName | null;
  /** Events shown (the step), and recorded. */
  cursor: number;
  events: number;
  /** Events the recorder counted but did not keep (past its bound). */
  overflow: number;
  /** Frames the lane shows at this step. */
  framesShown: number;
}

export interface InspectorLabels {
  badge: "live" | "paused" | "replay";
  /** The readyState to show, or null while replaying (a recording has no connection of this page's). */
  readyState: string | null;
  /** What is replayed, with what it holds; null unless replaying. */
  replaying: string | null;
  step: string;
  /** The lane's text while it shows no frame. */
  laneEmpty: string;
  /** Who sent the request shown. */
  requestFrom: string;
  /** The handshake's heads while the view does not hold them. */
  requestMissing: string;
  responseMissing: string;
  /** What the live region says when the view is back at the start. */
  atStart: string;
  /** What the reader can do with a replay; "" otherwise. */
  hint: string;
}

const ISO_MINUTE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/;

/** "2025-03-01T14:02:09.000Z" → "2025-03-01 14:02 UTC" (the file's own clock, not the reader's), or null. */
export function formatSavedAt(iso: string): string | null {
  const at = new Date(iso);
  if (iso === "" || Number.isNaN(at.getTime())) return null;
  const match = ISO_MINUTE.exec(at.toISOString());
  return match ? `${match[1]} ${match[2]} UTC` : null;
}

const count = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** How a replay names its recording inside a sentence, and at the start of one. */
function recordingName(origin: ReplayOrigin): { inSentence: string; opening: string } {
  return origin.kind === "file"
    ? { inSentence: origin.name, opening: origin.name }
    : { inSentence: "the recording kept from your last visit", opening: "The recording kept from your last visit" };
}

function replayingLine(origin: ReplayOrigin): string {
  const saved = formatSavedAt(origin.savedAt);
  const when = saved ? `, saved ${saved}` : " (no save date in it)";
  return `Replaying ${recordingName(origin).inSentence}: ${count(origin.summary.frames, "frame")}${when}`;
}

function stepLine(mode: InspectorMode, cursor: number, events: number): string {
  const at = `event ${formatCount(cursor)} of ${formatCount(events)}`;
  switch (mode.kind) {
    case "live":
      return `Live · ${count(events, "event")} recorded`;
    case "paused":
      return mode.playing ? `Playing back your connection: ${at}` : `Paused at ${at}`;
    case "replay":
      return mode.playing ? `Playing: ${at}` : `${at.charAt(0).toUpperCase()}${at.slice(1)}`;
  }
}

function laneEmptyLine(mode: InspectorMode, cursor: number, events: number): string {
  switch (mode.kind) {
    case "live":
      return "No frames yet: send a message.";
    case "paused":
      return cursor < events
        ? `No frames up to event ${formatCount(cursor)}: step forward.`
        : "No frames recorded yet: go back to live and send a message.";
    case "replay": {
      const { summary } = mode.origin;
      const name = recordingName(mode.origin);
      if (summary.frames === 0) return `${name.opening} holds no frames.`;
      const next = nextAfter(summary.frameEvents, cursor);
      if (next === null) return `${name.opening} has no frames after event ${formatCount(cursor)}.`;
      return `${name.opening} holds ${count(summary.frames, "frame")}; none is shown at event ${formatCount(cursor)}. The next comes with event ${formatCount(next)}: press Play or step forward.`;
    }
  }
}

function headMissing(mode: InspectorMode, comesAt: number | null): string {
  if (mode.kind === "live") return "not captured yet";
  if (comesAt !== null) return `comes with event ${formatCount(comesAt)}: step forward`;
  return mode.kind === "replay" ? "not in this recording" : "not captured yet";
}

/** What the live region says when the view steps back to the start. */
export function atStartLine(mode: InspectorMode): string {
  return mode.kind === "replay"
    ? `Replaying ${recordingName(mode.origin).inSentence}, back at the start: no events shown.`
    : "Back at the start: no events shown.";
}

export interface HandshakeAhead {
  /** The numbers of the events that bring a request and a response, ascending (a replay knows them all). */
  requestEvents: readonly number[];
  responseEvents: readonly number[];
}

export function inspectorLabels(
  input: LabelInput,
  ahead: HandshakeAhead = { requestEvents: [], responseEvents: [] },
): InspectorLabels {
  const { mode, cursor, events, overflow } = input;
  const replay = mode.kind === "replay" ? mode.origin : null;
  const kept = overflow > 0 ? ` (${formatCount(overflow)} more not kept)` : "";
  const known = replay ? replay.summary : ahead;
  return {
    badge: mode.kind,
    readyState: replay ? null : (input.readyState ?? "not connected"),
    replaying: replay ? replayingLine(replay) : null,
    step: `${stepLine(mode, cursor, events)}${kept}`,
    laneEmpty: laneEmptyLine(mode, cursor, events),
    requestFrom: replay ? `Request in ${recordingName(replay).inSentence}` : "Request your browser sent",
    requestMissing: headMissing(mode, nextAfter(known.requestEvents, cursor)),
    responseMissing: headMissing(mode, nextAfter(known.responseEvents, cursor)),
    atStart: atStartLine(mode),
    hint: !replay
      ? ""
      : replay.kind === "file"
        ? "No server is needed: press Play, or step with ← and →. “Go live” watches a new connection."
        : "Opened at the step in the address. “Go live” watches a new connection.",
  };
}
