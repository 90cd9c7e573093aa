// WebSocket frames (RFC 6455 §5): the public entry for encoding, streaming decoding,
// dissection for display, validation as error values, and message reassembly.

export type { Direction, DecodedFrame, FrameHeader, FrameInput, FrameRules, LengthForm } from "./frame-types.ts";
export { DEFAULT_MAX_PAYLOAD_LENGTH, MAX_CONTROL_PAYLOAD } from "./frame-types.ts";
export type { FrameError, FrameErrorReason } from "./frame-error.ts";
export { INVALID_PAYLOAD, MESSAGE_TOO_BIG, PROTOCOL_ERROR } from "./frame-error.ts";
export { encodeFrame } from "./frame-encode.ts";
export type { EncodeResult } from "./frame-encode.ts";
export { readFrameHeader } from "./frame-header.ts";
export type { HeaderResult } from "./frame-header.ts";
export { decodeFrame } from "./frame-decode.ts";
export type { DecodeResult } from "./frame-decode.ts";
export { FrameDecoder } from "./frame-decoder.ts";
export type { DecoderEvent, FrameErrorEvent, FrameEvent } from "./frame-decoder.ts";
export { dissectFrame } from "./frame-dissect.ts";
export type { FrameDissection, FrameField, FrameFieldId, UnmaskStep } from "./frame-dissect.ts";
export { MessageAssembler } from "./message-assembler.ts";
export type { AssemblerOptions, AssemblyEvent, Message, PositionedFrame } from "./message-assembler.ts";
export { encodeClosePayload, parseClosePayload } from "./close-payload.ts";
export type { ClosePayload, ClosePayloadResult } from "./close-payload.ts";
export { applyMask, generateMaskingKey } from "./mask.ts";
export { describeOpcode, isControlOpcode, isReservedOpcode, OPCODE, opcodes } from "./opcodes.ts";
export type { OpcodeInfo } from "./opcodes.ts";
