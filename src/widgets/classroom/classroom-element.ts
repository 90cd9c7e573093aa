// <sp-classroom>: the classroom room. The markup comes from Classroom.astro; this class runs the
// room connection machine (machines/room-connection.ts) over a tapped WebSocket (shared/tapped-socket.ts), renders
// every snapshot, keeps the per-tab classroom session in step (so the classroom bar on lesson
// pages reconnects as the same person), and turns clicks and key presses into machine events.
// Everything a participant typed is put on the page with textContent, never as HTML.
import { createActor } from "xstate";
import { buildCaptureView } from "../../protocol/capture.ts";
import type { TapEvent } from "../../protocol/tap-events.ts";
import {
  loadClassroomSession,
  rememberRemoval,
  removalTokenFor,
  saveClassroomSession,
  type ClassroomSession,
} from "../shared/classroom-session.ts";
import { checkCloseReason, checkJoin, checkMessage, counterText } from "./forms.ts";
import { codeFromSearch, joinAddress, joinUrlWithCode, spacedCode, START_FOR_LAN } from "./join-address.ts";
import { describeRow, frameRows, ownTraffic, type FrameRow } from "./own-frames.ts";
import { SECRET_NOTE } from "../../protocol/room-secrets.ts";
import { drawQr } from "./qr-svg.ts";
import {
  phaseOf,
  roomConnectionMachine,
  type Intent,
  type RoomConnectionActor,
  type RoomContext,
  type RoomSnapshot,
} from "../../machines/room-connection.ts";
import {
  bytesText,
  countText,
  describeEnd,
  describeRefusal,
  doorView,
  messageItems,
  participantItems,
  presenceChanges,
  presenceCounts,
  presenceSummary,
  roleLabel,
} from "./room-view.ts";
import { createTappedSocket } from "../shared/tapped-socket.ts";
import { formatCount } from "../shared/format-count.ts";

