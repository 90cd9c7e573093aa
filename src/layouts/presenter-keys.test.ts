import { describe, expect, it } from "vitest";
import { presenterKeyAction, type KeyFacts } from "./presenter-keys.ts";

describe("presenter keys", () => {
  const facts = (key: string, more: Partial<KeyFacts> = {}): KeyFacts => ({
    key,
    inField: false,
    inWidget: false,
    presenting: true,
    ...more,
  });

  it("enters with P outside fields and widgets", () => {
    expect(presenterKeyAction(facts("p", { presenting: false }))).toBe("enter");
    expect(presenterKeyAction(facts("P", { presenting: false }))).toBe("enter");
    expect(presenterKeyAction(facts("p", { presenting: false, inField: true }))).toBeNull();
    expect(presenterKeyAction(facts("p", { presenting: false, inWidget: true }))).toBeNull();
    expect(presenterKeyAction(facts("p", { presenting: false, ctrlKey: true }))).toBeNull();
    expect(presenterKeyAction(facts("ArrowRight", { presenting: false }))).toBeNull();
    expect(presenterKeyAction(facts("Escape", { presenting: false }))).toBeNull();
  });

  it("steps with arrows, space, page keys, Home and End while presenting", () => {
    expect(presenterKeyAction(facts("ArrowRight"))).toBe("step.next");
    expect(presenterKeyAction(facts(" "))).toBe("step.next");
    expect(presenterKeyAction(facts("PageDown"))).toBe("step.next");
    expect(presenterKeyAction(facts("ArrowLeft"))).toBe("step.previous");
    expect(presenterKeyAction(facts("PageUp"))).toBe("step.previous");
    expect(presenterKeyAction(facts(" ", { shiftKey: true }))).toBe("step.previous");
    expect(presenterKeyAction(facts("Home"))).toBe("step.first");
    expect(presenterKeyAction(facts("End"))).toBe("step.last");
    expect(presenterKeyAction(facts("Escape"))).toBe("exit");
    expect(presenterKeyAction(facts("x"))).toBeNull();
  });

  it("leaves keys inside widgets and fields to them, except Escape outside fields", () => {
    for (const key of ["ArrowRight", "ArrowLeft", " ", "Home", "End", "PageDown"]) {
      expect(presenterKeyAction(facts(key, { inWidget: true })), key).toBeNull();
      expect(presenterKeyAction(facts(key, { inField: true })), key).toBeNull();
    }
    expect(presenterKeyAction(facts("Escape", { inWidget: true }))).toBe("exit");
    expect(presenterKeyAction(facts("Escape", { inField: true }))).toBeNull();
    expect(presenterKeyAction(facts("ArrowRight", { altKey: true }))).toBeNull();
  });

  it("lets Space press a focused button instead of stepping twice", () => {
    expect(presenterKeyAction(facts(" ", { onControl: true }))).toBeNull();
    expect(presenterKeyAction(facts("ArrowRight", { onControl: true }))).toBe("step.next");
  });
});
