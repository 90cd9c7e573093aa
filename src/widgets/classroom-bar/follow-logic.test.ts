import { describe, expect, it } from "vitest";
import {
  actionForFollow,
  createThrottle,
  describeEnding,
  describeFollowTarget,
  followMessageFor,
  followNote,
  forgetsSession,
} from "./follow-logic.ts";

describe("what a teacher sends when a deep link changes", () => {
  it("sends the lesson and the hash", () => {
    expect(followMessageFor("frames", "#present=3")).toEqual({ type: "follow", lesson: "frames", hash: "#present=3" });
    expect(followMessageFor("upgrade-handshake", "#handshake-step=2")).toEqual({
      type: "follow",
      lesson: "upgrade-handshake",
      hash: "#handshake-step=2",
    });
    expect(followMessageFor("tcp-underneath", "#timeline-tcp=120.5")).toEqual({
      type: "follow",
      lesson: "tcp-underneath",
      hash: "#timeline-tcp=120.5",
    });
  });

  it("sends an empty hash for a page with none", () => {
    expect(followMessageFor("frames", "")).toEqual({ type: "follow", lesson: "frames", hash: "" });
    expect(followMessageFor("frames", "#")).toEqual({ type: "follow", lesson: "frames", hash: "" });
  });

  it("sends nothing off a lesson page, or for a hash the lab would refuse", () => {
    expect(followMessageFor(null, "#present=1")).toBeNull();
    expect(followMessageFor(undefined, "#present=1")).toBeNull();
    expect(followMessageFor("", "#present=1")).toBeNull();
    expect(followMessageFor("Frames!", "#present=1")).toBeNull();
    expect(followMessageFor("frames", "#<script>")).toBeNull();
    expect(followMessageFor("frames", `#${"a".repeat(300)}`)).toBeNull();
  });
});

describe("what a student's page does with a follow", () => {
  const here = { lesson: "frames", hash: "#present=2" };

  it("goes to another lesson at the teacher's place", () => {
    expect(actionForFollow({ lesson: "upgrade-handshake", hash: "#present=4" }, here, true)).toEqual({
      kind: "navigate",
      url: "/lessons/upgrade-handshake/#present=4",
    });
    expect(actionForFollow({ lesson: "upgrade-handshake", hash: "" }, here, true)).toEqual({
      kind: "navigate",
      url: "/lessons/upgrade-handshake/",
    });
    expect(actionForFollow({ lesson: "frames", hash: "" }, { lesson: null, hash: "" }, true)).toEqual({
      kind: "navigate",
      url: "/lessons/frames/",
    });
  });

  it("applies the hash in place on the same lesson", () => {
    expect(actionForFollow({ lesson: "frames", hash: "#present=3" }, here, true)).toEqual({
      kind: "apply-hash",
      hash: "#present=3",
    });
    expect(actionForFollow({ lesson: "frames", hash: "#inspector-step=7" }, here, true)).toEqual({
      kind: "apply-hash",
      hash: "#inspector-step=7",
    });
  });

  it("does nothing when already there", () => {
    expect(actionForFollow({ lesson: "frames", hash: "#present=2" }, here, true)).toEqual({
      kind: "ignore",
      why: "already-there",
    });
    expect(actionForFollow({ lesson: "frames", hash: "" }, { lesson: "frames", hash: "" }, true)).toEqual({
      kind: "ignore",
      why: "already-there",
    });
  });

  it("ignores everything while not following", () => {
    expect(actionForFollow({ lesson: "upgrade-handshake", hash: "#present=4" }, here, false)).toEqual({
      kind: "ignore",
      why: "not-following",
    });
    expect(actionForFollow({ lesson: "frames", hash: "#present=3" }, here, false)).toEqual({
      kind: "ignore",
      why: "not-following",
    });
  });

  it("never leaves the site or runs anything for a hostile follow", () => {
    for (const follow of [
      { lesson: "../../evil", hash: "" },
      { lesson: "//evil.example", hash: "" },
      { lesson: "frames", hash: "javascript:alert(1)" },
      { lesson: "frames", hash: "#a b" },
    ]) {
      expect(actionForFollow(follow, here, true), JSON.stringify(follow)).toEqual({ kind: "ignore", why: "invalid" });
    }
  });
});

