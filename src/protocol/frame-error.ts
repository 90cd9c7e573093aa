// A frame-level protocol error as a value. `offset` is the byte where the problem becomes
// visible (in the frame, or in the stream when a decoder reports it), `closeCode` is the code
// a conforming peer would send before failing the connection (RFC 6455 §7.1.7, §7.4.1).

export type FrameErrorReason =
  | "reserved-opcode"
  | "rsv-without-extension"
  | "non-minimal-length"
  | "length-top-bit-set"
  | "control-frame-extended-length"
  | "control-frame-fragmented"
  | "client-frame-not-masked"
  | "server-frame-masked"
  | "payload-too-big"
  | "message-too-big"
  | "close-body-one-byte"
  | "close-code-not-allowed"
  | "close-reason-invalid-utf8"
  | "text-invalid-utf8"
  | "continuation-without-message"
  | "data-frame-inside-fragmented-message"
  | "invalid-frame-input";

export interface FrameError {
  reason: FrameErrorReason;
  /** What went wrong, in words a reader can act on. */
  error: string;
  offset: number;
  rfc: string;
  closeCode: number;
}

/** Close codes a peer sends for each class of failure (RFC 6455 §7.4.1). */
export const PROTOCOL_ERROR = 1002;
export const INVALID_PAYLOAD = 1007;
export const MESSAGE_TOO_BIG = 1009;

export function frameError(
  reason: FrameErrorReason,
  error: string,
  offset: number,
  rfc: string,
  closeCode: number,
): FrameError {
  return { reason, error, offset, rfc, closeCode };
}

/** The same error seen from further along a stream. */
export function shiftError(err: FrameError, by: number): FrameError {
  return { ...err, offset: err.offset + by };
}
