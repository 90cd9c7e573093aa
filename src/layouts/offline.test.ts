import { describe, expect, it } from "vitest";
import { loadedUrls } from "./offline.ts";

describe("what a page asks the offline copy to keep", () => {
  it("names the page and its own files, never the lab's live paths or another origin", () => {
    const here = { pathname: "/lessons/frames/", origin: "http://127.0.0.1:4321" } as Location;
    const entries = [
      { name: "http://127.0.0.1:4321/_astro/inspector.js" },
      { name: "http://127.0.0.1:4321/_astro/inspector.js" },
      { name: "http://127.0.0.1:4321/lab/info" },
      { name: "http://127.0.0.1:4321/pagefind/pagefind.js?x=1" },
      { name: "https://cdn.example/x.js" },
    ];
    expect(loadedUrls(entries, here)).toEqual([
      "/lessons/frames/",
      "/_astro/inspector.js",
      "/pagefind/pagefind.js?x=1",
    ]);
  });
});
