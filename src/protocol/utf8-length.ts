// UTF-8 byte counts: a text message's size on the wire is its UTF-8 encoding (RFC 6455 §5.6),
// which is not its length in JavaScript characters ("é" is 1 character but 2 bytes).

const encoder = new TextEncoder();

export function utf8ByteLength(text: string): number {
  return encoder.encode(text).byteLength;
}