function part<T extends Element>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-classroom is missing its "${name}" part`);
  return found;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const FRAME_RENDER_INTERVAL_MS = 250;
const MAX_TAP_EVENTS = 20_000;

export default class ClassroomElement extends HTMLElement {
  #actor: RoomConnectionActor | null = null;
  #socket: ReturnType<typeof createTappedSocket> | null = null;
  #abort = new AbortController();
  #renderedMessages = new Set<number>();
  #lastParticipants: RoomContext["participants"] = [];
  #lastPhase = "";
  #lastStatus = "";
  #savedSession = "";
  #following = false;
  /** The teacher's place when following was switched on or the room was entered: only later moves navigate. */
  #followBaseline: RoomContext["follow"] = null;
  #confirmRemove: string | null = null;
  #confirmClose = false;
  #tapEvents: TapEvent[] = [];
  #tapped: boolean | null = null;
  #tapProblem: string | null = null;
  #framesTimer: number | null = null;
  #renderedFrameKeys: string[] = [];
  #qrFor = "";
  #applyingSessionEvent = false;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    // The room socket goes through the wire tap so the reader can see its frames; without the
    // tap the room still opens, untapped, and the widget says why the frames are missing.
    this.#socket = createTappedSocket({
      onEvent: (event) => this.#tapEvent(event),
      onProblem: () => {},
      whenUntappable: "open-untapped",
      onTap: (tapped, problem) => {
        this.#tapped = tapped;
        this.#tapProblem = problem;
        this.#scheduleFrames();
      },
    });
    const actor = createActor(roomConnectionMachine.provide({ actors: { socket: this.#socket.actor } }), {
      input: { url: this.dataset.path ?? "/lab/room" },
    });
    this.#actor = actor;

    const code = part<HTMLInputElement>(this, "code");
    const nickname = part<HTMLInputElement>(this, "nickname");
    const fromLink = codeFromSearch(location.search);
    if (fromLink && code.value === "") code.value = fromLink;

    part<HTMLButtonElement>(this, "create").addEventListener("click", () => actor.send({ type: "room.create" }), {
      signal,
    });

    const joinForm = part<HTMLFormElement>(this, "join-form");
    joinForm.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const check = checkJoin(code.value, nickname.value);
        this.#fieldError(code, "code-error", check.ok ? null : (check.code ?? null));
        this.#fieldError(nickname, "nickname-error", check.ok ? null : (check.nickname ?? null));
        if (!check.ok) {
          (check.code ? code : nickname).focus();
          return;
        }
        code.value = check.code;
        const barred = removalTokenFor(check.code);
        actor.send(
          barred
            ? { type: "room.join", code: check.code, nickname: check.nickname, resume: barred }
            : { type: "room.join", code: check.code, nickname: check.nickname },
        );
      },
      { signal },
    );

    const messageForm = part<HTMLFormElement>(this, "message-form");
    const message = part<HTMLInputElement>(this, "message");
    const counter = part<HTMLElement>(this, "counter");
    const updateCounter = (): void => {
      const check = checkMessage(message.value);
      counter.textContent = counterText(check);
      counter.classList.toggle("over", check.remaining < 0);
      if (check.remaining >= 0 && message.getAttribute("aria-invalid"))
        this.#fieldError(message, "message-error", null);
    };
    message.addEventListener("input", updateCounter, { signal });
    messageForm.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        const check = checkMessage(message.value);
        this.#fieldError(message, "message-error", check.problem);
        if (check.problem) {
          message.focus();
          return;
        }
        actor.send({ type: "room.say", text: message.value });
        message.value = "";
        updateCounter();
        message.focus();
      },
      { signal },
    );
    updateCounter();

    part<HTMLElement>(this, "participants").addEventListener(
      "click",
      (event) => {
        const button = (event.target as Element).closest<HTMLButtonElement>("button[data-part]");
        const item = button?.closest<HTMLElement>("[data-participant-id]");
        if (!button || !item) return;
        const id = item.dataset.participantId!;
        if (button.dataset.part === "remove") {
          this.#confirmRemove = id;
          this.#render();
          item.querySelector<HTMLButtonElement>('[data-part="remove-confirm"]')?.focus();
        } else if (button.dataset.part === "remove-confirm") {
          this.#confirmRemove = null;
          actor.send({ type: "room.request", message: { type: "remove", participant: id } });
          this.#announce(`Removing ${item.dataset.nickname ?? "the participant"}.`);
          this.#render();
          part<HTMLElement>(this, "participants").focus();
        } else if (button.dataset.part === "remove-cancel") {
          this.#confirmRemove = null;
          this.#render();
          item.querySelector<HTMLButtonElement>('[data-part="remove"]')?.focus();
        }
      },
      { signal },
    );

    part<HTMLButtonElement>(this, "lock").addEventListener(
      "click",
      () => {
        const locked = !(actor.getSnapshot().context.roomState?.locked ?? false);
        actor.send({ type: "room.request", message: { type: "lock", locked } });
        this.#announce(locked ? "Locking the room." : "Unlocking the room.");
      },
      { signal },
    );
    part<HTMLElement>(this, "barred").addEventListener(
      "click",
      (event) => {
        const button = (event.target as Element).closest<HTMLButtonElement>('button[data-part="readmit"]');
        const item = button?.closest<HTMLElement>("[data-participant-id]");
        if (!button || !item) return;
        actor.send({ type: "room.request", message: { type: "readmit", participant: item.dataset.participantId! } });
        this.#announce(`Letting ${item.dataset.nickname ?? "the student"} back in.`);
        part<HTMLButtonElement>(this, "lock").focus();
      },
      { signal },
    );

    const closeReason = part<HTMLInputElement>(this, "close-reason");
    part<HTMLButtonElement>(this, "close-room").addEventListener(
      "click",
      () => {
        const check = checkCloseReason(closeReason.value);
        this.#fieldError(closeReason, "close-error", check.ok ? null : check.reason);
        if (!check.ok) return closeReason.focus();
        this.#confirmClose = true;
        this.#render();
        part<HTMLButtonElement>(this, "close-room-confirm").focus();
      },
      { signal },
    );
    part<HTMLButtonElement>(this, "close-room-confirm").addEventListener(
      "click",
      () => {
        const check = checkCloseReason(closeReason.value);
        this.#confirmClose = false;
        if (check.ok) actor.send({ type: "room.request", message: { type: "close-room", reason: check.reason } });
        this.#render();
      },
      { signal },
    );
    part<HTMLButtonElement>(this, "close-room-cancel").addEventListener(
      "click",
      () => {
        this.#confirmClose = false;
        this.#render();
        part<HTMLButtonElement>(this, "close-room").focus();
      },
      { signal },
    );

    part<HTMLButtonElement>(this, "leave").addEventListener("click", () => actor.send({ type: "room.leave" }), {
      signal,
    });
    part<HTMLButtonElement>(this, "retry").addEventListener("click", () => actor.send({ type: "room.retry" }), {
      signal,
    });

    const projector = part<HTMLButtonElement>(this, "projector");
    projector.addEventListener("click", () => this.#setProjector(!this.hasAttribute("data-projector")), { signal });
    document.addEventListener(
      "keydown",
      (event) => {
        if (event.key === "Escape" && this.hasAttribute("data-projector")) {
          this.#setProjector(false);
          projector.focus();
        }
      },
      { signal },
    );

    const follow = part<HTMLInputElement>(this, "follow");
    follow.addEventListener(
      "change",
      () => {
        this.#following = follow.checked;
        this.#followBaseline = actor.getSnapshot().context.follow;
        this.#syncSession(actor.getSnapshot());
        this.#announce(
          follow.checked
            ? "You follow the teacher: when they move to another lesson or step, this page moves too."
            : "You no longer follow the teacher.",
        );
      },
      { signal },
    );

    // The classroom bar (or another widget) changed or ended the session in this tab.
    document.addEventListener(
      "sp:classroom-session",
      (event) => {
        if (this.#applyingSessionEvent) return;
        const session = (event as CustomEvent<ClassroomSession | null>).detail;
        this.#savedSession = session ? JSON.stringify(session) : "";
        const phase = phaseOf(actor.getSnapshot());
        if (session === null && phase !== "idle" && phase !== "closed") actor.send({ type: "room.leave" });
        if (session?.role === "student" && session.following !== this.#following) {
          this.#following = session.following;
          follow.checked = session.following;
        }
      },
      { signal },
    );

    actor.subscribe((snapshot) => this.#onSnapshot(snapshot));
    actor.start();

    const session = loadClassroomSession();
    if (session) {
      this.#savedSession = JSON.stringify(session);
      if (session.role === "student") {
        this.#following = session.following;
        follow.checked = session.following;
      }
      const intent: Intent =
        session.role === "teacher"
          ? { type: "teach", code: session.code, teacherKey: session.teacherKey }
          : { type: "join", code: session.code, nickname: session.nickname, resume: session.resume };
      actor.send({ type: "room.resume", intent });
    }

    part<HTMLElement>(this, "loading-note").hidden = true;
    this.#render();
    this.toggleAttribute("data-ready", true);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#actor?.stop();
    this.#actor = null;
    this.#socket?.dispose();
    this.#socket = null;
    if (this.#framesTimer !== null) window.clearTimeout(this.#framesTimer);
    this.#framesTimer = null;
  }

  #setProjector(on: boolean): void {
    this.toggleAttribute("data-projector", on);
    const button = part<HTMLButtonElement>(this, "projector");
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "Leave projector view" : "Projector view";
    this.#announce(on ? "Projector view: large type, press Escape to leave." : "Projector view off.");
    this.#render();
  }

  #fieldError(input: HTMLInputElement, partName: string, problem: string | null): void {
    const note = part<HTMLElement>(this, partName);
    note.textContent = problem ?? "";
    if (problem) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  #announce(text: string): void {
    const announcer = part<HTMLElement>(this, "announcer");
    // Same text twice is still news to a listener: clear first so it is read again.
    if (announcer.textContent === text) announcer.textContent = "";
    announcer.textContent = text;
  }

  #tapEvent(event: TapEvent): void {
    if (event.type === "open") {
      // Only the latest connection is shown: keep the monitor's hello and start afresh.
      const hello = [...this.#tapEvents].reverse().find((e) => e.type === "hello");
      this.#tapEvents = hello ? [hello] : [];
    }
    this.#tapEvents.push(event);
    if (this.#tapEvents.length > MAX_TAP_EVENTS) this.#tapEvents.splice(1, this.#tapEvents.length - MAX_TAP_EVENTS);
    this.#scheduleFrames();
  }

  #scheduleFrames(): void {
    if (this.#framesTimer !== null) return;
    this.#framesTimer = window.setTimeout(() => {
      this.#framesTimer = null;
      this.#renderFrames();
    }, FRAME_RENDER_INTERVAL_MS);
  }

  #onSnapshot(snapshot: RoomSnapshot): void {
    const { context } = snapshot;
    const phase = phaseOf(snapshot);
    if (phase === "in-room" && this.#lastPhase !== "in-room") {
      this.#followBaseline = context.follow;
      this.#announce(
        context.role === "teacher"
          ? `Room ${spacedCode(context.code ?? "")} is open. Share the code with the class.`
          : `You are in room ${spacedCode(context.code ?? "")} as ${context.you?.nickname ?? ""}.`,
      );
    }
    this.#syncSession(snapshot);
    this.#followTeacher(context);
    this.#render();
    this.#lastPhase = phase;
  }

  /** Saves or forgets the tab's classroom session so every lesson page rejoins as the same person. */
  #syncSession(snapshot: RoomSnapshot): void {
    const { context } = snapshot;
    const phase = phaseOf(snapshot);
    let session: ClassroomSession | null | undefined;
    if (phase === "in-room" && context.code) {
      if (context.role === "teacher" && context.teacherKey)
        session = { role: "teacher", code: context.code, teacherKey: context.teacherKey };
      else if (context.role === "teacher" && context.intent?.type === "teach")
        session = { role: "teacher", code: context.code, teacherKey: context.intent.teacherKey };
      else if (context.role === "student" && context.you && context.resume)
        session = {
          role: "student",
          code: context.code,
          nickname: context.you.nickname,
          resume: context.resume,
          following: this.#following,
        };
    } else if (phase === "closed" && context.end && describeEnd(context.end, context.role).forget) {
      const removed =
        (context.end.kind === "closed" && context.end.code === 4001) ||
        (context.end.kind === "refused" && context.end.refusal.code === "removed");
      if (removed && context.code && context.resume) rememberRemoval(context.code, context.resume);
      session = null;
    } else if (phase === "idle" && this.#lastPhase !== "" && this.#lastPhase !== "idle") {
      session = null; // left the room on purpose
    }
    if (session === undefined) return;
    const text = session ? JSON.stringify(session) : "";
    if (text === this.#savedSession) return;
    this.#savedSession = text;
    this.#applyingSessionEvent = true;
    try {
      saveClassroomSession(session);
    } finally {
      this.#applyingSessionEvent = false;
    }
  }

  #followTeacher(context: RoomContext): void {
    if (context.role !== "student" || !this.#following || !context.follow || context.follow === this.#followBaseline)
      return;
    this.#followBaseline = context.follow;
    if (!/^[a-z0-9-]+$/.test(context.follow.lesson)) return;
    const target = `/lessons/${context.follow.lesson}/`;
    if (location.pathname.replace(/\/?$/, "/") === target && location.hash === context.follow.hash) return;
    location.assign(`${target}${context.follow.hash}`);
  }

  #render(): void {
    const actor = this.#actor;
    if (!actor) return;
    const snapshot = actor.getSnapshot();
    const { context } = snapshot;
    const phase = phaseOf(snapshot);
    this.dataset.state = phase;
    this.dataset.role = context.role ?? "";
    if (phase !== "in-room" && this.hasAttribute("data-projector")) {
      this.toggleAttribute("data-projector", false);
      part<HTMLButtonElement>(this, "projector").setAttribute("aria-pressed", "false");
      part<HTMLButtonElement>(this, "projector").textContent = "Projector view";
    }

    const inRoomish = phase === "in-room" || (phase === "connecting" && context.welcomed);
    part<HTMLElement>(this, "entry").hidden = inRoomish;
    part<HTMLElement>(this, "room").hidden = !inRoomish;
    const busy = phase === "connecting";
    part<HTMLButtonElement>(this, "create").disabled = busy;
    part<HTMLButtonElement>(this, "join").disabled = busy;

    this.#renderStatus(snapshot);
    if (!inRoomish) return;
    this.#renderShare(context);
    this.#renderMessages(context);
    this.#renderParticipants(context, phase === "in-room");
    this.#renderTeacherTools(context, phase === "in-room");
    this.#renderDoor(context, phase === "in-room");
    this.#renderStats(context);
    part<HTMLButtonElement>(this, "send").disabled = phase !== "in-room";
    part<HTMLButtonElement>(this, "leave").hidden = context.role !== "student";
    part<HTMLButtonElement>(this, "projector").hidden = context.role !== "teacher";
    part<HTMLElement>(this, "follow-row").hidden = context.role !== "student";
    const followNote = part<HTMLElement>(this, "follow-note");
    followNote.replaceChildren();
    if (context.role === "student" && context.follow) {
      followNote.append("The teacher is at ");
      const link = el("a", undefined, `${context.follow.lesson}${context.follow.hash}`);
      link.href = `/lessons/${context.follow.lesson}/${context.follow.hash}`;
      followNote.append(link, ".");
    }
  }

  #renderStatus(snapshot: RoomSnapshot): void {
    const { context } = snapshot;
    const phase = phaseOf(snapshot);
    const status = part<HTMLElement>(this, "status");
    const retry = part<HTMLButtonElement>(this, "retry");
    let text: string;
    let tone = "info";
    retry.hidden = true;
    if (snapshot.matches("reconnecting")) {
      const close = context.outageCause ?? context.lastClose;
      text = `The connection to the room dropped${close ? ` (${close.code}${close.reason ? ` “${close.reason}”` : ""})` : ""}. Reconnecting in ${(context.nextDelayMs / 1000).toFixed(1)} s, attempt ${context.attempt} of ${context.backoff.attempts}, as ${context.role === "teacher" ? "the teacher (with this tab's teacher key)" : `${context.you?.nickname ?? "the same student"} (with this tab's resume token)`}…`;
      tone = "warn";
      retry.hidden = false;
      retry.textContent = "Reconnect now";
    } else if (phase === "connecting") {
      const intent = context.intent;
      text = !snapshot.matches({ session: "greeting" })
        ? "Connecting to the lab…"
        : intent?.type === "create"
          ? "Asking the lab for a new room…"
          : intent?.type === "teach"
            ? `Coming back to room ${spacedCode(intent.code)} as the teacher…`
            : `Joining room ${spacedCode(intent?.code ?? "")}…`;
      if (context.attempt > 0) {
        text = `Reconnecting (attempt ${context.attempt} of ${context.backoff.attempts})… ${text}`;
        tone = "warn";
      }
    } else if (phase === "in-room") {
      const who = context.role === "teacher" ? "the teacher" : `${context.you?.nickname ?? ""} (student)`;
      text = `In room ${spacedCode(context.code ?? "")} as ${who}. ${presenceSummary(presenceCounts(context.participants))}`;
      tone = "ok";
      if (context.refusal) {
        text = `${describeRefusal(context.refusal)} ${text}`;
        tone = "warn";
      }
    } else if (phase === "closed" && context.end) {
      const end = describeEnd(context.end, context.role);
      text = end.text;
      tone = "bad";
      if (end.canRetry) {
        retry.hidden = false;
        retry.textContent = context.role === "teacher" ? "Reconnect as the teacher" : "Rejoin";
      }
    } else if (context.refusal) {
      text = describeRefusal(context.refusal);
      tone = "bad";
    } else {
      text = "Not in a room yet. Teachers open a room; students join with the code the teacher shows.";
    }
    status.textContent = text;
    status.dataset.tone = tone;
    if (text !== this.#lastStatus) {
      this.#lastStatus = text;
      if (tone !== "ok" && tone !== "info") this.#announce(text);
    }
    // Refusals of the join form belong next to the form as well.
    part<HTMLElement>(this, "join-error").textContent =
      phase === "idle" && context.refusal ? describeRefusal(context.refusal) : "";
  }

  #renderShare(context: RoomContext): void {
    const code = context.code ?? "";
    part<HTMLElement>(this, "room-code").textContent = spacedCode(code);
    part<HTMLElement>(this, "room-code").setAttribute("aria-label", `Room code ${[...code].join(" ")}`);
    const share = part<HTMLElement>(this, "share");
    share.hidden = context.role !== "teacher";
    if (context.role !== "teacher" || !code) return;
    const address = joinAddress(location);
    const url = joinUrlWithCode(address.origin, code);
    const link = part<HTMLAnchorElement>(this, "join-url");
    link.href = url;
    link.textContent = url;
    const note = part<HTMLElement>(this, "loopback-note");
    note.hidden = !address.loopback;
    note.textContent = address.loopback
      ? `This page was opened at ${address.origin}, an address only this computer can reach. Start the server with “${START_FOR_LAN}” and open the join page at the address it prints, so students can use the link and the QR code.`
      : "";
    if (this.#qrFor !== url) {
      this.#qrFor = url;
      drawQr(part<SVGSVGElement>(this, "join-qr"), url, `QR code for ${url}`);
    }
  }

  #renderMessages(context: RoomContext): void {
    const list = part<HTMLOListElement>(this, "messages");
    const scroller = part<HTMLElement>(this, "messages-scroller");
    const nearBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
    const items = messageItems(context.messages, context.you?.id ?? null);
    const keep = new Set(items.map((i) => i.id));
    for (const li of [...list.children] as HTMLElement[]) {
      const id = Number(li.dataset.messageId);
      if (!keep.has(id)) {
        li.remove();
        this.#renderedMessages.delete(id);
      }
    }
    const fresh: string[] = [];
    for (const item of items) {
      if (this.#renderedMessages.has(item.id)) continue;
      this.#renderedMessages.add(item.id);
      const li = el("li", "message");
      li.dataset.messageId = String(item.id);
      li.dataset.role = item.role;
      if (item.mine) li.dataset.mine = "";
      const head = el("p", "message-head");
      const nick = el("strong", "nick", item.nickname);
      const badge = el("span", `role-badge role-${item.role}`, roleLabel[item.role]);
      const time = el("time", "time", item.time);
      time.dateTime = item.datetime;
      head.append(nick, " ", badge, " ", time);
      if (item.mine) head.append(" ", el("span", "mine-note", "(you)"));
      const text = el("p", "message-text", item.text);
      text.dataset.part = "message-text";
      li.append(head, text);
      list.append(li);
      if (!item.mine) fresh.push(`${item.nickname}${item.role === "teacher" ? " (teacher)" : ""}: ${item.text}`);
    }
    part<HTMLElement>(this, "messages-empty").hidden = items.length > 0;
    part<HTMLElement>(this, "messages-dropped").textContent =
      context.droppedMessages > 0 ? `${countText(context.droppedMessages, "older message")} no longer shown.` : "";
    if (fresh.length > 0) {
      // A room's history arrives all at once on joining: announce how much, not every line.
      this.#announce(fresh.length > 3 ? `${fresh.length} messages. Latest: ${fresh.at(-1)}` : fresh.join(" "));
    }
    if (fresh.length > 0 || nearBottom) scroller.scrollTop = scroller.scrollHeight;
  }

  #renderParticipants(context: RoomContext, live: boolean): void {
    const list = part<HTMLUListElement>(this, "participants");
    const selfId = context.you?.id ?? null;
    const items = participantItems(context.participants, selfId);
    if (this.#lastParticipants !== context.participants) {
      const changes =
        this.#lastParticipants.length || context.participants.length
          ? presenceChanges(this.#lastParticipants, context.participants, selfId)
          : [];
      // The first list after joining is not news; later changes are.
      if (this.#lastParticipants.length > 0 && changes.length > 0) this.#announce(changes.join(" "));
      this.#lastParticipants = context.participants;
    }
    const existing = new Map(
      [...list.children].map((li) => [(li as HTMLElement).dataset.participantId!, li as HTMLLIElement]),
    );
    if (this.#confirmRemove && !items.some((i) => i.id === this.#confirmRemove)) this.#confirmRemove = null;
    const teacher = context.role === "teacher";
    items.forEach((item, index) => {
      let li = existing.get(item.id);
      existing.delete(item.id);
      if (!li) {
        li = el("li", "participant");
        li.dataset.participantId = item.id;
        li.append(
          el("span", "nick"),
          " ",
          el("span", "role-badge"),
          " ",
          el("span", "presence"),
          el("span", "actions"),
        );
      }
      li.dataset.nickname = item.nickname;
      li.dataset.role = item.role;
      li.dataset.status = item.status;
      const [nick, badge, presence] = [
        li.querySelector(".nick")!,
        li.querySelector(".role-badge")!,
        li.querySelector(".presence")!,
      ];
      nick.textContent = item.you ? `${item.nickname} (you)` : item.nickname;
      badge.textContent = roleLabel[item.role];
      badge.className = `role-badge role-${item.role}`;
      presence.textContent = item.status;
      const actions = li.querySelector<HTMLElement>(".actions")!;
      const wanted =
        teacher && item.role === "student" ? (this.#confirmRemove === item.id ? "confirm" : "remove") : "none";
      if (actions.dataset.mode !== wanted) {
        actions.dataset.mode = wanted;
        actions.replaceChildren();
        if (wanted === "remove") {
          const remove = el("button", "remove", "Remove");
          remove.type = "button";
          remove.dataset.part = "remove";
          remove.setAttribute("aria-label", `Remove ${item.nickname}`);
          actions.append(remove);
        } else if (wanted === "confirm") {
          const question = el("span", "confirm-question", `Remove ${item.nickname} from the room?`);
          const yes = el("button", "danger", "Yes, remove");
          yes.type = "button";
          yes.dataset.part = "remove-confirm";
          yes.setAttribute("aria-label", `Yes, remove ${item.nickname}`);
          const no = el("button", undefined, "Cancel");
          no.type = "button";
          no.dataset.part = "remove-cancel";
          actions.append(question, " ", yes, " ", no);
        }
      }
      for (const button of actions.querySelectorAll("button")) button.disabled = !live;
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
    });
    for (const stale of existing.values()) stale.remove();
  }

  #renderDoor(context: RoomContext, live: boolean): void {
    part<HTMLElement>(this, "door-tools").hidden = context.role !== "teacher";
    if (context.role !== "teacher") return;
    const view = doorView(context.roomState);
    const lock = part<HTMLButtonElement>(this, "lock");
    lock.textContent = view.lockLabel;
    lock.setAttribute("aria-pressed", String(context.roomState?.locked ?? false));
    lock.disabled = !live || !context.roomState;
    part<HTMLElement>(this, "lock-note").textContent = view.lockNote;
    part<HTMLElement>(this, "barred-note").textContent = view.barredNote;
    const barred = context.roomState?.barred ?? [];
    const list = part<HTMLUListElement>(this, "barred");
    const shown = [...list.children].map((li) => (li as HTMLElement).dataset.participantId).join("|");
    if (shown !== barred.map((b) => b.id).join("|")) {
      list.replaceChildren(
        ...barred.map((b) => {
          const li = el("li", "barred-item");
          li.dataset.participantId = b.id;
          li.dataset.nickname = b.nickname;
          const button = el("button", undefined, "Let back in");
          button.type = "button";
          button.dataset.part = "readmit";
          button.setAttribute("aria-label", `Let ${b.nickname} back in`);
          li.append(el("span", "nick", b.nickname), " ", button);
          return li;
        }),
      );
    }
    for (const button of list.querySelectorAll("button")) button.disabled = !live;
  }

  #renderTeacherTools(context: RoomContext, live: boolean): void {
    const tools = part<HTMLElement>(this, "teacher-tools");
    tools.hidden = context.role !== "teacher";
    part<HTMLElement>(this, "close-confirm-row").hidden = !this.#confirmClose;
    part<HTMLButtonElement>(this, "close-room").hidden = this.#confirmClose;
    part<HTMLButtonElement>(this, "close-room").disabled = !live;
    part<HTMLButtonElement>(this, "close-room-confirm").disabled = !live;
  }

  #renderStats(context: RoomContext): void {
    const view = buildCaptureView(this.#tapEvents);
    const own = ownTraffic(view);
    const rows: [string, string][] = [];
    if (context.stats) {
      const s = context.stats;
      rows.push(["Room messages relayed", formatCount(s.messages)]);
      rows.push(["Frames into the lab (all connections)", `${formatCount(s.framesIn)} · ${bytesText(s.bytesIn)}`]);
      rows.push(["Frames out of the lab (all connections)", `${formatCount(s.framesOut)} · ${bytesText(s.bytesOut)}`]);
    }
    if (this.#tapped) {
      rows.push(["This connection: frames up (masked)", `${formatCount(own.framesUp)} · ${bytesText(own.bytesUp)}`]);
      rows.push([
        "This connection: frames down (unmasked)",
        `${formatCount(own.framesDown)} · ${bytesText(own.bytesDown)}`,
      ]);
    }
    const t = context.traffic;
    rows.push(["This page: room messages sent / received", `${formatCount(t.sent)} / ${formatCount(t.received)}`]);
    const list = part<HTMLDListElement>(this, "stats-list");
    list.replaceChildren(
      ...rows.map(([term, value]) => {
        const row = el("div", "stat");
        row.append(el("dt", undefined, term), el("dd", undefined, value));
        return row;
      }),
    );
    part<HTMLElement>(this, "stats-note").textContent = context.stats
      ? "Room figures come from the lab's own counts (sent at most once a second); this connection's figures come from its captured bytes."
      : "Waiting for the lab's first traffic report.";
  }

  #renderFrames(): void {
    const actor = this.#actor;
    if (!actor) return;
    const note = part<HTMLElement>(this, "frames-note");
    const list = part<HTMLOListElement>(this, "frames");
    const view = buildCaptureView(this.#tapEvents);
    if (this.#tapped === false) {
      note.textContent = `The lab's wire tap could not be opened (${this.#tapProblem ?? "unknown reason"}), so this connection's frames cannot be shown. The room still works.`;
    } else if (view.specimen === null) {
      note.textContent = "No room connection yet: open or join a room and its frames appear here.";
    } else {
      const tuple = view.tuple
        ? ` from ${view.tuple.clientAddress}:${view.tuple.clientPort} to ${view.tuple.serverAddress}:${view.tuple.serverPort}`
        : "";
      const extra = view.notes.length ? ` ${view.notes.at(-1)!.text}` : "";
      note.textContent = `Connection #${view.specimen} to ${view.path ?? "/lab/room"}${tuple}: ${countText(view.frames.length, "frame")} so far; the newest are last.${extra}`;
    }
    const rows = frameRows(view);
    const secrets = part<HTMLElement>(this, "secrets-note");
    secrets.hidden = !rows.some((r) => r.redacted);
    secrets.textContent = secrets.hidden ? "" : SECRET_NOTE;
    const keys = rows.map((r) => r.key);
    if (keys.join("|") !== this.#renderedFrameKeys.join("|")) {
      this.#renderedFrameKeys = keys;
      list.replaceChildren(...rows.map((row) => this.#frameItem(row)));
      const scroller = part<HTMLElement>(this, "frames-scroller");
      scroller.scrollTop = scroller.scrollHeight;
    }
    if (!part<HTMLElement>(this, "room").hidden) this.#renderStats(actor.getSnapshot().context);
  }

  #frameItem(row: FrameRow): HTMLLIElement {
    const li = el("li", "frame");
    li.dataset.dir = row.dir;
    li.dataset.opcode = row.opcode;
    li.title = describeRow(row);
    const arrow = el("span", "arrow", row.arrow);
    arrow.setAttribute("aria-hidden", "true");
    const mask = el("span", "mask", row.masked ? `masked, key ${row.maskingKey ?? "?"}` : "unmasked");
    li.append(
      arrow,
      el("span", "who", row.who),
      el("code", "op", row.opcode),
      el("span", "size", bytesText(row.size)),
      mask,
      el("span", "payload", row.text),
    );
    return li;
  }
}