describe("follow notes and endings in words", () => {
  it("names the place the teacher went", () => {
    expect(describeFollowTarget("#present=3")).toBe("section 3");
    expect(describeFollowTarget("#handshake-step=2")).toBe("handshake step 2");
    expect(describeFollowTarget("#inspector-step=12")).toBe("inspector step 12");
    expect(describeFollowTarget("#wire-step=4")).toBe("wire stage step 4");
    expect(describeFollowTarget("#timeline-tcp=40&timeline-http=5")).toBe("timeline at 40 ms, timeline at 5 ms");
    expect(describeFollowTarget("")).toBe("");
    expect(followNote("#present=3")).toBe("Following the teacher: section 3.");
    expect(followNote("")).toBe("Following the teacher.");
  });

  it("says why the link ended, with close codes", () => {
    expect(describeEnding("room-closed", "Class is over", null)).toBe("The teacher closed the room: Class is over.");
    expect(describeEnding("removed", "", 4001)).toContain("4001");
    expect(describeEnding("replaced", "", 4002)).toContain("4002");
    expect(describeEnding("refused", "Only the teacher may lead", 1008)).toContain("1008");
    expect(describeEnding("unreachable", "", 1006)).toContain("1006");
    expect(describeEnding("left", "", null)).toBe("You left the room.");
  });

  it("forgets the session only when coming back is impossible or unwanted", () => {
    expect(forgetsSession("left")).toBe(true);
    expect(forgetsSession("room-closed")).toBe(true);
    expect(forgetsSession("removed")).toBe(true);
    expect(forgetsSession("refused")).toBe(true);
    expect(forgetsSession("rejected")).toBe(true);
    expect(forgetsSession("replaced")).toBe(false);
    expect(forgetsSession("unreachable")).toBe(false);
  });
});

describe("follow throttle", () => {
  function fakeClock() {
    let now = 0;
    const timers: { at: number; fn: () => void; id: number }[] = [];
    let next = 1;
    return {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => {
        const id = next++;
        timers.push({ at: now + ms, fn, id });
        return id;
      },
      clearTimeout: (id: unknown) => {
        const index = timers.findIndex((t) => t.id === id);
        if (index >= 0) timers.splice(index, 1);
      },
      advance(ms: number) {
        now += ms;
        for (const timer of timers.filter((t) => t.at <= now)) {
          timers.splice(timers.indexOf(timer), 1);
          timer.fn();
        }
      },
    };
  }

  it("sends the first change at once and then the newest once per interval", () => {
    const clock = fakeClock();
    const sent: string[] = [];
    const throttle = createThrottle<string>((v) => sent.push(v), 250, clock);
    throttle.push("#timeline-t=1");
    expect(sent).toEqual(["#timeline-t=1"]);
    clock.advance(10);
    throttle.push("#timeline-t=2");
    clock.advance(10);
    throttle.push("#timeline-t=3");
    expect(sent).toEqual(["#timeline-t=1"]);
    clock.advance(240);
    expect(sent).toEqual(["#timeline-t=1", "#timeline-t=3"]);
    clock.advance(1000);
    throttle.push("#timeline-t=4");
    expect(sent).toEqual(["#timeline-t=1", "#timeline-t=3", "#timeline-t=4"]);
  });

  it("does not resend the same place, unless reset", () => {
    const clock = fakeClock();
    const sent: string[] = [];
    const throttle = createThrottle<string>((v) => sent.push(v), 250, clock);
    throttle.push("#present=2");
    clock.advance(500);
    throttle.push("#present=2");
    expect(sent).toEqual(["#present=2"]);
    throttle.reset();
    throttle.push("#present=2");
    expect(sent).toEqual(["#present=2", "#present=2"]);
  });

  it("drops what is pending when cancelled", () => {
    const clock = fakeClock();
    const sent: string[] = [];
    const throttle = createThrottle<string>((v) => sent.push(v), 250, clock);
    throttle.push("a");
    throttle.push("b");
    throttle.cancel();
    clock.advance(1000);
    expect(sent).toEqual(["a"]);
  });
});
