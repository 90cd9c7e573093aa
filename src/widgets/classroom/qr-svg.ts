// A QR code drawn by this page, never fetched: the module matrix comes from qrcode-generator
// (error correction M, the smallest version that fits), and each horizontal run of dark
// modules becomes one rectangle in a single SVG path, so a version-4 code is a few hundred
// short sub-paths instead of a thousand <rect>s. Coordinates are in modules, with the quiet
// zone of 4 modules that ISO/IEC 18004 asks for around the symbol.
import qrcode from "qrcode-generator";

export type QrMatrix = readonly (readonly boolean[])[];

export const QUIET_ZONE = 4;

/** The dark/light modules of a QR code for `text` (ASCII: URLs are encoded before they get here). */
export function qrMatrix(text: string): QrMatrix {
  // qrcode-generator's byte mode keeps only the low byte of each character; percent-encode
  // anything outside ASCII so the code still carries the exact same address.
  const ascii = /^[\x20-\x7e]*$/.test(text) ? text : encodeURI(text);
  const qr = qrcode(0, "M");
  qr.addData(ascii, "Byte");
  qr.make();
  const size = qr.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => qr.isDark(row, col)));
}

/** An SVG path `d` drawing every dark module: one `M x y h n v 1 h -n z` per horizontal run. */
export function qrPath(matrix: QrMatrix, margin = QUIET_ZONE): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < row.length && row[x + run]) run++;
      parts.push(`M${x + margin} ${y + margin}h${run}v1h-${run}z`);
      x += run;
    }
  });
  return parts.join("");
}

export interface QrDrawing {
  /** Width and height of the viewBox in modules, quiet zone included. */
  size: number;
  viewBox: string;
  path: string;
}

export function qrDrawing(text: string, margin = QUIET_ZONE): QrDrawing {
  const matrix = qrMatrix(text);
  const size = matrix.length + 2 * margin;
  return { size, viewBox: `0 0 ${size} ${size}`, path: qrPath(matrix, margin) };
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Fills `svg` with the code for `text`: a light background (scanners need the quiet zone to be
 * light, whatever the page's theme) and the dark modules. `label` becomes the accessible name.
 */
export function drawQr(svg: SVGSVGElement, text: string, label: string): void {
  const drawing = qrDrawing(text);
  svg.setAttribute("viewBox", drawing.viewBox);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.replaceChildren();
  const background = document.createElementNS(SVG_NS, "rect");
  background.setAttribute("width", String(drawing.size));
  background.setAttribute("height", String(drawing.size));
  background.setAttribute("fill", "#ffffff");
  const modules = document.createElementNS(SVG_NS, "path");
  modules.setAttribute("d", drawing.path);
  modules.setAttribute("fill", "#000000");
  svg.append(background, modules);
  svg.dataset.qrText = text;
}
