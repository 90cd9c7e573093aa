// Plain-HTTP endpoints for conversations the lab holds with a private copy of itself, over real
// sockets, and reports byte for byte (a browser cannot, or will not, be the client for them):
//
//   POST /lab/misbehave?case=NAME  misbehave/misbehaving-client.ts: a frame a browser never sends,
//                                  and the lab's answer (lesson 6) → 200 { case, events }
//   POST /lab/tls-twin             tls/tls-twin.ts: one conversation over ws:// and over wss://,
//                                  the TLS records decrypted with the session's secrets (lesson 7)
//                                  → 200 TlsTwinRun
//   POST /lab/h2-twin              h2/h2-twin.ts: one conversation opened over HTTP/1.1 and over
//                                  HTTP/2 by extended CONNECT (lesson 9); an optional JSON body
//                                  (H2TwinRequest) names the message and masking keys → 200 H2TwinRun
//   POST /lab/playground           playground/playground-run.ts: the body, a raw opening handshake
//                                  of at most PLAYGROUND_MAX_REQUEST_BYTES (else 413), sent as it is
//                                  to a private lab, and its answer (lessons 4 and 8) → 200 PlaygroundRun
//
// A run costs the lab private servers and up to a few seconds, so every route shares one gate:
// the page's own Origin only (403, the rule every lab endpoint follows), SELF_RUNS_PER_ADDRESS_PER_SECOND
// per client address with a burst of SELF_RUN_BURST (429), one run at a time per address (429:
// otherwise two addresses starting slow runs every second could hold every place), and at most
// MAX_RUNNING_SELF_RUNS at once for the whole lab (503, try again in a moment). Nothing the request says
// is sent anywhere but to the private lab: the misbehave cases are fixed, the twins' message is
// fixed or the reader's own (capped), and the playground's request goes only to the private lab's
// own port on 127.0.0.1.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MISBEHAVE_CASES, MISBEHAVE_PATH, misbehaveCase } from "../protocol/misbehave-cases.ts";
import { TLS_TWIN_PATH } from "../protocol/tls-twin-api.ts";
import { createAddressBuckets } from "./address-buckets.ts";
import { jsonHeaders, refuse, writeWhole } from "./http-lab/respond.ts";
import type { MakeLab } from "./private-lab.ts";
import { runMisbehavingClient } from "./misbehave/misbehaving-client.ts";
import { checkOrigin } from "./origin.ts";
import type { LabSettings } from "./settings.ts";
import { labCertificate, type LabCertificate } from "./tls/lab-certificate.ts";
import type { OwnConnections } from "./tls/own-connections.ts";
import { runOwnTwin, runTlsTwin } from "./tls/tls-twin.ts";
import { isValidToken } from "../protocol/tap-events.ts";
import { PLAYGROUND_MAX_REQUEST_BYTES, PLAYGROUND_PATH } from "../protocol/playground-api.ts";
import { runPlayground } from "./playground/playground-run.ts";
import { H2_TWIN_MAX_BODY_BYTES, H2_TWIN_PATH, parseH2TwinRequest } from "../protocol/h2-twin-api.ts";
import { runH2Twin } from "./h2/h2-twin.ts";
import { readBody } from "./read-body.ts";

export const SELF_RUNS_PER_ADDRESS_PER_SECOND = 1;
export const SELF_RUN_BURST = 4;
export const MAX_RUNNING_SELF_RUNS = 4;

export interface SelfRunsHttp {
  /** Handles a request for one of these paths and returns true; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse, path: string, search: URLSearchParams): boolean;
  /** Runs in progress (for tests and the operator). */
  running(): number;
  /** What /lab/info says about them. */
  info(): Record<string, unknown>;
}

type Run = () => Promise<unknown>;

/** A run's refusal of its request, found only once it reads it (the playground's body): status and words. */
class RunRefusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const SELF_RUN_PATHS = [MISBEHAVE_PATH, TLS_TWIN_PATH, PLAYGROUND_PATH, H2_TWIN_PATH];

/**
 * `makeLab` is lab.ts's createLab, handed in so this module does not import the lab that imports it;
 * `own` holds the readers' own wss:// connections for `POST /lab/tls-twin?own=TOKEN`.
 */
