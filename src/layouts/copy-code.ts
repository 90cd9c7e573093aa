// The code blocks' "Copy" buttons (copy-code-transformer.ts writes them, hidden): shown once this
// runs, and one listener for all of them. The clipboard API needs a secure context, which a
// classroom lab reached over http:// at a LAN address is not; there the block's text is selected
// instead, and the button says to press Ctrl+C (⌘C), so copying still takes one key.

export type CopyOutcome = "copied" | "selected";

export interface CopyTools {
  clipboard: Pick<Clipboard, "writeText"> | undefined;
  /** Selects the block's text, for the reader to copy with the keyboard. */
  select(): void;
}

/** Copies `text` with the clipboard API when there is one and it works; otherwise selects it. */
export async function copyOrSelect(text: string, tools: CopyTools): Promise<CopyOutcome> {
  try {
    if (tools.clipboard) {
      await tools.clipboard.writeText(text);
      return "copied";
    }
  } catch {
    // Refused (no permission, or the document lost focus): fall back to selecting.
  }
  tools.select();
  return "selected";
}

const SAID: Record<CopyOutcome, string> = { copied: "Copied", selected: "Selected: press Ctrl+C (⌘C on a Mac)" };
/** How long the button keeps saying what happened. */
const SAY_MS = 2000;

export function enableCopyButtons(root: ParentNode, announcer: HTMLElement | null): void {
  const buttons = root.querySelectorAll<HTMLButtonElement>("[data-copy-code]");
  for (const button of buttons) button.hidden = false;
  if (buttons.length === 0) return;
  root.addEventListener("click", async (event) => {
    const button = (event.target as Element | null)?.closest<HTMLButtonElement>("[data-copy-code]");
    const pre = button?.parentElement?.querySelector("pre");
    if (!button || !pre) return;
    const outcome = await copyOrSelect(pre.textContent ?? "", {
      clipboard: window.isSecureContext ? navigator.clipboard : undefined,
      select() {
        const range = document.createRange();
        range.selectNodeContents(pre);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
      },
    });
    button.textContent = SAID[outcome];
    if (announcer) announcer.textContent = SAID[outcome];
    setTimeout(() => (button.textContent = "Copy"), SAY_MS);
  });
}
