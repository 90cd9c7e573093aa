// HTTP/1.1 heads are bytes, not Unicode text: each byte maps to one character (ISO-8859-1),
// so parsing and serializing never change a byte (RFC 9110 §5.5 obs-text, RFC 9112 §2.2).

export function latin1Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = "";
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

/** Characters above U+00FF cannot be one byte; they are encoded as UTF-8, as a browser textarea would send. */
export function latin1Encode(text: string): Uint8Array {
  if ([...text].every((c) => c.charCodeAt(0) <= 0xff)) return Uint8Array.from(text, (c) => c.charCodeAt(0));
  return new TextEncoder().encode(text);
}
