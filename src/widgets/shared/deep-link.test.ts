import { describe, expect, it } from "vitest";
import { withPresenterSlide } from "./deep-link.ts";

describe("widget links on a projector", () => {
  it("keep the presenter's slide in front of the widget's own link", () => {
    expect(withPresenterSlide("#handshake-step=4", "#present=3")).toBe("#present=3&handshake-step=4");
    expect(withPresenterSlide("#handshake-step=5", "#present=3&handshake-step=4")).toBe("#present=3&handshake-step=5");
    expect(withPresenterSlide("#stage-step=2&stage-recording=abc", "#present=12")).toBe(
      "#present=12&stage-step=2&stage-recording=abc",
    );
    expect(withPresenterSlide("", "#present=3&inspector-step=9")).toBe("#present=3");
  });

  it("are the widget's own link when nobody presents", () => {
    expect(withPresenterSlide("#handshake-step=4", "")).toBe("#handshake-step=4");
    expect(withPresenterSlide("", "#inspector-step=2")).toBe("");
  });
});
