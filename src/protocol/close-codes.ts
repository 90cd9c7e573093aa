// Close codes (RFC 6455 §7.4) with their names and plain-language meanings, shared by the
// lessons, the widgets and the lab server. A code's entry also says whether it may appear in
// a close frame on the wire: 1005, 1006 and 1015 are reported locally by an endpoint and are
// never sent (§7.4.1). Codes 1012–1014 come from the IANA registry that §11.7 created.

export interface CloseCodeInfo {
  code: number;
  name: string;
  meaning: string;
  /** May a peer put this code in a close frame? (RFC 6455 §7.4.1, §7.4.2) */
  allowedOnWire: boolean;
  rfc: string;
}

const known: readonly CloseCodeInfo[] = [
  {
    code: 1000,
    name: "Normal Closure",
    meaning: "the conversation is finished; both sides agreed to end it",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1001,
    name: "Going Away",
    meaning: "an endpoint is leaving: a server shutting down or a page being navigated away from",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1002,
    name: "Protocol Error",
    meaning: "an endpoint received something that breaks the WebSocket protocol",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1003,
    name: "Unsupported Data",
    meaning: "an endpoint received a kind of data it cannot accept (for example binary when it only understands text)",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1004,
    name: "Reserved",
    meaning: "reserved; no meaning has been defined and it must not be sent",
    allowedOnWire: false,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1005,
    name: "No Status Received",
    meaning: "the close frame carried no code at all; the browser reports 1005 itself, it never crosses the wire",
    allowedOnWire: false,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1006,
    name: "Abnormal Closure",
    meaning: "the connection dropped without a close frame (network cut, process killed); reported locally, never sent",
    allowedOnWire: false,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1007,
    name: "Invalid Frame Payload Data",
    meaning: "a message's content did not match its type, such as a text message that is not valid UTF-8",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1008,
    name: "Policy Violation",
    meaning: "a message broke the endpoint's rules (a generic code when no more specific one fits)",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1009,
    name: "Message Too Big",
    meaning: "a message was larger than the endpoint is willing to process",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1010,
    name: "Mandatory Extension",
    meaning: "the client needed an extension that the server did not agree to in the handshake",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1011,
    name: "Internal Error",
    meaning: "the server hit an unexpected condition and could not continue",
    allowedOnWire: true,
    rfc: "RFC 6455 §7.4.1",
  },
  {
    code: 1012,
    name: "Service Restart",
    meaning: "the server is restarting; try again shortly",
    allowedOnWire: true,
    rfc: "IANA WebSocket Close Code registry (RFC 6455 §11.7)",
  },
  {
    code: 1013,
    name: "Try Again Later",
    meaning: "the server is overloaded or limiting you for now; try again later",
    allowedOnWire: true,
    rfc: "IANA WebSocket Close Code registry (RFC 6455 §11.7)",
  },
  {
    code: 1014,
    name: "Bad Gateway",
    meaning: "a gateway or proxy got an invalid answer from the server behind it",
    allowedOnWire: true,
    rfc: "IANA WebSocket Close Code registry (RFC 6455 §11.7)",
  },
  {
    code: 1015,
    name: "TLS Handshake Failure",
    meaning:
      "the TLS handshake failed (for example, a certificate could not be verified); reported locally, never sent",
    allowedOnWire: false,
    rfc: "RFC 6455 §7.4.1",
  },
];

const byCode = new Map(known.map((info) => [info.code, info]));

export const closeCodes: readonly CloseCodeInfo[] = known;

/** Name and meaning of any close code, including the ranges of §7.4.2. */
export function describeCloseCode(code: number): CloseCodeInfo {
  const entry = byCode.get(code);
  if (entry) return entry;
  if (Number.isInteger(code) && code >= 3000 && code <= 3999) {
    return {
      code,
      name: "Registered (3000–3999)",
      meaning: "a code registered with IANA for use by libraries, frameworks and applications",
      allowedOnWire: true,
      rfc: "RFC 6455 §7.4.2",
    };
  }
  if (Number.isInteger(code) && code >= 4000 && code <= 4999) {
    return {
      code,
      name: "Private use (4000–4999)",
      meaning: "a code whose meaning the application on both ends agreed on privately",
      allowedOnWire: true,
      rfc: "RFC 6455 §7.4.2",
    };
  }
  if (Number.isInteger(code) && code >= 1000 && code <= 2999) {
    return {
      code,
      name: "Reserved for the protocol",
      meaning: "a code kept for future versions of the protocol; it has no meaning yet",
      allowedOnWire: false,
      rfc: "RFC 6455 §7.4.2",
    };
  }
  return {
    code,
    name: "Not a close code",
    meaning: "codes below 1000 and above 4999 are not used",
    allowedOnWire: false,
    rfc: "RFC 6455 §7.4.2",
  };
}

/**
 * The codes a page may pass to the browser's WebSocket.close(): 1000 or 3000–4999
 * (WHATWG WebSockets Standard, "close()"); anything else makes the browser throw.
 */
export function isCloseCodeAllowedFromPage(code: number): boolean {
  return code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999);
}
