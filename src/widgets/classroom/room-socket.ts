// The room connection as a `socket` actor for the room machine, opened through the wire tap so
// the reader can see this very connection's frames: a monitor (/lab/monitor?watch=T) is opened
// once and kept across reconnects, and each room socket is a specimen (/lab/room?watch=T).
// If the monitor cannot be opened, the room still works: the socket is opened untapped and
// the widget says the frames are not available, rather than leaving the reader outside the room.
import { fromCallback } from "xstate";
import type { EchoEvent, SocketCommand } from "../../machines/echo-connection.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { openMonitor, type TapMonitor } from "../shared/tap-client.ts";
import { bridgeWebSocket, labUrl } from "../shared/websocket-actor.ts";

export interface RoomSocketHooks {
  onEvent(event: TapEvent): void;
  /** Whether the latest room socket is tapped, and if not, why. */
  onTap(tapped: boolean, problem: string | null): void;
}

export function createRoomSocket(hooks: RoomSocketHooks) {
  let monitor: TapMonitor | null = null;
  let opening: Promise<TapMonitor> | null = null;
  // Set by dispose(): a monitor whose handshake finishes afterwards is closed at once, not leaked.
  let disposed = false;

  const ensureMonitor = (): Promise<TapMonitor> => {
    if (monitor?.isOpen()) return Promise.resolve(monitor);
    opening ??= openMonitor({ onEvent: hooks.onEvent }).then(
      (m) => {
        opening = null;
        if (disposed) {
          m.close();
          throw new Error("the widget was removed");
        }
        monitor = m;
        return m;
      },
      (error: unknown) => {
        opening = null;
        throw error;
      },
    );
    return opening;
  };

  const actor = fromCallback<SocketCommand, { url: string }>(({ input, sendBack, receive }) => {
    const report = sendBack as (event: EchoEvent) => void;
    let cleanup: (() => void) | null = null;
    let stopped = false;
    const queued: SocketCommand[] = [];
    let forward: ((command: SocketCommand) => void) | null = null;
    receive((command) => (forward ? forward(command) : queued.push(command)));
    const attach = (socket: WebSocket): void => {
      cleanup = bridgeWebSocket(socket, report, (listener) => {
        forward = listener;
        for (const command of queued.splice(0)) listener(command);
      });
    };
    ensureMonitor().then(
      (m) => {
        if (stopped) return;
        hooks.onTap(true, null);
        attach(m.openSpecimen(input.url));
      },
      (error: unknown) => {
        if (stopped) return;
        hooks.onTap(false, (error as Error).message);
        attach(new WebSocket(labUrl(input.url)));
      },
    );
    return () => {
      stopped = true;
      cleanup?.();
    };
  });

  return {
    actor,
    dispose(): void {
      disposed = true;
      monitor?.close();
      monitor = null;
    },
  };
}
