// POST /lab/misbehave?case=NAME: runs the lab's own misbehaving client (misbehaving-client.ts)
// and answers 200 with JSON { case, events }: what crossed the wire, in the tap's event format.
//
// A run costs the lab a private server and a few seconds, so: the page's own Origin only (403,
// the rule every lab endpoint follows), a known case only (400), MISBEHAVE_RUNS_PER_ADDRESS_PER_SECOND
// per client address with a small burst (429), and at most MAX_RUNNING_MISBEHAVE_RUNS at once
// for the whole lab (503, try again in a moment). The case list is fixed: nothing the request
// says is sent anywhere.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MISBEHAVE_CASES, MISBEHAVE_PATH, misbehaveCase } from "../../protocol/misbehave-cases.ts";
import { createAddressBuckets } from "../address-buckets.ts";
import { jsonHeaders, refuse, writeWhole } from "../http-lab/respond.ts";
import { checkOrigin } from "../origin.ts";
import type { LabSettings } from "../settings.ts";
import type { Lab } from "../lab.ts";
import { runMisbehavingClient } from "./misbehaving-client.ts";

export const MISBEHAVE_RUNS_PER_ADDRESS_PER_SECOND = 1;
export const MISBEHAVE_BURST = 4;
export const MAX_RUNNING_MISBEHAVE_RUNS = 4;

export interface MisbehaveHttp {
  /** Handles a request for MISBEHAVE_PATH and returns true; false for any other path. */
  handle(request: IncomingMessage, response: ServerResponse, path: string, search: URLSearchParams): boolean;
  /** Runs in progress (for tests and the operator). */
  running(): number;
  /** What /lab/info says about it. */
  info(): Record<string, unknown>;
}

/** `makeLab` is lab.ts's createLab, handed in so this module does not import the lab that imports it. */
export function createMisbehaveHttp(settings: LabSettings, makeLab: (settings: Partial<LabSettings>) => Lab): MisbehaveHttp {
  const buckets = createAddressBuckets(MISBEHAVE_RUNS_PER_ADDRESS_PER_SECOND, MISBEHAVE_BURST);
  let running = 0;
  return {
    running: () => running,
    info: () => ({ misbehave: { path: MISBEHAVE_PATH, cases: MISBEHAVE_CASES.map((c) => c.name), runsPerAddressPerSecond: MISBEHAVE_RUNS_PER_ADDRESS_PER_SECOND } }),
    handle(request, response, path, search) {
      if (path !== MISBEHAVE_PATH) return false;
      if (request.method !== "POST") {
        refuse(request, response, 405, `Run a case with POST ${MISBEHAVE_PATH}?case=NAME.`, { Allow: "POST" });
        return true;
      }
      const verdict = checkOrigin(request.headers.origin, request.headers.host, settings.allowedOrigins);
      if (!verdict.allowed) {
        refuse(request, response, 403, verdict.reason);
        return true;
      }
      const chosen = misbehaveCase(search.get("case") ?? "");
      if (!chosen) {
        refuse(request, response, 400, `case must be one of: ${MISBEHAVE_CASES.map((c) => c.name).join(", ")}.`);
        return true;
      }
      if (!buckets.take(request.socket.remoteAddress ?? "unknown", performance.now())) {
        refuse(request, response, 429, "Too many runs from your address: wait a second and try again.", { "Retry-After": "1" });
        return true;
      }
      if (running >= MAX_RUNNING_MISBEHAVE_RUNS) {
        refuse(request, response, 503, "The lab is running as many of these as it may at once: try again in a moment.", { "Retry-After": "2" });
        return true;
      }
      request.resume();
      running++;
      runMisbehavingClient(chosen.name, settings, makeLab).then(
        (run) => writeWhole(request, response, 200, jsonHeaders(), JSON.stringify(run)),
        (error: unknown) => refuse(request, response, 500, `The run failed: ${error instanceof Error ? error.message : String(error)}`),
      ).finally(() => {
        running--;
      });
      return true;
    },
  };
}
