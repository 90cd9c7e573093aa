// Hexadecimal text <-> bytes, for showing wire bytes and for letting a reader type binary
// messages. Accepts the forms people paste: "81 05 48", "0x81,0x05", "810548".

export type HexParseResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string; offset: number };

export function parseHex(text: string): HexParseResult {
  const cleaned = text
    .replace(/0x/gi, " ")
    .replace(/[\s,:;-]+/g, " ")
    .trim();
  if (cleaned === "") return { ok: true, bytes: new Uint8Array(0) };
  const digits: string[] = [];
  for (const group of cleaned.split(" ")) {
    if (group.length % 2 === 1 && group.length > 1) {
      return {
        ok: false,
        error: `"${group}" has an odd number of hex digits; write each byte as two digits`,
        offset: text.indexOf(group),
      };
    }
    if (group.length === 1) digits.push("0" + group);
    else for (let i = 0; i < group.length; i += 2) digits.push(group.slice(i, i + 2));
  }
  const bytes = new Uint8Array(digits.length);
  for (let i = 0; i < digits.length; i++) {
    const pair = digits[i]!;
    if (!/^[0-9a-f]{2}$/i.test(pair)) {
      return {
        ok: false,
        error: `"${pair}" is not a hex byte (use 0–9 and a–f)`,
        offset: Math.max(0, text.search(new RegExp(pair.replace(/[^0-9a-z]/gi, "\\$&"), "i"))),
      };
    }
    bytes[i] = parseInt(pair, 16);
  }
  return { ok: true, bytes };
}

/** Bytes as lower-case hex pairs separated by spaces: "81 05 48 65". */
export function toHex(bytes: Uint8Array, separator = " "): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += separator;
    out += bytes[i]!.toString(16).padStart(2, "0");
  }
  return out;
}
