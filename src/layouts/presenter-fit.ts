// How one presenter slide fits the screen, as a pure function of measured heights: the
// section's elements are grouped into parts that each fit the room left under the running
// head and above the presenter bar; the section's h2 heads every part, so the class always
// sees which section this is. An element taller than the room on its own is a part by itself,
// scaled down to fit (CSS zoom), so nothing on a slide is ever cut off or hidden under the bar.

export interface SectionFit {
  /** Element indices shown in each part, in order. */
  parts: number[][];
  /** Zoom for an element scaled to fit (only ones that need it; 1 is never listed). */
  zoom: Record<number, number>;
}

/**
 * `heights[i]` is the vertical room element i takes (its top to the next element's top, so
 * margins count); 0 for an element that is not shown at all. `title` is the index of the
 * section's heading (repeated in every part), or null. `available` is the room for one part.
 */
export function fitSection(heights: readonly number[], title: number | null, available: number): SectionFit {
  const titleHeight = title === null ? 0 : heights[title]!;
  const room = Math.max(1, available - titleHeight);
  const parts: number[][] = [];
  const zoom: Record<number, number> = {};
  let current: number[] = [];
  let used = 0;
  const close = (): void => {
    if (current.length > 0) parts.push(title === null ? current : [title, ...current]);
    current = [];
    used = 0;
  };
  heights.forEach((height, index) => {
    if (index === title) return;
    if (height > room) {
      close();
      // Zoom scales the margins too, so the whole element's room shrinks by the same factor.
      zoom[index] = Math.floor((room / height) * 1000) / 1000;
      current = [index];
      close();
      return;
    }
    if (used + height > room && current.some((i) => heights[i]! > 0)) close();
    current.push(index);
    used += height;
  });
  close();
  if (parts.length === 0) parts.push(title === null ? [] : [title]);
  return { parts, zoom };
}
