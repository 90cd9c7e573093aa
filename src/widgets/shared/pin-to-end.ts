// Keeps a scroller showing the end of its content as rows are appended, without making the
// browser lay the page out early. Reading scrollHeight right after adding a row forces a layout
// in the middle of the frame (and another one later if anything else changes); a ResizeObserver
// is told of the content's new size after the frame's own layout, when scrolling is cheap.
export function pinToEnd(scroller: HTMLElement, content: HTMLElement, follow: () => boolean = () => true): () => void {
  const observer = new ResizeObserver(() => {
    if (follow()) scroller.scrollTop = scroller.scrollHeight;
  });
  observer.observe(content);
  return () => observer.disconnect();
}
