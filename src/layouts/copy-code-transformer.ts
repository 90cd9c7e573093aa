// Every code block in a lesson gets a "Copy" button, written into the page at build time by this
// Shiki transformer (astro.config.mjs), so no script has to build buttons while the page loads.
// The block becomes <div class="code-block"><button data-copy-code hidden>Copy</button><pre>…</pre></div>;
// the button stays hidden until copy-code.ts, which copies on a press, has started.
import type { ShikiTransformer } from "shiki";
import type { Element, Root } from "hast";

export const copyCodeTransformer: ShikiTransformer = {
  name: "switching-protocols:copy-code",
  root(root: Root) {
    const button: Element = {
      type: "element",
      tagName: "button",
      properties: { type: "button", className: ["copy-code"], dataCopyCode: "", hidden: true },
      children: [{ type: "text", value: "Copy" }],
    };
    const wrapper: Element = {
      type: "element",
      tagName: "div",
      properties: { className: ["code-block"] },
      children: [button, ...(root.children as Element[])],
    };
    root.children = [wrapper];
  },
};
