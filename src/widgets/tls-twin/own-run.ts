// How the page asks the lab for lesson 7's twins (requestTwins), and, on a page served over
// https://, for its own connection in the wss:// column (runOwnConnection).
// The page opens wss://…/lab/echo?record=TOKEN (the lab's https:// side keeps the raw TLS bytes
// and secrets of that one connection, server/tls/https-listener.ts), says the message, reads the
// echo and closes with 1000; then asks the lab for what crossed, decrypted, with
// POST /lab/tls-twin?own=TOKEN. The lab answers in the twins' format, its ws:// twin saying the
// same message with the masking keys this browser chose.
import { generateToken } from "../../protocol/tap-events.ts";
import { TLS_TWIN_PATH } from "../../protocol/tls-twin-api.ts";
import { labUrl } from "../shared/websocket-actor.ts";

/** A conversation that has not ended by then is given up (the lab's echo answers at once). */
export const OWN_RUN_TIMEOUT_MS = 8000;

/** True when this page can show its own wss:// connection: it was served over https://. */
export const canUseOwnConnection = (location: Location = window.location): boolean => location.protocol === "https:";

function converse(url: string, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("The wss:// conversation did not finish in time."));
    }, OWN_RUN_TIMEOUT_MS);
    socket.addEventListener("open", () => socket.send(message));
    socket.addEventListener("message", () => socket.close(1000));
    socket.addEventListener("close", (event) => {
      clearTimeout(timer);
      if (event.code === 1000) resolve();
      else
        reject(
          new Error(
            `The wss:// connection closed with ${event.code}${event.reason ? ` (${event.reason})` : ""} before the conversation finished.`,
          ),
        );
    });
  });
}

/** POST /lab/tls-twin (with `search`, such as "?own=TOKEN"): the lab's answer, unchecked JSON; its refusal as an error. */
export async function requestTwins(search = ""): Promise<unknown> {
  const response = await fetch(`${TLS_TWIN_PATH}${search}`, { method: "POST" });
  if (!response.ok) throw new Error((await response.text()).trim() || `The lab answered ${response.status}.`);
  return response.json();
}

/** Holds the conversation over this page's own wss:// connection and returns the lab's answer (unchecked JSON). */
export async function runOwnConnection(message = "Hello"): Promise<unknown> {
  const token = generateToken();
  await converse(labUrl(`/lab/echo?record=${token}`), message);
  return requestTwins(`?own=${token}`);
}
