// One handshake captured by the lab: opens a wire tap (monitor + specimen, see tap-client.ts),
// waits for the specimen's upgrade request and the server's 101 exactly as they crossed the
// wire (and the 4-tuple from `open`), then closes both sockets. Rejects with a reason a reader
// can act on when the lab cannot be reached, refuses the connection, or reports an error, and
// closes the tap when `signal` aborts (the stepper machine gives up after its timeout).
import { base64ToBytes } from "../../protocol/base64.ts";
import type { FourTuple, TapEvent } from "../../protocol/tap-events.ts";
import { openTap, type TapSession } from "../shared/tap-client.ts";

export interface CapturedHandshake {
  request: Uint8Array;
  response: Uint8Array;
  tuple: FourTuple | null;
}

export function captureHandshake(signal: AbortSignal): Promise<CapturedHandshake> {
  return new Promise((resolve, reject) => {
    let session: TapSession | null = null;
    let settled = false;
    let specimen: number | null = null;
    let tuple: FourTuple | null = null;
    let request: Uint8Array | null = null;

    const finish = (result: CapturedHandshake | Error): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      session?.close();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onAbort = (): void => finish(new Error("the capture was cancelled"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });

    const decode = (data: string, what: string): Uint8Array | null => {
      const bytes = base64ToBytes(data);
      if (!bytes) finish(new Error(`the lab sent the ${what} in a form this page cannot read`));
      return bytes;
    };

    const onEvent = (event: TapEvent): void => {
      if (event.type === "error") return finish(new Error(`the lab reported a problem: ${event.message}`));
      if (event.type !== "open" && event.type !== "request" && event.type !== "response" && event.type !== "close")
        return;
      // Only the first specimen counts; this tap opens exactly one.
      specimen ??= event.specimen;
      if (event.specimen !== specimen) return;
      if (event.type === "open") tuple = event.tuple;
      else if (event.type === "request") request = decode(event.data, "request");
      else if (event.type === "close")
        finish(new Error(`the test connection closed (${event.code}) before the lab saw the whole handshake`));
      else {
        const response = decode(event.data, "response");
        if (!request) return finish(new Error("the lab reported the server's answer but not the browser's request"));
        if (response) finish({ request, response, tuple });
      }
    };

    openTap({ onEvent, onProblem: (message) => finish(new Error(message)) }).then(
      (opened) => {
        session = opened;
        if (settled) return opened.close();
        opened.specimen.addEventListener("close", (event) => {
          finish(
            new Error(
              `the lab refused the test connection (close code ${event.code}${event.reason ? `: ${event.reason}` : ""})`,
            ),
          );
        });
      },
      (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
    );
  });
}
