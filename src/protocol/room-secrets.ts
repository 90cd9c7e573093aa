// The room protocol's two secrets, hidden wherever frames or messages are shown: the teacher key
// (in `created`, in the `teach` a teacher sends to come back, and as the teacher's `resume`) and
// a student's resume token (`joined`, `join`). Either one read off a projector lets a stranger
// take that seat: the teacher's, with the power to remove everyone. The page keeps both in its
// own storage and sends them; it never renders them.
//
// Secrets are found in a message's bytes, so a message split into fragments anywhere (inside the
// key's name, inside the value) is masked as a whole: `secretRanges` takes the whole message so
// far, `showRedacted` shows any byte range of it with the secrets replaced by SECRET_MASK. The
// search works on bytes as Latin-1 characters: JSON's quotes, backslashes and the two key names
// are ASCII, and every byte of a multi-byte UTF-8 character is 0x80 or above, so they never match.

export const SECRET_MASK = "••••";
export const SECRET_NOTE =
  "•••• hides the teacher key and resume tokens: anyone who read one off this screen could take that seat.";

// The value of "teacherKey" or "resume": up to its closing quote, or to the end of what has
// arrived (the rest is in a later fragment).
const SECRET_VALUE = /"(?:teacherKey|resume)"\s*:\s*"((?:[^"\\]|\\.)*)(?:"|\\?$)/dg;

/** Byte ranges [start, end) of the secret values in `bytes` (a message, or its fragments so far). */
export function secretRanges(bytes: Uint8Array): Array<[number, number]> {
  let latin1 = "";
  for (let i = 0; i < bytes.length; i += 8192) latin1 += String.fromCharCode(...bytes.subarray(i, i + 8192));
  const ranges: Array<[number, number]> = [];
  for (const match of latin1.matchAll(SECRET_VALUE)) {
    const [start, end] = match.indices![1]!;
    if (end > start) ranges.push([start, end]);
  }
  return ranges;
}

const decoder = new TextDecoder("utf-8");

/**
 * The text of `bytes[from, to)` with every secret (ranges from `secretRanges` over the same
 * bytes) shown as SECRET_MASK. A range cut by `from` or `to` is masked for its part inside.
 */
export function showRedacted(
  bytes: Uint8Array,
  from: number,
  to: number,
  ranges: ReadonlyArray<readonly [number, number]>,
): { text: string; redacted: boolean } {
  let text = "";
  let at = from;
  let redacted = false;
  for (const [start, end] of ranges) {
    if (end <= at || start >= to) continue;
    if (start > at) text += decoder.decode(bytes.subarray(at, start));
    text += SECRET_MASK;
    redacted = true;
    at = Math.min(end, to);
  }
  if (at < to) text += decoder.decode(bytes.subarray(at, to));
  return { text, redacted };
}

/** A whole message's text with its secrets masked. */
export function redactRoomSecrets(text: string): { text: string; redacted: boolean } {
  const bytes = new TextEncoder().encode(text);
  return showRedacted(bytes, 0, bytes.length, secretRanges(bytes));
}
