// The layer rule and the one-machine-per-file rule, checked on the real source tree.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { importGraph } from "./import-graph.ts";
import { importCycles, layerViolation } from "./layers.ts";

const root = resolve(import.meta.dirname, "..", "..");
const edges = importGraph(root, ["src", "content/lessons"]);

describe("the layer rule on small cases", () => {
  it("allows imports that point down and refuses the rest", () => {
    expect(layerViolation("src/widgets/quiz/quiz-element.ts", "src/protocol/frame.ts")).toBeNull();
    expect(layerViolation("src/machines/lab-run.ts", "src/sim/clock.ts")).toBeNull();
    expect(layerViolation("src/scenarios/run-scenario.ts", "src/machines/tcp-connection.ts")).toBeNull();
    expect(layerViolation("src/sim/network.ts", "src/machines/tcp-connection.ts")).toMatch(/higher layer machines/);
    expect(layerViolation("src/widgets/frame-inspector/a.ts", "src/widgets/echo-console/b.ts")).toMatch(
      /widgets\/shared/,
    );
    expect(layerViolation("src/widgets/shared/a.ts", "src/layouts/code-themes.ts")).toMatch(/higher layer layouts/);
    expect(layerViolation("src/protocol/a.ts", "src/lessons/order.ts")).toMatch(/side by side/);
    expect(layerViolation("src/widgets/quiz/q.ts", "src/server/lab.ts")).toMatch(/Node-only/);
    expect(layerViolation("src/server/lab.ts", "src/widgets/quiz/q.ts")).toMatch(/server imports only/);
  });

  it("finds cycles, including a file that imports itself", () => {
    const cycles = importCycles([
      { from: "a", to: "b" },
      { from: "b", to: "c" },
      { from: "c", to: "a" },
      { from: "c", to: "d" },
      { from: "e", to: "e" },
    ]);
    expect(cycles).toEqual([["a", "b", "c"], ["e"]]);
  });
});

describe("the source tree", () => {
  it("reads a plausible number of imports (the reader is not blind)", () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((e) => e.from.endsWith(".astro"))).toBe(true);
    expect(edges.some((e) => e.from.endsWith(".mdx"))).toBe(true);
  });

  it("imports point down a layer only, and widgets never import each other", () => {
    const broken = edges.flatMap(({ from, to }) => {
      const why = layerViolation(from, to);
      return why ? [`${from} → ${to}: ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("has no import cycles", () => {
    expect(importCycles(edges)).toEqual([]);
  });

  const machineFiles = readdirSync(join(root, "src", "machines")).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  const definesMachine = (text: string): boolean => /\.createMachine\(|\bcreateMachine\(/.test(text);

  it("every module in src/machines defines a machine", () => {
    const without = machineFiles.filter((f) => !definesMachine(readFileSync(join(root, "src", "machines", f), "utf8")));
    expect(without).toEqual([]);
  });

  it("no module outside src/machines defines a machine", () => {
    const outside = [...new Set(edges.map((e) => e.from))].filter(
      (f) =>
        !f.startsWith("src/machines/") &&
        !f.endsWith(".test.ts") &&
        definesMachine(readFileSync(join(root, f), "utf8")),
    );
    expect(outside).toEqual([]);
  });
});
