// The frame inspector's lane in browser tests. Its rows are painted on a canvas; each frame also
// has a button in the canvas's fallback list, which keyboards and screen readers use but which a
// browser never lays out. So a row is waited for while attached (it has no box to be visible in),
// and picked as a reader would with a mouse: the row is brought into view, then clicked where the
// canvas paints it.
import { expect } from "vitest";
import type { Locator } from "playwright-core";

interface RowBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Waits until a frame's row is in the lane. */
export async function waitForRow(row: Locator): Promise<void> {
  await row.waitFor({ state: "attached" });
}

/** Clicks a frame's row on the lane's canvas, and checks the row is then the one shown. */
export async function clickRow(inspector: Locator, row: Locator): Promise<void> {
  await waitForRow(row);
  const key = (await row.getAttribute("data-frame")) ?? "";
  // Focusing the row's button scrolls the lane to it.
  await row.focus();
  const canvas = inspector.locator("[data-part=lane-canvas]");
  await canvas.scrollIntoViewIfNeeded();
  let box: RowBox | null = null;
  await expect
    .poll(async () => {
      box = await inspector.evaluate(
        (el, k) => (el as unknown as { laneRowBox(key: string): RowBox | null }).laneRowBox(k),
        key,
      );
      const height = await canvas.evaluate((c) => c.clientHeight);
      return box !== null && box.y >= 0 && box.y + box.height <= height;
    })
    .toBe(true);
  const { x, y, width, height } = box!;
  await canvas.click({ position: { x: x + width / 2, y: y + height / 2 } });
  await expect.poll(() => row.getAttribute("aria-pressed")).toBe("true");
}
