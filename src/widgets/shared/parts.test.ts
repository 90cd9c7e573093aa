import { describe, expect, it, vi } from "vitest";
import { useFakeFrames } from "./frame-test-helpers.ts";
import { frameScheduler, part } from "./parts.ts";

describe("frameScheduler", () => {
  const frames = useFakeFrames();

  it("renders once per frame however often it is asked, and again when asked after that frame", () => {
    const render = vi.fn();
    const scheduler = frameScheduler(render);
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    expect(frames.waiting).toBe(1);
    frames.drawFrame();
    expect(render).toHaveBeenCalledTimes(1);
    scheduler.schedule();
    frames.drawFrame();
    expect(render).toHaveBeenCalledTimes(2);
  });

  it("cancel drops a render not yet run, and a later ask still works", () => {
    const render = vi.fn();
    const scheduler = frameScheduler(render);
    scheduler.schedule();
    scheduler.cancel();
    frames.drawFrame();
    expect(render).not.toHaveBeenCalled();
    scheduler.schedule();
    frames.drawFrame();
    expect(render).toHaveBeenCalledTimes(1);
  });
});

describe("part", () => {
  it("finds a named part, and names the widget and the part when the markup lacks it", () => {
    const found = { id: "found" };
    const root = {
      localName: "sp-example",
      querySelector: (selector: string) => (selector === '[data-part="status"]' ? found : null),
    } as unknown as HTMLElement;
    expect(part(root, "status")).toBe(found);
    expect(() => part(root, "missing")).toThrow('<sp-example> is missing its "missing" part');
  });
});
