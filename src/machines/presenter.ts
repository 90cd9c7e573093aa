// Presenter mode for a lesson: off, or on at one section of `count` (0-based; the reader sees
// section + 1). The layout counts the sections and draws them; this machine only decides which
// one is shown. Entering may name a section (a deep link); stepping clamps at both ends.
import { assign, setup } from "xstate";

export interface PresenterContext {
  /** 0-based section shown while on (kept while off, so re-entering returns to it). */
  section: number;
  /** Number of sections, at least 1. */
  count: number;
}

export type PresenterEvent =
  | { type: "presenter.enter"; section?: number }
  | { type: "presenter.exit" }
  | { type: "step.next" }
  | { type: "step.previous" }
  | { type: "step.first" }
  | { type: "step.last" }
  | { type: "step.goto"; section: number };

export interface PresenterInput {
  count: number;
  section?: number;
}

const clamp = (section: number, count: number): number => (Number.isFinite(section) ? Math.max(0, Math.min(Math.trunc(section), count - 1)) : 0);

export const presenterMachine = setup({
  types: {
    context: {} as PresenterContext,
    events: {} as PresenterEvent,
    input: {} as PresenterInput,
  },
  actions: {
    enterAt: assign(({ context, event }) => (event.type === "presenter.enter" && event.section !== undefined ? { section: clamp(event.section, context.count) } : {})),
    next: assign(({ context }) => ({ section: clamp(context.section + 1, context.count) })),
    previous: assign(({ context }) => ({ section: clamp(context.section - 1, context.count) })),
    first: assign({ section: 0 }),
    last: assign(({ context }) => ({ section: context.count - 1 })),
    goto: assign(({ context, event }) => (event.type === "step.goto" ? { section: clamp(event.section, context.count) } : {})),
  },
}).createMachine({
  id: "presenter",
  context: ({ input }) => {
    const count = Math.max(1, Math.trunc(input.count) || 1);
    return { count, section: clamp(input.section ?? 0, count) };
  },
  initial: "off",
  states: {
    off: {
      on: {
        "presenter.enter": { target: "on", actions: "enterAt" },
      },
    },
    on: {
      on: {
        "presenter.enter": { actions: "enterAt" },
        "presenter.exit": { target: "off" },
        "step.next": { actions: "next" },
        "step.previous": { actions: "previous" },
        "step.first": { actions: "first" },
        "step.last": { actions: "last" },
        "step.goto": { actions: "goto" },
      },
    },
  },
});
