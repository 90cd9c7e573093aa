// A tapped specimen connection as a `socket` actor for the echo connection machine:
// the same lifecycle as the echo console, but opened through the wire tap. The monitor is
// opened on first use and kept across reconnects, so one recording follows every connection
// the reader makes; if the lab restarted, a new monitor is opened.
import { fromCallback } from "xstate";
import type { EchoEvent, SocketCommand } from "../../machines/echo-connection.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { openMonitor, type TapMonitor } from "./tap-client.ts";
import { bridgeWebSocket } from "./websocket-actor.ts";

export interface TapHooks {
  onEvent(event: TapEvent): void;
  onProblem(message: string): void;
}

export interface TappedSocket {
  actor: ReturnType<typeof fromCallback<SocketCommand, { url: string }>>;
  /** The open monitor, for commands; null before the first connection or after it was lost. */
  monitor(): TapMonitor | null;
  dispose(): void;
}

export function createTappedSocket(hooks: TapHooks): TappedSocket {
  let monitor: TapMonitor | null = null;
  let opening: Promise<TapMonitor> | null = null;
  // Set by dispose(): a monitor whose handshake finishes afterwards is closed at once, not leaked.
  let disposed = false;

  const ensureMonitor = (): Promise<TapMonitor> => {
    if (monitor?.isOpen()) return Promise.resolve(monitor);
    opening ??= openMonitor({ onEvent: hooks.onEvent, onProblem: hooks.onProblem }).then(
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

    ensureMonitor().then(
      (m) => {
        if (stopped) return;
        cleanup = bridgeWebSocket(m.openSpecimen(input.url), report, (listener) => {
          forward = listener;
          for (const command of queued.splice(0)) listener(command);
        });
      },
      (error: unknown) => {
        if (stopped) return;
        hooks.onProblem(`The lab is not reachable: ${(error as Error).message}.`);
        report({ type: "socket.closed", code: 1006, reason: "", wasClean: false, at: performance.now() });
      },
    );
    return () => {
      stopped = true;
      cleanup?.();
    };
  });

  return {
    actor,
    monitor: () => (monitor?.isOpen() ? monitor : null),
    dispose() {
      disposed = true;
      monitor?.close();
      monitor = null;
    },
  };
}
