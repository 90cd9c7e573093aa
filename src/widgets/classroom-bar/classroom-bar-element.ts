// <sp-classroom-bar>: the strip that keeps a classroom tab in its room from page to page.
// Loaded only when this tab has a classroom session (ClassroomBar.astro checks). It runs the
// classroom link machine over a real WebSocket to /lab/room and
//  - for the teacher, sends `follow` whenever the page's deep link changes (presenter steps,
//    widget steps: DEEP_LINK_EVENT), and once on arrival, so students come to this lesson;
//  - for a student who follows, goes where the teacher's `follow` points: another lesson is a
//    navigation, the same lesson is a hash applied in place (replaceState and a hashchange
//    event, which presenter mode and the widgets already react to);
//  - carries class predictions: what the lab says (poll, tally) goes to the page's prediction
//    cards through the class-poll store, what a card asks (ask, reveal, predict) goes to the
//    lab; a student who has not answered the teacher's open question gets a link to its card here.
// A student may stop following at any time; the choice is kept in the session.
import { createActor, type ActorRefFrom } from "xstate";
import { classroomLinkMachine } from "../../machines/classroom-link.ts";
import type { ServerMessage } from "../../protocol/room-protocol.ts";
import {
  DEEP_LINK_EVENT,
  loadClassroomSession,
  rememberRemoval,
  saveClassroomSession,
  TEACHER_SESSION_KEY,
  type ClassroomSession,
  type DeepLinkDetail,
} from "../shared/classroom-session.ts";
import { browserWebSocket, labUrl } from "../shared/websocket-actor.ts";
import { widgetSelectorForHash } from "../shared/deep-link.ts";
import { classPoll, publishClassPoll, setClassPollSender, subscribeClassPoll } from "../shared/class-poll.ts";
import {
  actionForFollow,
  createThrottle,
  describeEnding,
  followMessageFor,
  followNote,
  forgetsSession,
  describeFollowTarget,
} from "./follow-logic.ts";

type LinkActor = ActorRefFrom<typeof classroomLinkMachine>;

/** A teacher scrubbing a timeline sends a handful of follows a second, not one per frame. */
const FOLLOW_INTERVAL_MS = 250;

