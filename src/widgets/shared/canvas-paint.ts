// Painting on a <canvas> as the wire stage and the frame inspector both do: the page's colours
// and fonts read from its CSS custom properties (so both themes work), off-screen layers, a
// visible canvas sized sharp for the screen, and one arrow drawn the way every arrow is drawn.
import { arrowHead } from "./diagram-geometry.ts";

export interface Palette {
  client: string;
  server: string;
  bad: string;
  border: string;
  fg: string;
  fgMuted: string;
  bg: string;
  bgSunken: string;
  accent: string;
  accentSoft: string;
  focus: string;
  fontBody: string;
  fontMono: string;
}

const PALETTE_PROPERTIES: Record<keyof Palette, string> = {
  client: "--client",
  server: "--server",
  bad: "--bad",
  border: "--border",
  fg: "--fg",
  fgMuted: "--fg-muted",
  bg: "--bg",
  bgSunken: "--bg-sunken",
  accent: "--accent",
  accentSoft: "--accent-soft",
  focus: "--focus",
  fontBody: "--font-body",
  fontMono: "--font-mono",
};

/** The palette as the page's CSS defines it for `element` now (light or dark). */
export function readPalette(element: Element): Palette {
  const style = getComputedStyle(element);
  const entries = Object.entries(PALETTE_PROPERTIES).map(([key, property]) => [
    key,
    style.getPropertyValue(property).trim(),
  ]);
  return Object.fromEntries(entries) as Palette;
}

/** An off-screen canvas something is drawn into once, to be copied onto the visible one. */
export interface Layer {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
}

export function offscreenLayer(): Layer | null {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d");
  return context ? { canvas, context } : null;
}

/**
 * Sizes a visible canvas to `width` × `height` CSS pixels, sharp on high-density screens, and
 * returns the device pixels per CSS pixel it was sized with (capped: 3 is sharp enough).
 */
export function sizeForScreen(canvas: HTMLCanvasElement, width: number, height: number): number {
  const ratio = Math.min(3, Math.max(1, globalThis.devicePixelRatio || 1));
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  return ratio;
}

/** An arrow from (x1, y1) to (x2, y2), `progress` of the way along (1: landed). */
export interface Arrow {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  progress: number;
}

export interface ArrowLook {
  /** The marker's and the head's colour. */
  colour: string;
  /** The line's colour, when not `colour` (a lost message's). */
  line?: string;
  dash?: number[];
  alpha?: number;
  /** False for an arrow that never lands (it ends without a head). */
  head?: boolean;
  /** The ring round the marker, so it stands out from the lines it crosses. */
  halo: string;
}

/**
 * Draws one arrow as the stage draws every arrow (and the inspector's lane each frame): the line
 * to where the message is now, then its marker while it travels, or its head once landed.
 */
export function paintArrow(ctx: CanvasRenderingContext2D, arrow: Arrow, look: ArrowLook): void {
  const { x1, y1, x2, y2, progress } = arrow;
  const tipX = x1 + (x2 - x1) * progress;
  const tipY = y1 + (y2 - y1) * progress;
  ctx.lineWidth = 2;
  ctx.globalAlpha = look.alpha ?? 1;
  ctx.strokeStyle = look.line ?? look.colour;
  ctx.setLineDash(look.dash ?? []);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(tipX, tipY);
  ctx.stroke();
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
  ctx.fillStyle = look.colour;
  ctx.beginPath();
  if (progress < 1) {
    ctx.arc(tipX, tipY, 4.5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = look.halo;
    ctx.stroke();
  } else if (look.head !== false) {
    for (const [x, y] of arrowHead(x1, y1, x2, y2)) ctx.lineTo(x, y);
    ctx.fill();
  }
}
