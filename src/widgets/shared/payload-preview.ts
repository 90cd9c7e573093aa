// A captured frame's payload as a reader would recognise it, in a few words: the text when it is
// text (a close frame's code and reason), else its first bytes in hex. The frame inspector's lane
// and lesson 7's wss:// twin label frames with it.
import type { CapturedFrame } from "../../protocol/capture.ts";

export function payloadPreview(f: CapturedFrame, max = 40): string {
  const { opcode, payload } = f.frame;
  if (f.close) return `${f.close.code ?? "no code"}${f.close.reason ? ` “${f.close.reason}”` : ""}`;
  if (opcode === 1 || opcode === 0 || opcode === 9 || opcode === 10) {
    const text = new TextDecoder().decode(payload);
    if (!text.includes("\uFFFD")) return text.length > max ? `“${text.slice(0, max)}…”` : `“${text}”`;
  }
  const hex = Array.from(payload.subarray(0, 12), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return payload.length > 12 ? `${hex} …` : hex;
}
