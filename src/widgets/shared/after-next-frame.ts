// Runs a callback in a task of its own after the browser has drawn its next frame. Work split
// this way is drawn in separate frames: style, layout and paint for one part of a view, then for
// the next, rather than all of it in one frame long enough to hold up the reader's input. (A
// callback of requestAnimationFrame itself would run inside the frame; the task it queues runs
// after the frame is drawn.)
export function afterNextFrame(run: () => void): () => void {
  let task: ReturnType<typeof setTimeout> | null = null;
  const frame = requestAnimationFrame(() => {
    task = setTimeout(run, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (task !== null) clearTimeout(task);
  };
}
