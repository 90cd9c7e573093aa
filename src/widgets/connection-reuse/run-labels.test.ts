import { describe, expect, it } from "vitest";
import {
  ConnectionNames,
  connectionNote,
  failureLines,
  idleNote,
  letterFor,
  listIndexes,
  requestChip,
  runTitle,
} from "./run-labels.ts";

describe("naming connections and runs", () => {
  it("names connections by letters, in the order first seen, stable across runs", () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(letterFor)).toEqual(["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    const names = new ConnectionNames();
    expect(names.nameOf("x")).toBe("A");
    expect(names.nameOf("y")).toBe("B");
    expect(names.nameOf("x")).toBe("A");
    names.clear();
    expect(names.nameOf("y")).toBe("A");
  });

  it("describes a run, a connection and a request from data", () => {
    expect(runTitle({ id: 3, mode: "parallel", count: 8, close: false })).toBe(
      "Run 3: 8 requests all at once, Connection: close not asked for",
    );
    const group = {
      connection: "c",
      clientAddress: "127.0.0.1",
      clientPort: 51_000,
      httpVersion: "1.1",
      origin: "earlier" as const,
      closed: true,
      requests: [{ index: 1, request: 4, durationMs: 1.25, closing: true }],
    };
    expect(connectionNote(group)).toBe(
      "127.0.0.1:51000, HTTP/1.1, already open: its first request in this run was #4; the server closed it after its response",
    );
    expect(requestChip(group.requests[0]!, 5)).toBe("#4 · fetch 1 of 5 · 1.3 ms");
  });

  it("tells failures with the same reason once", () => {
    expect(listIndexes([1, 2, 3, 4, 5])).toBe("1–5");
    expect(listIndexes([5, 1, 2, 7, 8, 9])).toBe("1, 2, 5 and 7–9");
    expect(listIndexes([4])).toBe("4");
    expect(
      failureLines([
        { index: 1, error: "down" },
        { index: 2, error: "down" },
        { index: 3, error: "down" },
        { index: 4, error: "odd" },
      ]),
    ).toEqual(["Fetches 1–3 failed: down.", "Fetch 4 failed: odd."]);
  });

  it("explains the lab's idle timeout only when the lab reported one", () => {
    expect(idleNote(null)).toBe("");
    expect(idleNote(5)).toMatch(
      /^The lab closes a connection that has been idle for 5 seconds \(its answers say Keep-Alive: timeout=5\)/,
    );
  });
});
