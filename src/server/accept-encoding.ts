// Content negotiation for compressed files (RFC 9110 §12.5.3): which of the encodings a file is
// stored in the client accepts, and of those the one it prefers. `Accept-Encoding: gzip;q=0.5,
// br` picks br; `br;q=0` rules br out; `*` stands for every encoding not named; no header at all
// means the client did not say, and gets the file as it is (identity), which every client reads.

export type StoredEncoding = "br" | "gzip";

/** Smaller first: when the client likes both equally, it gets the smaller file. */
const SERVER_PREFERENCE: readonly StoredEncoding[] = ["br", "gzip"];

function weights(header: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name, ...params] = part.split(";").map((p) => p.trim().toLowerCase());
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const match = /^q\s*=\s*([01](?:\.\d{0,3})?)$/.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
    }
    // x-gzip is gzip's old name (RFC 9110 §8.4.1.3).
    found.set(name === "x-gzip" ? "gzip" : name, q);
  }
  return found;
}

/** The encoding to send among `stored`, or null for the file as it is. */
export function chooseEncoding(header: string | undefined, stored: readonly StoredEncoding[]): StoredEncoding | null {
  if (header === undefined || stored.length === 0) return null;
  const q = weights(header);
  const wildcard = q.get("*");
  let best: StoredEncoding | null = null;
  let bestQ = 0;
  for (const encoding of SERVER_PREFERENCE) {
    if (!stored.includes(encoding)) continue;
    const weight = q.get(encoding) ?? wildcard ?? 0;
    if (weight > bestQ) {
      best = encoding;
      bestQ = weight;
    }
  }
  return best;
}
