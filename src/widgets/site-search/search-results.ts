// Pagefind's answer as data the search page can show safely. Pagefind gives each result an
// excerpt as HTML: the page's text, escaped, with the matched words in <mark>. Rather than put
// that HTML into the page, it is cut into plain text and marked pieces, which the page then
// writes as text: nothing a lesson says can become markup here. Pure: no DOM.

export interface ExcerptPiece {
  text: string;
  marked: boolean;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  "#39": "'",
  "#x27": "'",
  apos: "'",
  nbsp: " ",
};

/** Entities as Pagefind writes them, and numeric ones; anything else is kept as it was. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (ENTITIES[lower] !== undefined) return ENTITIES[lower]!;
    if (lower.startsWith("#x")) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)));
    return whole;
  });
}

/** "a <mark>b</mark> c" → [a ][b, marked][ c]; any other tag is dropped, its text kept. */
export function excerptPieces(html: string): ExcerptPiece[] {
  const pieces: ExcerptPiece[] = [];
  let marked = false;
  for (const part of html.split(/(<\/?[a-z][^>]*>)/i)) {
    if (part === "") continue;
    const tag = /^<(\/?)([a-z]+)/i.exec(part);
    if (tag) {
      if (tag[2]!.toLowerCase() === "mark") marked = tag[1] !== "/";
      continue;
    }
    const text = decodeEntities(part);
    const last = pieces.at(-1);
    if (last && last.marked === marked) last.text += text;
    else pieces.push({ text, marked });
  }
  return pieces;
}

/** The result count in words, for the live region. */
export function resultsSummary(count: number, query: string): string {
  if (query.trim() === "") return "";
  if (count === 0) return `No lesson mentions “${query}”.`;
  return `${count} lesson${count === 1 ? "" : "s"} mention${count === 1 ? "s" : ""} “${query}”.`;
}
