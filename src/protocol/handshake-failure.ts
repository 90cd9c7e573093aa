// Why a handshake failed, as a value: a named reason, the explanation, the section that sets
// the rule, and (for a server judging a request) the status it should answer with.

export type HandshakeFailureReason =
  | "malformed-http"
  | "method-not-get"
  | "http-version-too-old"
  | "host-missing"
  | "upgrade-missing"
  | "upgrade-not-websocket"
  | "connection-missing-upgrade"
  | "key-missing"
  | "key-repeated"
  | "key-invalid"
  | "version-missing"
  | "version-not-13"
  | "status-not-101"
  | "accept-missing"
  | "accept-mismatch"
  | "protocol-not-offered"
  | "extension-not-offered";

export interface HandshakeFailure {
  reason: HandshakeFailureReason;
  error: string;
  rfc: string;
  /** For a request: the status a server answers with (400, or 426 for a version it does not speak). */
  status?: number;
}