export function createSelfRunsHttp(settings: LabSettings, makeLab: MakeLab, own: OwnConnections): SelfRunsHttp {
  const buckets = createAddressBuckets(SELF_RUNS_PER_ADDRESS_PER_SECOND, SELF_RUN_BURST);
  let running = 0;
  /** Addresses with a run in progress (one each). */
  const busy = new Set<string>();
  let certificate: Promise<LabCertificate> | null = null;
  const tlsCertificate = (): Promise<LabCertificate> => {
    certificate ??= labCertificate({ certFile: settings.tlsCertFile, keyFile: settings.tlsKeyFile });
    // A failure is reported to this request and tried again by the next.
    certificate.catch(() => (certificate = null));
    return certificate;
  };

  /** The run a request asks for, or a refusal already written. */
  function runFor(
    request: IncomingMessage,
    response: ServerResponse,
    path: string,
    search: URLSearchParams,
  ): Run | null {
    if (path === MISBEHAVE_PATH) {
      const chosen = misbehaveCase(search.get("case") ?? "");
      if (!chosen) {
        refuse(request, response, 400, `case must be one of: ${MISBEHAVE_CASES.map((c) => c.name).join(", ")}.`);
        return null;
      }
      return () => runMisbehavingClient(chosen.name, settings, makeLab);
    }
    if (path === H2_TWIN_PATH) {
      return async () => {
        const body = await readBody(request, H2_TWIN_MAX_BODY_BYTES);
        if (!body.ok && body.reason === "too-large")
          throw new RunRefusal(413, `The body may be at most ${H2_TWIN_MAX_BODY_BYTES} bytes.`);
        if (!body.ok) throw new RunRefusal(400, "The body did not arrive whole.");
        if (body.bytes.length === 0) return runH2Twin(settings, makeLab);
        const parsed = parseH2TwinRequest(new TextDecoder().decode(body.bytes));
        if (!parsed.ok) throw new RunRefusal(400, parsed.reason);
        return runH2Twin(settings, makeLab, parsed.request);
      };
    }
    if (path === PLAYGROUND_PATH) {
      return async () => {
        const body = await readBody(request, PLAYGROUND_MAX_REQUEST_BYTES);
        if (!body.ok && body.reason === "too-large")
          throw new RunRefusal(413, `The request to send may be at most ${PLAYGROUND_MAX_REQUEST_BYTES} bytes.`);
        if (!body.ok) throw new RunRefusal(400, "The request to send did not arrive whole.");
        if (body.bytes.length === 0) throw new RunRefusal(400, "There is no request to send: the body is empty.");
        return runPlayground(body.bytes, settings, makeLab, request.headers.host);
      };
    }
    const token = search.get("own");
    if (token === null) return async () => runTlsTwin(settings, makeLab, await tlsCertificate());
    // A page served over https:// recorded its own wss:// connection under this token
    // (tls/https-listener.ts); only the address that opened it gets it, once.
    const capture = isValidToken(token) ? own.take(token, request.socket.remoteAddress ?? "unknown") : null;
    if (!capture) {
      refuse(
        request,
        response,
        404,
        "The lab has no wss:// connection of yours with this token: open it over https:// with ?record=TOKEN first; it is kept for a minute.",
      );
      return null;
    }
    return async () => {
      // The page asks once its socket has closed; the lab's side may still be finishing it.
      await capture.whenEnded(2000);
      return runOwnTwin(settings, makeLab, capture);
    };
  }

  return {
    running: () => running,
    info: () => ({
      selfRuns: {
        paths: SELF_RUN_PATHS,
        playgroundMaxRequestBytes: PLAYGROUND_MAX_REQUEST_BYTES,
        misbehaveCases: MISBEHAVE_CASES.map((c) => c.name),
        runsPerAddressPerSecond: SELF_RUNS_PER_ADDRESS_PER_SECOND,
      },
    }),
    handle(request, response, path, search) {
      if (!SELF_RUN_PATHS.includes(path)) return false;
      if (request.method !== "POST") {
        refuse(request, response, 405, `Use POST for ${path}.`, { Allow: "POST" });
        return true;
      }
      const verdict = checkOrigin(request.headers.origin, request.headers.host, settings.allowedOrigins);
      if (!verdict.allowed) {
        refuse(request, response, 403, verdict.reason);
        return true;
      }
      const run = runFor(request, response, path, search);
      if (!run) return true;
      const address = request.socket.remoteAddress ?? "unknown";
      if (busy.has(address)) {
        refuse(request, response, 429, "Your address already has a run in progress: wait for it to finish.", {
          "Retry-After": "1",
        });
        return true;
      }
      if (!buckets.take(address, performance.now())) {
        refuse(request, response, 429, "Too many runs from your address: wait a second and try again.", {
          "Retry-After": "1",
        });
        return true;
      }
      if (running >= MAX_RUNNING_SELF_RUNS) {
        refuse(
          request,
          response,
          503,
          "The lab is running as many of these as it may at once: try again in a moment.",
          { "Retry-After": "2" },
        );
        return true;
      }
      // The playground and the HTTP/2 twins read their bodies (in their runs); any other body is drained unread.
      if (path !== PLAYGROUND_PATH && path !== H2_TWIN_PATH) request.resume();
      running++;
      busy.add(address);
      run()
        .then(
          (result) => writeWhole(request, response, 200, jsonHeaders(), JSON.stringify(result)),
          (error: unknown) =>
            error instanceof RunRefusal
              ? refuse(request, response, error.status, error.message)
              : refuse(
                  request,
                  response,
                  500,
                  `The run failed: ${error instanceof Error ? error.message : String(error)}`,
                ),
        )
        .finally(() => {
          running--;
          busy.delete(address);
        });
      return true;
    },
  };
}
