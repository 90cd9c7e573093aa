// One monitor socket and the specimen it is watching. The monitor says hello with its limits,
// then receives the events of one specimen at a time (numbered 1, 2, … for this monitor); a new
// specimen may start once the previous one has closed. Requests it sends are carried out on
// the current specimen and answered with a `command` or `error` event. The monitor itself is
// never tapped, and when it goes away the tap stops while the specimen lives on untouched.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { RawData, WebSocket } from "ws";
import { TAP_FORMAT_VERSION, type TapEvent } from "../../protocol/tap-events.ts";
import { parseCommand, runCommand } from "./commands.ts";
import type { ClaimResult } from "./connection-capture.ts";
import { createOutbox, type Outbox } from "./event-outbox.ts";
import { serverNow } from "./server-clock.ts";
import { startSpecimenTap, type SpecimenTap } from "./specimen-tap.ts";

export interface MonitorLimits {
  captureBytes: number;
  eventsPerSecond: number;
  monitorBufferBytes: number;
}

/** What the lab does with a specimen upgrade it has started: report how the handshake went. */
export interface SpecimenHandle {
  upgraded(ws: WebSocket): void;
  refused(): void;
}

export interface MonitorSession {
  readonly ws: WebSocket;
  /** True while a specimen is being upgraded or is open. */
  busy(): boolean;
  /** Starts tapping a specimen upgrade; null when it cannot be tapped (the monitor is told why). */
  beginSpecimen(request: IncomingMessage, socket: Duplex, path: string, claim: ClaimResult): SpecimenHandle | null;
  /** Bytes queued for the monitor and events waiting to be reported as dropped (for tests and the operator). */
  stats(): { bufferedBytes: number; pendingDrops: number };
}

interface Current {
  specimen: number;
  tap: SpecimenTap;
  ws: WebSocket | null;
}

export function startMonitor(ws: WebSocket, token: string, limits: MonitorLimits, onGone: () => void): MonitorSession {
  const outbox: Outbox = createOutbox(ws, {
    eventsPerSecond: limits.eventsPerSecond,
    bufferBytes: limits.monitorBufferBytes,
  });
  let counter = 0;
  let current: Current | null = null;
  const emit = (event: TapEvent): void => outbox.send(event);
  // tap-parse.ts refuses messages over 1024 characters; ours are short, but never risk it.
  const error = (message: string): void => emit({ type: "error", t: serverNow(), message: message.slice(0, 1000) });

  emit({ type: "hello", v: TAP_FORMAT_VERSION, token, limits: { ...limits } });

  ws.on("message", (data: RawData, isBinary: boolean) => {
    // The lab's rate limit may have started closing the monitor for this very message.
    if (ws.readyState !== ws.OPEN) return;
    if (isBinary) return error("Monitor requests are JSON text messages, not binary ones.");
    const parsed = parseCommand(data.toString());
    if (!parsed.ok) return error(parsed.error);
    const target = current;
    if (!target?.ws)
      return error(`There is no open specimen to ${parsed.command.cmd}; open one with ?watch=${token} first.`);
    let result: { ok: boolean; detail: string };
    try {
      result = runCommand(target.ws, parsed.command);
    } catch (problem) {
      result = { ok: false, detail: (problem as Error).message };
    }
    emit({
      type: "command",
      t: serverNow(),
      specimen: target.specimen,
      command: parsed.command.cmd,
      ok: result.ok,
      detail: result.detail,
    });
  });

  ws.once("close", () => {
    current?.tap.stop();
    current = null;
    outbox.close();
    onGone();
  });

  return {
    ws,
    busy: () => current !== null,
    beginSpecimen(request, socket, path, claim) {
      if (!claim.ok) {
        error(`A connection to ${path} with this token is not being tapped: ${claim.reason}.`);
        return null;
      }
      const specimen = ++counter;
      const entry: Current = {
        specimen,
        ws: null,
        tap: startSpecimenTap(socket, request, claim, {
          specimen,
          path,
          captureBytes: limits.captureBytes,
          emit,
          offerChunk: outbox.offerChunk,
          fail: (message) => {
            error(`Specimen ${specimen}: the tap stopped: ${message}.`);
          },
        }),
      };
      current = entry;
      return {
        upgraded(specimenWs) {
          entry.ws = specimenWs;
          entry.tap.attach(specimenWs);
          specimenWs.once("close", () => {
            if (current === entry) current = null;
          });
        },
        refused() {
          entry.tap.stop();
          if (current === entry) current = null;
          error(`Specimen ${specimen}: the WebSocket handshake was refused, so there is nothing more to capture.`);
        },
      };
    },
    stats: () => ({ bufferedBytes: ws.bufferedAmount, pendingDrops: outbox.pending.events }),
  };
}
