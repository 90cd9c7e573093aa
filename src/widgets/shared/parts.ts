// Two things every widget element does: find its named parts (`data-part="…"` in its build-time
// markup, which must be there: a missing part is a bug in the markup, so it throws with the
// widget's name), and redraw at most once per frame however many events arrive in between.

/** The element's part named `name`; throws if the markup lacks it. */
export function part<T extends HTMLElement = HTMLElement>(root: HTMLElement, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`<${root.localName}> is missing its "${name}" part`);
  return found;
}

export interface FrameScheduler {
  /** Asks for one render in the next frame; more asks before it add nothing. */
  schedule(): void;
  /** Drops a render asked for but not yet run (when the element leaves the page). */
  cancel(): void;
}

export function frameScheduler(render: () => void): FrameScheduler {
  let frame = 0;
  return {
    schedule() {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        render();
      });
    },
    cancel() {
      cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
