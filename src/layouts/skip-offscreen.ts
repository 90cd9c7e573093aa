// Lets the browser skip the lesson's text blocks while they are far from the viewport (the
// `.prose[data-skip-offscreen]` rule in LessonLayout.astro): while a live widget redraws, the
// browser repaints the whole neighbourhood of the viewport in every frame, and a long lesson's
// paragraphs and code blocks were most of that cost.
//
// Switched on only once the page has been laid out with its fonts: each block then stands in
// with the size it really had (contain-intrinsic-size: auto), so the page keeps its height, a
// link to a heading lands where it should, and no widget comes into view before its time.
export function skipOffscreenBlocks(prose: HTMLElement | null): void {
  if (!prose) return;
  void document.fonts.ready.then(() => {
    // Two frames: sizes are remembered after a frame's layout, as ResizeObserver's are.
    requestAnimationFrame(() => requestAnimationFrame(() => prose.toggleAttribute("data-skip-offscreen", true)));
  });
}
