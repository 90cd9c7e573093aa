// Writes that happen only when they change something. Live widgets render many times a second,
// and most of what they write is the same as before; a write of an unchanged value still costs
// the browser work: a data attribute or a boolean attribute written again makes it match styles
// for the element again, and text written again is laid out again.

export function setData(element: HTMLElement, key: string, value: string): void {
  if (element.dataset[key] !== value) element.dataset[key] = value;
}

export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export function setAttr(element: HTMLElement, name: string, value: string): void {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

/** A boolean attribute such as `hidden` or `disabled`, present or not. */
export function setFlag(element: HTMLElement, flag: "hidden" | "disabled", on: boolean): void {
  if (element.hasAttribute(flag) !== on) element.toggleAttribute(flag, on);
}
