// Which pages may open a lab socket. Browsers always send Origin on a WebSocket handshake, and
// cookies ride along with it, so a hostile page could otherwise talk to the lab in the reader's
// name (cross-site WebSocket hijacking, RFC 6455 §10.2). Allowed: the page's own origin (the
// Origin's host equals the Host the request was sent to) and origins the operator listed.

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

function normalisedHost(host: string, scheme: "http:" | "https:"): string | null {
  try {
    return new URL(`${scheme}//${host}`).host.toLowerCase();
  } catch {
    return null;
  }
}

export function checkOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): OriginVerdict {
  if (!origin)
    return {
      allowed: false,
      reason:
        "The handshake carried no Origin header; the lab only accepts connections from web pages it can identify.",
    };
  if (allowedOrigins.includes(origin)) return { allowed: true };
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return { allowed: false, reason: `The Origin "${origin}" is not a valid origin.` };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { allowed: false, reason: `Pages from "${origin}" may not use the lab.` };
  }
  const own = host ? normalisedHost(host, parsed.protocol) : null;
  if (own !== null && parsed.host.toLowerCase() === own) return { allowed: true };
  return {
    allowed: false,
    reason: `Pages from ${origin} may not use this lab; only pages it serves itself (and origins its operator allows) may.`,
  };
}
