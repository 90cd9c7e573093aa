// The wire tap's watch token (?watch=… in a specimen's or monitor's request target) is the
// reader's secret: whoever holds it can watch their connection. Pages that show a captured
// request write "watch=…" in its place; the byte counts shown beside it stay those of the real
// bytes. Used by every widget that shows a tapped request head (lessons 2, 4, 5, 6, 8 and 9).

const WATCH_PARAMETER = /([?&]watch=)[^&\s#]+/g;

export function hideWatchToken(text: string): string {
  return text.replace(WATCH_PARAMETER, "$1…");
}

/**
 * The same, for a widget that points at bytes by their offset (lesson 4's handshake stepper):
 * each byte of the token becomes a middle dot (0xB7, one byte in ISO-8859-1), so every offset,
 * length and byte count stays that of the real request.
 */
export function maskWatchToken(bytes: Uint8Array): Uint8Array {
  const masked = bytes.slice();
  const text = Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");
  for (const match of text.matchAll(WATCH_PARAMETER)) {
    const start = match.index + match[1]!.length;
    masked.fill(0xb7, start, match.index + match[0].length);
  }
  return masked;
}
