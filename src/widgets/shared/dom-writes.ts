// Writes that happen only when they change something. Live widgets render many times a second,
// and most of what they write is the same as before; a write of an unchanged value still costs
// the browser work: a data attribute or a boolean attribute written again makes it match styles
// for the element again, and text written again is laid out again.

export function setData(element: HTMLElement, key: string, value: string): void {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

/**
 * Text written into the element's one text node when it has one: assigning `textContent` would
 * throw that node away and make a new one, and a widget rewriting rows many times a second
 * turns those into garbage the browser must collect, in pauses long enough to see. An empty
 * text leaves the element with no child at all, so `:empty` still matches it.
 */
export function setText(element: Element, text: string): void {
  const only = element.firstChild;
  if (text !== "" && only instanceof Text && only.nextSibling === null) {
    if (only.data !== text) only.data = text;
  } else if (element.textContent !== text) element.textContent = text;
}

export function setAttr(element: Element, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** A boolean attribute such as `hidden` or `disabled`, present or not. */
export function setFlag(element: HTMLElement, flag: "hidden" | "disabled", on: boolean): void {
  if (element.hasAttribute(flag) !== on) element.toggleAttribute(flag, on);
}

/**
 * Gives `container` exactly `count` element children, keeping the ones already there and making
 * (with `make`) only those missing, and returns them for the caller to rewrite. Views redrawn
 * again and again with about as many rows as before then reuse their elements instead of
 * making new ones each time (see setText for why that matters).
 */
export function keepChildren<T extends Element>(container: Element, count: number, make: () => T): T[] {
  while (container.childElementCount > count) container.lastElementChild!.remove();
  while (container.childElementCount < count) container.append(make());
  return Array.from(container.children) as T[];
}
