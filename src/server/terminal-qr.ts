// A QR code drawn with text, for `npm start -- --host`: the join page's address as a code the
// class can scan off the teacher's terminal or a projected screenshot. Each character covers
// two rows of modules with Unicode half blocks (▀ ▄ █ and space), so the code stays square in
// a terminal whose cells are about twice as tall as wide.
//
// Terminals usually draw light text on a dark background, so by default the characters draw
// the *light* modules and the quiet zone (ink "light"): the code then shows dark-on-light as a
// scanner expects. Pass ink "dark" for a terminal with a light background.
import qrcode from "qrcode-generator";

export type ModuleMatrix = boolean[][];

/** QR quiet zone in modules; the standard asks for 4 (ISO/IEC 18004 §7.3.7). */
export const QUIET_ZONE = 4;

export function qrModules(text: string): ModuleMatrix {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

const GLYPHS = [" ", "▄", "▀", "█"] as const; // index: top inked × 2 + bottom inked

export function renderTerminalQr(
  modules: ModuleMatrix,
  options: { ink?: "light" | "dark"; quietZone?: number } = {},
): string[] {
  const ink = options.ink ?? "light";
  const quiet = options.quietZone ?? QUIET_ZONE;
  const n = modules.length;
  const size = n + 2 * quiet;
  const dark = (r: number, c: number): boolean => {
    const mr = r - quiet;
    const mc = c - quiet;
    return mr >= 0 && mc >= 0 && mr < n && mc < n && modules[mr]![mc]!;
  };
  const inked = (r: number, c: number): boolean => (r >= size ? false : ink === "dark" ? dark(r, c) : !dark(r, c));
  const rows: string[] = [];
  for (let r = 0; r < size; r += 2) {
    let line = "";
    for (let c = 0; c < size; c++) line += GLYPHS[(inked(r, c) ? 2 : 0) + (inked(r + 1, c) ? 1 : 0)];
    rows.push(line);
  }
  return rows;
}

/** The QR code for `text` as terminal lines. */
export function terminalQr(text: string, options: { ink?: "light" | "dark" } = {}): string[] {
  return renderTerminalQr(qrModules(text), options);
}
