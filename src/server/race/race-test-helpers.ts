// Helpers for push-race tests: create a race over plain HTTP (with an Origin, as a page would),
// and drive each transport with a raw TCP client that records exactly what crossed the wire
// and when each event arrived (client clock, the same clock as the server's in one process).
import { request as httpRequest } from "node:http";
import {
  parseRaceCreated,
  parseRaceEvent,
  parseRaceResults,
  type RaceCreated,
  type RaceEvent,
  type RaceResults,
} from "../../protocol/lab-api.ts";
import { encodeClosePayload, encodeFrame, FrameDecoder, OPCODE } from "../../protocol/frame.ts";
import { RawHttpClient } from "../http-lab/raw-http-client.ts";
import type { Running } from "../test-helpers.ts";

/** A server to talk to: a test site, or the dev server. */
export type Target = Pick<Running, "port" | "origin">;

export interface Arrival {
  event: RaceEvent;
  /** Client clock when the bytes carrying it arrived. */
  at: number;
}

export interface Driven {
  arrivals: Arrival[];
  requests: number;
  bytesWritten: number;
  bytesRead: number;
}

export function post(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method: "POST", headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

export async function createRace(
  running: Target,
  query: string,
  origin: string = running.origin,
): Promise<RaceCreated> {
  const res = await post(running.port, `/lab/race?${query}`, { Origin: origin });
  if (res.status !== 201) throw new Error(`POST /lab/race answered ${res.status}: ${res.body}`);
  const race = parseRaceCreated(JSON.parse(res.body));
  if (!race) throw new Error(`not a RaceCreated: ${res.body}`);
  return race;
}

export async function results(running: Target, race: string): Promise<RaceResults> {
  const res = await fetch(`${running.origin}/lab/race/${race}/results`);
  const parsed = parseRaceResults(await res.json());
  if (!parsed) throw new Error("not RaceResults");
  return parsed;
}

const host = (running: Target) => ({ Host: `127.0.0.1:${running.port}`, "User-Agent": "race-test", Accept: "*/*" });

/** Short polling (every `intervalMs`) or long polling on one keep-alive connection until every event is in. */
export async function drivePolling(
  running: Target,
  race: RaceCreated,
  kind: "poll" | "long-poll",
  intervalMs = 30,
  query = "",
): Promise<Driven> {
  const client = await RawHttpClient.open(running.port);
  const arrivals: Arrival[] = [];
  let requests = 0;
  while (arrivals.length < race.events) {
    const after = arrivals.length ? arrivals[arrivals.length - 1]!.event.id : 0;
    client.request("GET", `/lab/race/${race.race}/${kind}?after=${after}${query}`, host(running));
    requests++;
    const res = await client.response();
    if (res.status !== 200) throw new Error(`${kind} answered ${res.status}: ${res.body}`);
    for (const item of (JSON.parse(res.body) as { events: unknown[] }).events)
      arrivals.push({ event: parseRaceEvent(item)!, at: res.at });
    if (kind === "poll" && arrivals.length < race.events) await new Promise((r) => setTimeout(r, intervalMs));
  }
  await client.close();
  return { arrivals, requests, bytesWritten: client.bytesWritten, bytesRead: client.bytesRead };
}

export async function driveSse(
  running: Target,
  race: RaceCreated,
  query = "",
): Promise<Driven & { headers: Record<string, string> }> {
  const client = await RawHttpClient.open(running.port);
  client.request("GET", `/lab/race/${race.race}/sse${query}`, {
    ...host(running),
    Accept: "text/event-stream",
    "Cache-Control": "no-cache",
  });
  const res = await client.response();
  const arrivals: Arrival[] = [];
  for (const piece of res.pieces) {
    for (const block of piece.data.split("\n\n").filter(Boolean)) {
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const event = parseRaceEvent(JSON.parse(data ?? "null"));
      if (!event || Number(id) !== event.id) throw new Error(`bad SSE block ${JSON.stringify(block)}`);
      arrivals.push({ event, at: piece.at });
    }
  }
  await client.close();
  return {
    arrivals,
    requests: 1,
    bytesWritten: client.bytesWritten,
    bytesRead: client.bytesRead,
    headers: res.headers,
  };
}

/** A raw WebSocket client: handshake, read text frames until the server's close, answer it, wait for the end. */
export async function driveWebSocket(
  running: Target,
  race: RaceCreated,
  query = "",
): Promise<Driven & { closeCode: number | null; closeReason: string }> {
  const client = await RawHttpClient.open(running.port);
  client.request("GET", `/lab/race/${race.race}/ws${query}`, {
    ...host(running),
    Origin: running.origin,
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
  });
  const res = await client.response();
  if (res.status !== 101) throw new Error(`upgrade answered ${res.status}: ${res.body}`);
  const decoder = new FrameDecoder({ direction: "server-to-client" });
  const arrivals: Arrival[] = [];
  let closeCode: number | null = null;
  let closeReason = "";
  while (closeCode === null) {
    const chunk = await client.takeSome();
    const at = performance.timeOrigin + performance.now();
    for (const item of decoder.push(chunk)) {
      if (item.kind !== "frame") throw new Error(item.error.error);
      const { frame } = item;
      if (frame.opcode === OPCODE.text)
        arrivals.push({ event: parseRaceEvent(JSON.parse(new TextDecoder().decode(frame.payload)))!, at });
      else if (frame.opcode === OPCODE.close) {
        closeCode = (frame.payload[0]! << 8) | frame.payload[1]!;
        closeReason = new TextDecoder().decode(frame.payload.subarray(2));
      }
    }
  }
  const reply = encodeFrame({
    opcode: OPCODE.close,
    maskingKey: new Uint8Array([1, 2, 3, 4]),
    payload: encodeClosePayload(closeCode, ""),
  });
  if (!reply.ok) throw new Error(reply.error);
  client.send(reply.bytes);
  await client.whenClosed;
  return {
    arrivals,
    requests: 1,
    bytesWritten: client.bytesWritten,
    bytesRead: client.bytesRead,
    closeCode,
    closeReason,
  };
}
