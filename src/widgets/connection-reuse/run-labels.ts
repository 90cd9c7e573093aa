// Names and words for what the connection-reuse widget shows. The lab's connection ids are opaque,
// so the widget names each connection by a letter in the order it first saw it (A, B, … Z, AA …),
// and keeps the letter for as long as the page lives: the same letter in two runs is the same
// kept-alive TCP connection.
import type { ConnectionGroup, GroupedRequest, RunMode } from "./group-by-connection.ts";
import { formatMs } from "./group-by-connection.ts";

/** Runs kept in the history; older ones are dropped. */
export const RUN_LIMIT = 10;

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function letterFor(n: number): string {
  let label = "";
  for (let i = Math.max(0, Math.floor(n)) + 1; i > 0; i = Math.floor((i - 1) / 26))
    label = String.fromCharCode(65 + ((i - 1) % 26)) + label;
  return label;
}

export class ConnectionNames {
  #names = new Map<string, string>();

  nameOf(connection: string): string {
    let name = this.#names.get(connection);
    if (!name) {
      name = letterFor(this.#names.size);
      this.#names.set(connection, name);
    }
    return name;
  }

  clear(): void {
    this.#names.clear();
  }
}

export const modeWords: Record<RunMode, string> = { sequential: "one by one", parallel: "all at once" };

export function runTitle(run: { id: number; mode: RunMode; count: number; close: boolean }): string {
  return `Run ${run.id}: ${run.count} ${run.count === 1 ? "request" : "requests"} ${modeWords[run.mode]}, Connection: close ${run.close ? "asked for" : "not asked for"}`;
}

/** The note under a connection's name: where it came from and how it ended. */
export function connectionNote(group: ConnectionGroup): string {
  const came =
    group.origin === "new"
      ? "new: first used in this run"
      : `already open: its first request in this run was #${group.requests[0]!.request}`;
  const went = group.closed ? "; the server closed it after its response" : "";
  return `${group.clientAddress}:${group.clientPort}, HTTP/${group.httpVersion.replace(/^HTTP\//, "")}, ${came}${went}`;
}

/** One request as a chip: its number on the connection, which fetch it was, and how long it took. */
export function requestChip(request: GroupedRequest, count: number): string {
  return `#${request.request} · fetch ${request.index} of ${count} · ${formatMs(request.durationMs)}`;
}

/** Failures with the same reason told once: "Fetches 1–8 failed: …" rather than eight lines. */
export function failureLines(failures: ReadonlyArray<{ index: number; error: string }>): string[] {
  const byError = new Map<string, number[]>();
  for (const { index, error } of failures) byError.set(error, [...(byError.get(error) ?? []), index]);
  return [...byError].map(
    ([error, indexes]) => `${indexes.length === 1 ? "Fetch" : "Fetches"} ${listIndexes(indexes)} failed: ${error}.`,
  );
}

/** [1,2,3,5] → "1–3 and 5". */
export function listIndexes(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : j === i ? `${sorted[i]}` : `${sorted[i]}, ${sorted[j]}`);
    i = j + 1;
  }
  const parts = ranges.join(", ").split(", ");
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Why a connection from an earlier run may be gone: the server's idle timeout, as it reported it. */
export function idleNote(seconds: number | null): string {
  if (seconds === null) return "";
  return `The lab closes a connection that has been idle for ${seconds} ${seconds === 1 ? "second" : "seconds"} (its answers say Keep-Alive: timeout=${seconds}). Wait longer than that between two runs, and the next run starts on a new connection.`;
}
