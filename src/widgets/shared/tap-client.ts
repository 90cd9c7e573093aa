// The browser side of the wire tap. A monitor (/lab/monitor?watch=TOKEN) is opened first; it
// then reports everything the lab sees on specimen connections opened with the same token
// (/lab/echo?watch=TOKEN), one at a time, for as long as the monitor stays open. Specimens are
// ordinary browser WebSockets: what the page does with them shows up in the events because
// the server saw it happen. `openTap` is the one-shot form: a monitor and one specimen.
import { generateToken, type TapCommand, type TapEvent } from "../../protocol/tap-events.ts";
import { readTapBatch } from "../../protocol/tap-batch.ts";
import { parseTapMessage } from "../../protocol/tap-parse.ts";
import { labUrl } from "./websocket-actor.ts";

export interface TapMonitor {
  token: string;
  socket: WebSocket;
  /** A new tapped connection to `path` (default /lab/echo). */
  openSpecimen(path?: string): WebSocket;
  /** Ask the lab to do something to the current specimen (ping, fragmented message, close, drop…). */
  command(command: TapCommand): void;
  isOpen(): boolean;
  close(): void;
}

export interface MonitorOptions {
  onEvent(event: TapEvent): void;
  /** The monitor was refused, lost, or sent something unreadable: the reason in words. */
  onProblem?(message: string): void;
}

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve(), { once: true });
    socket.addEventListener(
      "close",
      (event) => reject(new Error(`closed with ${event.code}${event.reason ? ` (${event.reason})` : ""}`)),
      { once: true },
    );
  });
}

export async function openMonitor(options: MonitorOptions): Promise<TapMonitor> {
  const token = generateToken();
  const socket = new WebSocket(labUrl(`/lab/monitor?watch=${token}`));
  socket.binaryType = "arraybuffer";
  socket.addEventListener("message", (message: MessageEvent<unknown>) => {
    // One message holds a batch: the events of a few milliseconds, in order. Binary is the
    // lab's format (v3); text is an older lab's JSON.
    const { events, errors } =
      message.data instanceof ArrayBuffer
        ? readTapBatch(new Uint8Array(message.data))
        : typeof message.data === "string"
          ? parseTapMessage(message.data)
          : { events: [], errors: ["a message that is neither binary nor text"] };
    for (const event of events) options.onEvent(event);
    for (const error of errors) options.onProblem?.(`The lab sent an event this page cannot read: ${error}`);
  });
  try {
    await opened(socket);
  } catch (error) {
    throw new Error(`the lab's monitor could not be opened (${(error as Error).message})`, { cause: error });
  }
  let closedByPage = false;
  socket.addEventListener("close", (event) => {
    if (!closedByPage)
      options.onProblem?.(`The monitor connection closed (${event.code}${event.reason ? `: ${event.reason}` : ""}).`);
  });
  return {
    token,
    socket,
    openSpecimen(path = "/lab/echo") {
      const specimen = new WebSocket(labUrl(`${path}${path.includes("?") ? "&" : "?"}watch=${token}`));
      specimen.binaryType = "arraybuffer";
      return specimen;
    },
    command(command) {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
    },
    isOpen() {
      return socket.readyState === WebSocket.OPEN;
    },
    close() {
      closedByPage = true;
      if (socket.readyState <= WebSocket.OPEN) socket.close(1000, "Inspector closed");
    },
  };
}

export interface TapSession {
  monitor: TapMonitor;
  specimen: WebSocket;
  close(): void;
}

/** A monitor and one specimen; resolves once the monitor is open (the specimen may still fail). */
export async function openTap(options: MonitorOptions & { specimenPath?: string }): Promise<TapSession> {
  const monitor = await openMonitor(options);
  const specimen = monitor.openSpecimen(options.specimenPath);
  return {
    monitor,
    specimen,
    close() {
      if (specimen.readyState <= WebSocket.OPEN) specimen.close(1000, "Done");
      monitor.close();
    },
  };
}
