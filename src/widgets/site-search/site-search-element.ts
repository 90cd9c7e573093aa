// <sp-site-search>: the search page. Pagefind's library and index are static files the build
// wrote to /pagefind/ (server/search-index.ts); the library is loaded on first use and searches
// in the browser, so search needs no server and no internet. Results are written as text
// (search-results.ts). The query lives in the address (?q=), so a search can be shared or reloaded.
import { setText } from "../shared/dom-writes.ts";
import { part } from "../shared/parts.ts";
import { excerptPieces, resultsSummary } from "./search-results.ts";

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  init(): Promise<void>;
  search(query: string): Promise<{ results: Array<{ data(): Promise<PagefindResultData> }> } | null>;
}

/** Where the build puts Pagefind's library (a path, so Vite leaves it alone). */
const PAGEFIND_URL = "/pagefind/pagefind.js";
/** Results shown at once: the course has eleven lessons. */
const MAX_RESULTS = 11;
/** Typing pauses this long before a search runs. */
const DEBOUNCE_MS = 200;

export default class SiteSearchElement extends HTMLElement {
  #abort = new AbortController();
  #pagefind: Promise<Pagefind> | null = null;
  #timer = 0;
  /** Searches finish out of order; only the newest one may write its results. */
  #latest = 0;

  connectedCallback(): void {
    this.#abort = new AbortController();
    const input = part<HTMLInputElement>(this, "query");
    const form = part<HTMLFormElement>(this, "form");
    form.addEventListener(
      "submit",
      (event) => {
        event.preventDefault();
        void this.#search(input.value);
      },
      { signal: this.#abort.signal },
    );
    input.addEventListener(
      "input",
      () => {
        clearTimeout(this.#timer);
        this.#timer = window.setTimeout(() => void this.#search(input.value), DEBOUNCE_MS);
      },
      { signal: this.#abort.signal },
    );
    part(this, "loading-note").hidden = true;
    const asked = new URLSearchParams(window.location.search).get("q") ?? "";
    input.value = asked;
    this.toggleAttribute("data-ready", true);
    if (asked) void this.#search(asked);
  }

  disconnectedCallback(): void {
    this.#abort.abort();
    clearTimeout(this.#timer);
  }

  #load(): Promise<Pagefind> {
    this.#pagefind ??= (import(/* @vite-ignore */ PAGEFIND_URL) as Promise<Pagefind>).then(async (pagefind) => {
      await pagefind.init();
      return pagefind;
    });
    this.#pagefind.catch(() => (this.#pagefind = null));
    return this.#pagefind;
  }

  async #search(query: string): Promise<void> {
    const ticket = ++this.#latest;
    const url = new URL(window.location.href);
    if (query.trim()) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
    const list = part(this, "results");
    if (query.trim() === "") {
      list.replaceChildren();
      setText(part(this, "status"), "");
      return;
    }
    let results: PagefindResultData[];
    try {
      const pagefind = await this.#load();
      const found = await pagefind.search(query);
      results = await Promise.all((found?.results ?? []).slice(0, MAX_RESULTS).map((r) => r.data()));
    } catch {
      if (ticket === this.#latest)
        setText(
          part(this, "status"),
          "Search is not available here: the search index is built with the site (npm run build, or npm start), not by the development server.",
        );
      return;
    }
    if (ticket !== this.#latest) return;
    list.replaceChildren(...results.map((r) => this.#resultItem(r)));
    this.dataset.results = String(results.length);
    setText(part(this, "status"), resultsSummary(results.length, query));
  }

  #resultItem(result: PagefindResultData): HTMLLIElement {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title ?? result.url;
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    for (const piece of excerptPieces(result.excerpt)) {
      if (!piece.marked) excerpt.append(piece.text);
      else {
        const mark = document.createElement("mark");
        mark.textContent = piece.text;
        excerpt.append(mark);
      }
    }
    li.append(link, excerpt);
    return li;
  }
}
