// Header overhead by payload length, measured by encoding real frames with the protocol code
// rather than typed into the lesson: the 7-bit, 16-bit and 64-bit length forms, each with and
// without a masking key (RFC 6455 §5.2, §5.3).
import { encodeFrame } from "../../protocol/frame-encode.ts";

export interface FrameSizeRow {
  payload: number;
  lengthForm: string;
  serverHeader: number;
  clientHeader: number;
}

export const SAMPLE_LENGTHS = [0, 5, 125, 126, 65535, 65536] as const;

export function frameSizeRows(lengths: readonly number[] = SAMPLE_LENGTHS): FrameSizeRow[] {
  const key = new Uint8Array([1, 2, 3, 4]);
  return lengths.map((n) => {
    const payload = new Uint8Array(n);
    const server = encodeFrame({ opcode: 2, payload });
    const client = encodeFrame({ opcode: 2, payload, maskingKey: key });
    if (!server.ok || !client.ok) throw new Error(`cannot encode a ${n}-byte frame`);
    const serverHeader = server.bytes.length - n;
    const lengthForm = serverHeader === 2 ? "7-bit" : serverHeader === 4 ? "126 + 16-bit" : "127 + 64-bit";
    return { payload: n, lengthForm, serverHeader, clientHeader: client.bytes.length - n };
  });
}