function part<T extends HTMLElement = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-classroom-bar is missing its "${name}" part`);
  return found;
}

export default class ClassroomBarElement extends HTMLElement {
  #abort = new AbortController();
  #actor: LinkActor | null = null;
  #session: ClassroomSession | null = null;
  #lastFollow: { lesson: string; hash: string } | null = null;
  #savingSession = false;
  #shown = "";
  #unsubscribePoll: (() => void) | null = null;
  #throttle = createThrottle<string>((hash) => this.#sendFollow(hash), FOLLOW_INTERVAL_MS, {
    now: () => performance.now(),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
  });

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    document.addEventListener("sp:classroom-session", () => this.#sessionChanged(), { signal });
    // Another tab shared or ended the teacher's session; it matters here when this tab has none of its own.
    window.addEventListener(
      "storage",
      (event) => {
        if (event.key === TEACHER_SESSION_KEY) this.#sessionChanged();
      },
      { signal },
    );
    document.addEventListener(
      DEEP_LINK_EVENT,
      (event) => this.#deepLinkChanged((event as CustomEvent<DeepLinkDetail>).detail?.hash ?? location.hash),
      { signal },
    );
    part(this, "follow").addEventListener(
      "change",
      (event) => this.#setFollowing((event.target as HTMLInputElement).checked),
      { signal },
    );
    part(this, "retry").addEventListener("click", () => this.#actor?.send({ type: "link.retry" }), { signal });
    part(this, "leave").addEventListener("click", () => this.#leave(), { signal });
    this.#start(loadClassroomSession());
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#throttle.cancel();
    this.#actor?.stop();
    this.#actor = null;
    setClassPollSender(null);
    this.#unsubscribePoll?.();
    publishClassPoll({ role: null });
  }

  #start(session: ClassroomSession | null): void {
    this.#actor?.stop();
    this.#actor = null;
    this.#session = session;
    this.#shown = "";
    if (!session) {
      this.hidden = true;
      setClassPollSender(null);
      publishClassPoll({ role: null, poll: null, tally: null });
      return;
    }
    this.#build(session);
    const identity =
      session.role === "teacher"
        ? { role: "teacher" as const, code: session.code, teacherKey: session.teacherKey }
        : { role: "student" as const, code: session.code, nickname: session.nickname, resume: session.resume };
    const actor = createActor(classroomLinkMachine.provide({ actors: { socket: browserWebSocket } }), {
      input: { identity, url: labUrl("/lab/room") },
    });
    this.#actor = actor;
    actor.on("server.message", ({ message }) => this.#onServerMessage(message));
    setClassPollSender((message) => actor.send({ type: "link.send", message }));
    this.#unsubscribePoll?.();
    this.#unsubscribePoll = subscribeClassPoll(() => this.#renderPollNote());
    actor.subscribe(() => this.#render());
    actor.start();
    this.hidden = false;
    this.#render();
  }

  /** Fills the bar's markup (ClassroomBar.astro) for this session; the nickname goes in as text. */
  #build(session: ClassroomSession): void {
    const student = session.role === "student";
    part(this, "code").textContent = session.code;
    part(this, "who").textContent = student ? `Student · ${session.nickname}` : "Teacher";
    const box = part<HTMLInputElement>(this, "follow");
    box.closest("label")!.hidden = !student;
    box.checked = student && session.following;
    this.dataset.role = session.role;
    if (student) this.dataset.following = String(session.following);
    else delete this.dataset.following;
  }

  #render(): void {
    const actor = this.#actor;
    if (!actor || !this.#session) return;
    const snapshot = actor.getSnapshot();
    const { attempt, outcome, detail, closeCode } = snapshot.context;
    const state = snapshot.matches({ online: "connected" })
      ? "connected"
      : snapshot.matches("closed")
        ? "closed"
        : "connecting";
    const key = `${state}:${attempt}:${outcome}`;
    if (key === this.#shown) return;
    const previous = this.#shown.split(":")[0];
    this.#shown = key;
    this.dataset.state = state;
    let text: string;
    if (state === "connected") text = "Connected";
    else if (state === "closed") text = describeEnding(outcome ?? "unreachable", detail, closeCode);
    else text = attempt > 0 ? `Connection lost; reconnecting (attempt ${attempt})…` : "Connecting…";
    part(this, "status").textContent = text;
    publishClassPoll({ role: state === "connected" ? this.#session.role : null });
    part(this, "retry").hidden = !(state === "closed" && (outcome === "replaced" || outcome === "unreachable"));
    part(this, "leave").hidden = state === "closed" && outcome !== "replaced" && outcome !== "unreachable";
    part<HTMLInputElement>(this, "follow").disabled = state === "closed";
    if (state !== previous && (state !== "connecting" || attempt > 0))
      this.#announce(state === "connected" ? `Connected to room ${this.#session.code}.` : text);

    if (state === "connected" && previous !== "connected" && this.#session.role === "teacher") {
      // Arriving on a page (or back after a blip): bring the students here.
      this.#throttle.reset();
      this.#throttle.push(location.hash);
    }
    if (state === "closed" && outcome === "removed" && this.#session.role === "student")
      rememberRemoval(this.#session.code, this.#session.resume);
    if (state === "closed" && outcome && forgetsSession(outcome)) this.#saveSession(null);
  }

  /** A student who has not answered the teacher's open question gets a link to its card (on this page or another lesson). */
  #renderPollNote(): void {
    const note = part(this, "poll-note");
    const { poll, mine } = classPoll();
    if (this.#session?.role !== "student" || !poll?.open || mine !== null) {
      note.hidden = true;
      return;
    }
    const link = part<HTMLAnchorElement>(this, "poll-link");
    const here = document.body.dataset.lessonSlug === poll.lesson;
    link.href = `${here ? "" : `/lessons/${poll.lesson}/`}#prediction-${poll.card}`;
    if (!note.hidden && link.textContent === poll.question) return;
    link.textContent = poll.question;
    note.hidden = false;
    this.#announce(`The teacher asks the class: ${poll.question}`);
  }

  #announce(text: string): void {
    part(this, "announcer").textContent = text;
  }

  #onServerMessage(message: ServerMessage): void {
    if (message.type === "poll") {
      const poll = {
        id: message.id,
        lesson: message.lesson,
        card: message.card,
        question: message.question,
        choices: message.choices,
        open: message.open,
      };
      publishClassPoll(message.yours === undefined ? { poll } : { poll, mine: message.yours });
    }
    if (message.type === "tally")
      publishClassPoll({
        tally: { poll: message.poll, counts: message.counts, answered: message.answered, students: message.students },
      });
    if (message.type === "joined" && this.#session?.role === "student" && message.resume !== this.#session.resume) {
      this.#saveSession({ ...this.#session, resume: message.resume });
    }
    if (message.type === "follow" && this.#session?.role === "student") {
      this.#lastFollow = { lesson: message.lesson, hash: message.hash };
      this.#follow(this.#lastFollow);
    }
  }

  #follow(target: { lesson: string; hash: string }): void {
    if (this.#session?.role !== "student") return;
    const action = actionForFollow(
      target,
      { lesson: document.body.dataset.lessonSlug || null, hash: location.hash },
      this.#session.following,
    );
    if (action.kind === "navigate") {
      this.#announce("Following the teacher to another lesson…");
      location.assign(action.url);
      return;
    }
    if (action.kind !== "apply-hash") return;
    const oldURL = location.href;
    const url = new URL(location.href);
    url.hash = action.hash;
    history.replaceState(history.state, "", url);
    window.dispatchEvent(new HashChangeEvent("hashchange", { oldURL, newURL: location.href }));
    // A widget named by the hash may not have loaded yet (widgets load when seen): bring it
    // into view, and it reads the hash as it starts. Presenter mode shows its own section.
    if (!document.documentElement.hasAttribute("data-presenter")) {
      const selector = widgetSelectorForHash(action.hash);
      if (selector) document.querySelector(selector)?.scrollIntoView({ block: "start" });
    }
    this.#announce(followNote(action.hash));
  }

  #setFollowing(following: boolean): void {
    if (this.#session?.role !== "student") return;
    this.#session = { ...this.#session, following };
    this.dataset.following = String(following);
    this.#saveSession(this.#session);
    this.#announce(following ? "Following the teacher again." : "You no longer follow the teacher.");
    // Catch up with where the teacher went while this student looked around.
    if (following && this.#lastFollow) this.#follow(this.#lastFollow);
  }

  #deepLinkChanged(hash: string): void {
    if (this.#session?.role !== "teacher") return;
    this.#throttle.push(hash);
  }

  #sendFollow(hash: string): void {
    const actor = this.#actor;
    if (!actor || !actor.getSnapshot().matches({ online: "connected" })) {
      // Not connected: the arrival follow after reconnecting sends the latest place anyway.
      this.#throttle.reset();
      return;
    }
    const message = followMessageFor(document.body.dataset.lessonSlug, hash);
    if (!message) return;
    actor.send({ type: "link.send", message });
    const target = describeFollowTarget(message.hash);
    part(this, "status").textContent = `Connected · students follow you${target ? ` to ${target}` : " here"}`;
  }

  #leave(): void {
    this.#throttle.cancel();
    this.#actor?.send({ type: "link.leave" });
    this.#saveSession(null);
  }

  #saveSession(session: ClassroomSession | null): void {
    this.#savingSession = true;
    try {
      saveClassroomSession(session);
    } finally {
      this.#savingSession = false;
    }
    if (session) this.#session = session;
  }

  /** Another part of the page (the classroom widget) joined, left or switched rooms. */
  #sessionChanged(): void {
    if (this.#savingSession) return;
    const session = loadClassroomSession();
    const current = this.#session;
    if (session && current && session.role === current.role && session.code === current.code) {
      this.#session = session;
      if (session.role === "student") {
        this.dataset.following = String(session.following);
        part<HTMLInputElement>(this, "follow").checked = session.following;
      }
      return;
    }
    this.#start(session);
  }
}
