// <sp-prediction>: the "predict before you press" card (Prediction.astro). Alone, the reader's
// prediction is kept for this tab (sessionStorage), so it is still there after the live step.
// In a classroom it follows the room's question through the shared class-poll store, fed by
// the classroom bar's room connection: the teacher asks and reveals from here, a student's
// choice goes to the lab, and the tally the lab computed is drawn as bars.
import { classPoll, sendClassPoll, subscribeClassPoll, type ClassPollSnapshot } from "../shared/class-poll.ts";
import { answeredText, cardMode, tallyRows, type CardMode } from "./prediction-view.ts";

function part<T extends HTMLElement = HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-prediction is missing its "${name}" part`);
  return found;
}

export default class PredictionElement extends HTMLElement {
  #abort = new AbortController();
  #unsubscribe: (() => void) | null = null;
  #own: number | null = null;

  get #card(): string {
    return this.dataset.card ?? "";
  }

  get #lesson(): string {
    return document.body.dataset.lessonSlug ?? "";
  }

  get #storageKey(): string {
    return `sp:prediction:${this.#lesson}:${this.#card}`;
  }

  get #choices(): string[] {
    return [...this.querySelectorAll<HTMLInputElement>('input[type="radio"]')].map(
      (input) => input.closest("label")?.textContent?.trim() ?? "",
    );
  }

  connectedCallback(): void {
    this.#abort = new AbortController();
    const signal = this.#abort.signal;
    try {
      const stored = sessionStorage.getItem(this.#storageKey);
      this.#own = stored === null ? null : Number(stored);
    } catch {
      this.#own = null;
    }
    part<HTMLFormElement>(this, "form").addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        this.#lockIn();
      },
      { signal },
    );
    part(this, "ask").addEventListener(
      "click",
      () => {
        const question = this.querySelector("legend")?.textContent?.trim() ?? "";
        sendClassPoll({ type: "ask", lesson: this.#lesson, card: this.#card, question, choices: this.#choices });
      },
      { signal },
    );
    part(this, "reveal").addEventListener("click", () => sendClassPoll({ type: "reveal" }), { signal });
    this.#unsubscribe = subscribeClassPoll((room) => this.#render(room));
    this.#render(classPoll());
    this.toggleAttribute("data-ready", true);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    this.#unsubscribe?.();
  }

  #chosen(): number | null {
    const input = this.querySelector<HTMLInputElement>('input[type="radio"]:checked');
    return input ? Number(input.value) : null;
  }

  #lockIn(): void {
    const choice = this.#chosen();
    const status = part(this, "status");
    if (choice === null) {
      status.textContent = "Pick one answer first.";
      return;
    }
    const room = classPoll();
    if (cardMode(this.#card, this.#lesson, room).kind === "student-answering" && room.poll) {
      if (!sendClassPoll({ type: "predict", poll: room.poll.id, choice }))
        status.textContent = "The room connection is down; your answer could not be sent. Try again in a moment.";
      return;
    }
    this.#own = choice;
    try {
      sessionStorage.setItem(this.#storageKey, String(choice));
    } catch {
      /* kept for this page only */
    }
    this.#render(room);
  }

  #render(room: ClassPollSnapshot): void {
    const mode = cardMode(this.#card, this.#lesson, room);
    this.dataset.mode = mode.kind;
    const choices = this.#choices;
    const teacher = mode.kind === "teacher-idle" || mode.kind === "teacher-asking";
    part(this, "ask").hidden = mode.kind !== "teacher-idle";
    part(this, "reveal").hidden = mode.kind !== "teacher-asking";
    part(this, "lock").hidden = teacher || mode.kind === "revealed";
    part(this, "lock").textContent =
      mode.kind === "student-answering"
        ? room.mine === null
          ? "Send my answer"
          : "Change my answer"
        : "Lock in my prediction";
    for (const input of this.querySelectorAll<HTMLInputElement>('input[type="radio"]'))
      input.disabled = teacher || mode.kind === "revealed";
    part(this, "status").textContent = this.#statusText(mode, room, choices);

    const tally = part(this, "tally");
    const shown =
      (mode.kind === "teacher-asking" || mode.kind === "revealed") && room.tally && room.poll ? room.tally : null;
    tally.hidden = shown === null;
    if (!shown) return;
    part(this, "answered").textContent =
      `${answeredText(shown.answered, shown.students)}${mode.kind === "revealed" ? " (final)" : " so far"}`;
    const rows = tallyRows(room.poll!.choices, shown.counts, mode.kind === "revealed" ? room.mine : null);
    const list = part<HTMLOListElement>(this, "tally-rows");
    while (list.children.length > rows.length) list.lastElementChild!.remove();
    rows.forEach((row, i) => {
      let li = list.children[i] as HTMLLIElement | undefined;
      if (!li) {
        li = document.createElement("li");
        li.className = "tally-row";
        const label = document.createElement("span");
        label.className = "label";
        const track = document.createElement("span");
        track.className = "track";
        track.setAttribute("aria-hidden", "true");
        const fill = document.createElement("span");
        fill.className = "fill";
        track.append(fill);
        const figure = document.createElement("span");
        figure.className = "figure";
        li.append(label, track, figure);
        list.append(li);
      }
      li.toggleAttribute("data-mine", row.mine);
      li.querySelector(".label")!.textContent = row.mine ? `${row.choice} (yours)` : row.choice;
      (li.querySelector(".fill") as HTMLElement).style.width = `${row.percent}%`;
      li.querySelector(".figure")!.textContent = `${row.count} · ${row.percent}%`;
    });
  }

  #statusText(mode: CardMode, room: ClassPollSnapshot, choices: string[]): string {
    const own = this.#own === null ? null : choices[this.#own];
    switch (mode.kind) {
      case "alone":
        return own
          ? `You predicted “${own}”. Now try it below and see what really happens.`
          : "Choose an answer and lock it in before you try it below.";
      case "elsewhere":
        return `The teacher is asking the class another question: “${mode.question}”.`;
      case "teacher-idle":
        return "Ask the class to predict before you press: their answers are counted by the lab and shown here.";
      case "teacher-asking":
        return "The class is answering on their screens. Reveal the answers when everyone is in, then run the step.";
      case "student-answering":
        return room.mine === null
          ? "The teacher asks the class: choose your answer and send it."
          : `Your answer “${choices[room.mine] ?? ""}” is in. You can change it until the teacher reveals the class's answers.`;
      case "revealed":
        return "The class's predictions. Now watch what really happens.";
    }
  }
}
