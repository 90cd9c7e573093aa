// Recomputes Sec-WebSocket-Accept in the browser from the key the reader's browser really sent,
// and compares it with what the lab really answered (RFC 6455 §4.2.2 step 5, §4.1 client check).
import { computeAccept } from "../../protocol/handshake-key.ts";
import { parseRequestHead, parseResponseHead } from "../../protocol/http1-head.ts";
import { headerValue } from "../../protocol/http1-headers.ts";

export type AcceptCheck =
  { ok: true; key: string; computed: string; received: string; match: boolean } | { ok: false; reason: string };

export async function checkAccept(request: Uint8Array, response: Uint8Array): Promise<AcceptCheck> {
  const req = parseRequestHead(request);
  const res = parseResponseHead(response);
  if (req.kind !== "head") return { ok: false, reason: "the captured request could not be read as HTTP" };
  if (res.kind !== "head") return { ok: false, reason: "the captured response could not be read as HTTP" };
  const key = headerValue(req.head.fields, "sec-websocket-key");
  const received = headerValue(res.head.fields, "sec-websocket-accept");
  if (!key) return { ok: false, reason: "the request carried no Sec-WebSocket-Key" };
  if (!received) return { ok: false, reason: "the response carried no Sec-WebSocket-Accept" };
  const computed = await computeAccept(key.trim());
  return { ok: true, key: key.trim(), computed, received: received.trim(), match: computed === received.trim() };
}
