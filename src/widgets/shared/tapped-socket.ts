// A tapped specimen connection as a `socket` actor for the echo connection machine:
// the same lifecycle as the echo console, but opened through the wire tap. The monitor is
// opened on first use and kept across reconnects, so one recording follows every connection
// the reader makes; if the lab restarted, a new monitor is opened.
import { fromCallback } from "xstate";
import type { EchoEvent, SocketCommand } from "../../machines/echo-connection.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import { openMonitor, type TapMonitor } from "./tap-client.ts";
import { bridgeWebSocket, labUrl } from "./websocket-actor.ts";

export interface TapHooks {
  onEvent(event: TapEvent): void;
  onProblem(message: string): void;
  /**
   * When the monitor cannot be opened: "fail" reports the connection closed (1006), as an
   * inspector with nothing to show should; "open-untapped" opens it anyway without the tap,
   * as a chat room that is more useful than its frames should.
   */
  whenUntappable?: "fail" | "open-untapped";
  /** Told, for every connection, whether it is tapped and if not, why. */
  onTap?(tapped: boolean, problem: string | null): void;
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
    const attach = (socket: WebSocket): void => {
      cleanup = bridgeWebSocket(socket, report, (listener) => {
        forward = listener;
        for (const command of queued.splice(0)) listener(command);
      });
    };

    ensureMonitor().then(
      (m) => {
        if (stopped) return;
        hooks.onTap?.(true, null);
        attach(m.openSpecimen(input.url));
      },
      (error: unknown) => {
        if (stopped) return;
        const problem = (error as Error).message;
        hooks.onTap?.(false, problem);
        if (hooks.whenUntappable === "open-untapped") return attach(new WebSocket(labUrl(input.url)));
        hooks.onProblem(`The lab is not reachable: ${problem}.`);
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
