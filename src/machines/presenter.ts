// Presenter mode for a lesson: off, or on at one section of `count` (0-based; the reader sees
// section + 1). The layout counts the sections and draws them; this machine only decides which
// one is shown. Entering may name a section (a deep link); stepping clamps at both ends.
//
// A section taller than the screen is shown in parts (the layout measures it and reports how
// many, presenter-fit.ts): stepping goes through a section's parts before the next section,
// and back through the previous section's parts from its last. A deep link names a section and
// opens at its first part; the number of parts depends on the screen, the section does not.
import { assign, setup } from "xstate";

export interface PresenterContext {
  /** 0-based section shown while on (kept while off, so re-entering returns to it). */
  section: number;
  /** Number of sections, at least 1. */
  count: number;
  /** 0-based part of the section shown. */
  part: number;
  /** Parts of each section measured so far (a section not measured yet has 1). */
  parts: Record<number, number>;
}

export type PresenterEvent =
  | { type: "presenter.enter"; section?: number }
  | { type: "presenter.exit" }
  | { type: "step.next" }
  | { type: "step.previous" }
  | { type: "step.first" }
  | { type: "step.last" }
  | { type: "step.goto"; section: number }
  | { type: "layout.parts"; section: number; parts: number }
  /** Show a part of the current section (the one holding a widget a deep link names). */
  | { type: "step.part"; part: number };

export interface PresenterInput {
  count: number;
  section?: number;
}

const clamp = (section: number, count: number): number =>
  Number.isFinite(section) ? Math.max(0, Math.min(Math.trunc(section), count - 1)) : 0;
const partsOf = (context: PresenterContext, section: number): number => context.parts[section] ?? 1;

export const presenterMachine = setup({
  types: {
    context: {} as PresenterContext,
    events: {} as PresenterEvent,
    input: {} as PresenterInput,
  },
  actions: {
    enterAt: assign(({ context, event }) =>
      event.type === "presenter.enter" && event.section !== undefined
        ? { section: clamp(event.section, context.count), part: 0 }
        : {},
    ),
    next: assign(({ context }) => {
      if (context.part < partsOf(context, context.section) - 1) return { part: context.part + 1 };
      const section = clamp(context.section + 1, context.count);
      return section === context.section ? {} : { section, part: 0 };
    }),
    previous: assign(({ context }) => {
      if (context.part > 0) return { part: context.part - 1 };
      const section = clamp(context.section - 1, context.count);
      return section === context.section ? {} : { section, part: partsOf(context, section) - 1 };
    }),
    first: assign({ section: 0, part: 0 }),
    last: assign(({ context }) => ({ section: context.count - 1, part: 0 })),
    goto: assign(({ context, event }) =>
      event.type === "step.goto" ? { section: clamp(event.section, context.count), part: 0 } : {},
    ),
    toPart: assign(({ context, event }) =>
      event.type === "step.part"
        ? { part: Math.max(0, Math.min(Math.trunc(event.part) || 0, partsOf(context, context.section) - 1)) }
        : {},
    ),
    measured: assign(({ context, event }) => {
      if (event.type !== "layout.parts") return {};
      const parts = Math.max(1, Math.trunc(event.parts) || 1);
      const part = event.section === context.section ? Math.min(context.part, parts - 1) : context.part;
      return { parts: { ...context.parts, [event.section]: parts }, part };
    }),
  },
}).createMachine({
  id: "presenter",
  context: ({ input }) => {
    const count = Math.max(1, Math.trunc(input.count) || 1);
    return { count, section: clamp(input.section ?? 0, count), part: 0, parts: {} };
  },
  initial: "off",
  states: {
    off: {
      on: {
        "presenter.enter": { target: "on", actions: "enterAt" },
        "layout.parts": { actions: "measured" },
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
        "step.part": { actions: "toPart" },
        "layout.parts": { actions: "measured" },
      },
    },
  },
});
