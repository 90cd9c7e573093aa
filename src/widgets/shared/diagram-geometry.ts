// Label metrics and arrow geometry every sequence diagram on the site shares (the wire stage's
// two sides and the frame inspector's lane), pure so they are tested without a DOM: one label
// font size, the average advance of its characters for fitting text, and the corners of an
// arrow head.

export const LABEL_FONT_PX = 13;
/** Average advance of a character of the label font (proportional UI font, ~0.55 em). */
export const LABEL_CHAR_PX = LABEL_FONT_PX * 0.56;

export function truncate(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

/** The three corners of a filled arrow head at (x2, y2), pointing along the arrow from (x1, y1). */
export function arrowHead(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  length = 9,
  halfWidth = 4,
): [number, number][] {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const bx = x2 - length * Math.cos(angle);
  const by = y2 - length * Math.sin(angle);
  const px = halfWidth * Math.sin(angle);
  const py = -halfWidth * Math.cos(angle);
  return [
    [x2, y2],
    [bx + px, by + py],
    [bx - px, by - py],
  ];
}
