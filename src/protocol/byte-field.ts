// A named run of bits in some wire bytes, as the dissectors report them: a WebSocket frame's
// fields (frame-dissect.ts) and a TLS record's (tls-dissect.ts). The page's byte grid
// (widgets/shared/byte-grid.ts) explains any of them byte by byte.
export interface ByteField<Id extends string = string> {
  /** What kind of field this is (the page colours fields by it). */
  id: Id;
  name: string;
  /** Bytes the field touches: [byteStart, byteEnd). */
  byteStart: number;
  byteEnd: number;
  /** Bits the field occupies: bitStart counts from the top bit of byte 0. */
  bitStart: number;
  bitLength: number;
  /** The number the bits hold; null when they hold data rather than a number. */
  value: number | null;
  meaning: string;
  rfc: string;
  /** False when the bytes stop partway through this field. */
  complete: boolean;
}
