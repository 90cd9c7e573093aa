// The explanation panel for one step (a StepView from protocol/handshake-steps.ts): title, RFC
// sections, paragraphs, the server's checks, the accept comparison, computed values, and the
// lines and bytes involved. Mirrors the build-time markup of HandshakeStepper.astro. Values
// come from captured bytes, so every one is set with textContent.
import type { PreparedHandshake, StepView } from "../../protocol/handshake-steps.ts";

function part<T extends HTMLElement>(root: Element, name: string): T {
  const found = root.querySelector<T>(`[data-part="${name}"]`);
  if (!found) throw new Error(`sp-handshake-stepper is missing its "${name}" part`);
  return found;
}

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const messageName = { request: "Request", response: "Response" } as const;

export function renderExplanation(root: Element, view: StepView, hs: PreparedHandshake): void {
  const doc = root.ownerDocument;
  part(root, "step-title").textContent = view.title;
  part(root, "step-rfc").textContent = view.rfc;
  part(root, "step-body").replaceChildren(...view.paragraphs.map((p) => el(doc, "p", p)));

  const checks = part<HTMLUListElement>(root, "checks");
  checks.hidden = view.checks === null;
  checks.replaceChildren(
    ...(view.checks ?? []).map((check) => {
      const item = el(doc, "li");
      item.dataset.ok = String(check.ok);
      item.dataset.check = check.id;
      const verdict = el(doc, "span", check.optional ? "○ Optional" : check.ok ? "✓ Passes" : "✗ Fails", "verdict");
      const label = el(doc, "strong", check.label);
      const rfc = el(doc, "span", check.rfc, "rfc");
      item.append(verdict, " ", label, " ", rfc, el(doc, "span", check.detail, "detail"));
      return item;
    }),
  );

  const accept = part(root, "accept-check");
  accept.hidden = view.acceptCheck === null;
  if (view.acceptCheck) {
    accept.dataset.match = String(view.acceptCheck.matches);
    accept.textContent = `${view.acceptCheck.matches ? "✓" : "✗"} ${view.acceptCheck.text}`;
  } else {
    delete accept.dataset.match;
    accept.textContent = "";
  }

  const values = part<HTMLDListElement>(root, "values");
  values.hidden = view.values.length === 0;
  values.replaceChildren(
    ...view.values.map((value) => {
      const group = el(doc, "div");
      const dd = el(doc, "dd");
      dd.append(value.code ? el(doc, "code", value.value) : el(doc, "span", value.value));
      if (value.note) dd.append(el(doc, "span", value.note, "note"));
      group.append(el(doc, "dt", value.label), dd);
      return group;
    }),
  );

  // One item per line, with the bytes the step points at inside it; bytes outside any listed line get their own.
  const involved = part<HTMLUListElement>(root, "involved");
  const used = new Set<number>();
  const bytes = (start: number, end: number) =>
    `bytes ${start}–${end - 1} (${end - start} ${end - start === 1 ? "byte" : "bytes"})`;
  // In wire order: request before response, line by line.
  const inOrder = [...view.lines].sort((a, b) =>
    a.message === b.message ? a.line - b.line : a.message === "request" ? -1 : 1,
  );
  const items = inOrder.map((line) => {
    const item = el(doc, "li");
    const message = line.message === "request" ? hs.requestLines : hs.responseLines;
    const wire = message[line.line];
    const text = wire?.text ?? "";
    item.append(
      `${messageName[line.message]}, line ${line.line + 1} (${line.label}): `,
      el(doc, "code", text === "" ? "(empty line)" : text),
    );
    view.ranges.forEach((range, i) => {
      if (!wire || range.message !== line.message || range.start < wire.offset || range.end > wire.offset + wire.length)
        return;
      used.add(i);
      item.append(` — ${range.end - range.start === wire.length ? "" : "the value, "}${bytes(range.start, range.end)}`);
    });
    return item;
  });
  view.ranges.forEach((range, i) => {
    if (!used.has(i))
      items.push(el(doc, "li", `${messageName[range.message]}, ${bytes(range.start, range.end)}: ${range.label}`));
  });
  involved.replaceChildren(...items);
  part(root, "involved-wrap").hidden = items.length === 0;
}
