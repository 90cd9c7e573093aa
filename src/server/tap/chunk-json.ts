// The JSON text of a chunk event (tap-events.ts), written out directly: a tapped connection
// makes one for every read and write, and building the text from its parts costs a fraction of
// JSON.stringify on an object. The text is exactly what JSON.stringify would give (the test
// compares them): every field is a finite number, a fixed word or base64, none of which needs
// escaping, and a finite number prints the same in a template as in JSON.
import type { Direction } from "../../protocol/tap-events.ts";

export function chunkJson(t: number, specimen: number, dir: Direction, offset: number, length: number, data: string | null): string {
  const head = `{"type":"chunk","t":${t},"specimen":${specimen},"dir":"${dir}","offset":${offset},"length":${length},`;
  return data === null ? `${head}"truncated":true}` : `${head}"data":"${data}"}`;
}
