// WebSocket frames (RFC 6455 §5): the public entry for encoding, streaming decoding,
// dissection for display, validation as error values, and message reassembly.

export type { Direction, DecodedFrame, FrameInput, FrameRules } from "./frame-types.ts";
export type { FrameError } from "./frame-error.ts";
export { encodeFrame } from "./frame-encode.ts";
export { decodeFrame } from "./frame-decode.ts";
export { FrameDecoder } from "./frame-decoder.ts";
export type { DecoderEvent } from "./frame-decoder.ts";
export { dissectFrame } from "./frame-dissect.ts";
export { MessageAssembler } from "./message-assembler.ts";
export type { AssemblyEvent } from "./message-assembler.ts";
export { encodeClosePayload } from "./close-payload.ts";
export { generateMaskingKey } from "./mask.ts";
export { OPCODE } from "./opcodes.ts";
