// The shapes of a WebSocket frame (RFC 6455 §5.2). A `FrameInput` is what a caller wants to
// send; a `FrameHeader` is what the first 2–14 bytes on the wire say; a `DecodedFrame` is a
// complete frame read back, with its unmasked payload and the exact bytes it came from.
// Payloads are always the application's bytes (already unmasked); the mask is applied only
// on the wire.

/** Who sent the bytes: masking is required one way and forbidden the other (RFC 6455 §5.1). */
export type Direction = "client-to-server" | "server-to-client";

/** 7-bit length, or 126 + 16-bit, or 127 + 64-bit (RFC 6455 §5.2). */
export type LengthForm = "7-bit" | "16-bit" | "64-bit";

export interface FrameInput {
  /** Final fragment of a message; defaults to true. */
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
  opcode: number;
  /** Four bytes; present means the frame is masked (a client's frame, RFC 6455 §5.3). */
  maskingKey?: Uint8Array | null;
  /** Application data, unmasked. Defaults to empty. */
  payload?: Uint8Array;
}

export interface FrameHeader {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  masked: boolean;
  maskingKey: Uint8Array | null;
  payloadLength: number;
  lengthForm: LengthForm;
  /** Bytes before the payload: 2, plus 2 or 8 for an extended length, plus 4 for a key. */
  headerLength: number;
}

export interface DecodedFrame extends FrameHeader {
  /** Unmasked application data. */
  payload: Uint8Array;
  /** The frame exactly as it crossed the wire, header and (masked) payload. */
  raw: Uint8Array;
}

/** Which frames a reader accepts: who sent them, which RSV bits an extension negotiated, how big a payload may be. */
export interface FrameRules {
  /** Omit to skip the masking rule (for example when dissecting bytes of unknown origin). */
  direction?: Direction;
  /** RSV bits that a negotiated extension gave a meaning to (RFC 6455 §5.2, §9). None by default. */
  allowRsv?: { rsv1?: boolean; rsv2?: boolean; rsv3?: boolean };
  /** Larger payloads are refused with 1009 (RFC 6455 §7.4.1, §10.4). */
  maxPayloadLength?: number;
}

export const DEFAULT_MAX_PAYLOAD_LENGTH = 64 * 1024 * 1024;

/** Largest payload a control frame may carry (RFC 6455 §5.5). */
export const MAX_CONTROL_PAYLOAD = 125;
