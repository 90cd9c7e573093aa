// POST /lab/demo-cookie (lesson 8): sets a harmless cookie for the lab's paths, so the reader can
// watch the browser send it with a WebSocket handshake that another site's page starts. It
// stands for a session cookie: random, HttpOnly (no page script can read it), SameSite=Lax (a
// browser's default). It unlocks nothing: no lab endpoint reads it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { DEMO_COOKIE_MAX_AGE_S, DEMO_COOKIE_NAME } from "../../protocol/hijack-demo.ts";
import { jsonHeaders, refuse, writeWhole } from "../http-lab/respond.ts";
import { checkOrigin } from "../origin.ts";

export function answerDemoCookie(
  request: IncomingMessage,
  response: ServerResponse,
  allowedOrigins: readonly string[],
): void {
  if (request.method !== "POST")
    return refuse(request, response, 405, "Use POST to get the demo cookie.", { Allow: "POST" });
  const verdict = checkOrigin(request.headers.origin, request.headers.host, allowedOrigins);
  if (!verdict.allowed) return refuse(request, response, 403, verdict.reason);
  request.resume();
  const value = `reader-${randomBytes(6).toString("hex")}`;
  const cookie = `${DEMO_COOKIE_NAME}=${value}; Path=/lab; Max-Age=${DEMO_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax`;
  writeWhole(
    request,
    response,
    200,
    { ...jsonHeaders(), "Set-Cookie": cookie },
    JSON.stringify({ name: DEMO_COOKIE_NAME, value, maxAgeSeconds: DEMO_COOKIE_MAX_AGE_S }),
  );
}
