// Opcode reference data (RFC 6455 §5.2, §5.5, §5.6): the 4-bit number in a frame's first byte
// that says what the payload is. Entries carry a name, whether the opcode is a data or control
// frame, whether it is reserved (an endpoint receiving it must fail the connection), a
// plain-language meaning and the section that defines it. Lessons and widgets share this table.

export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

export interface OpcodeInfo {
  opcode: number;
  name: string;
  /** Opcodes 0x8–0xF are control frames; 0x0–0x7 carry data (RFC 6455 §5.5, §5.6). */
  kind: "data" | "control";
  reserved: boolean;
  meaning: string;
  rfc: string;
}

const defined: readonly OpcodeInfo[] = [
  {
    opcode: 0x0,
    name: "continuation",
    kind: "data",
    reserved: false,
    meaning: "the next fragment of a message that an earlier text or binary frame started",
    rfc: "RFC 6455 §5.4",
  },
  {
    opcode: 0x1,
    name: "text",
    kind: "data",
    reserved: false,
    meaning: "a text message (or its first fragment); the whole message must be valid UTF-8",
    rfc: "RFC 6455 §5.6",
  },
  {
    opcode: 0x2,
    name: "binary",
    kind: "data",
    reserved: false,
    meaning: "a binary message (or its first fragment); the application decides what the bytes mean",
    rfc: "RFC 6455 §5.6",
  },
  {
    opcode: 0x8,
    name: "close",
    kind: "control",
    reserved: false,
    meaning: "starts or answers the closing handshake; may carry a 2-byte close code and a UTF-8 reason",
    rfc: "RFC 6455 §5.5.1",
  },
  {
    opcode: 0x9,
    name: "ping",
    kind: "control",
    reserved: false,
    meaning: "asks the peer to answer with a pong carrying the same payload (a keep-alive or a liveness check)",
    rfc: "RFC 6455 §5.5.2",
  },
  {
    opcode: 0xa,
    name: "pong",
    kind: "control",
    reserved: false,
    meaning: "answers a ping with the ping's payload, or is sent unsolicited as a one-way heartbeat",
    rfc: "RFC 6455 §5.5.3",
  },
];

const byOpcode = new Map(defined.map((info) => [info.opcode, info]));

/** All sixteen opcodes, defined and reserved, in numeric order. */
export const opcodes: readonly OpcodeInfo[] = Array.from({ length: 16 }, (_, opcode) => describeOpcode(opcode));

export function describeOpcode(opcode: number): OpcodeInfo {
  const entry = byOpcode.get(opcode);
  if (entry) return entry;
  if (Number.isInteger(opcode) && opcode >= 0x3 && opcode <= 0x7) {
    return {
      opcode,
      name: "reserved (data)",
      kind: "data",
      reserved: true,
      meaning:
        "reserved for future non-control frames; no extension defines it here, so receiving it is a protocol error",
      rfc: "RFC 6455 §5.2",
    };
  }
  if (Number.isInteger(opcode) && opcode >= 0xb && opcode <= 0xf) {
    return {
      opcode,
      name: "reserved (control)",
      kind: "control",
      reserved: true,
      meaning: "reserved for future control frames; no extension defines it here, so receiving it is a protocol error",
      rfc: "RFC 6455 §5.2",
    };
  }
  return {
    opcode,
    name: "not an opcode",
    kind: "data",
    reserved: true,
    meaning: "opcodes are 4 bits: 0 to 15",
    rfc: "RFC 6455 §5.2",
  };
}

/** Control frames have the high bit of the opcode set (RFC 6455 §5.5). */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}
