import { defaultJavaScriptRegexConstructor } from "shiki/engine/javascript";
import { createHighlighterCore } from "shiki/core";
import { createJavaScriptRawEngine, createJavaScriptRegexEngine } from "shiki/engine/javascript";
import githubLight from "shiki/dist/themes/github-light-high-contrast.mjs";
import { describe, expect, it } from "vitest";
import { httpWireGrammar, httpWireGrammarPrecompiled } from "./http-wire-grammar.ts";

const HEAD = [
  "GET /lab/echo HTTP/1.1",
  "Host: 127.0.0.1:4321",
  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
  "",
  "HTTP/1.1 101 Switching Protocols",
  "Upgrade: websocket",
  "x-odd_name~1: value: with colons",
  "not a header line",
].join("\n");

describe("the precompiled HTTP grammar", () => {
  it("holds exactly what Shiki's regex engine makes of each pattern", () => {
    const sources = httpWireGrammar.patterns!.map((pattern) => pattern.match as string);
    const compiled = httpWireGrammarPrecompiled.patterns!.map((pattern) => pattern.match as unknown as RegExp);
    expect(compiled).toHaveLength(sources.length);
    sources.forEach((source, i) => {
      const expected = defaultJavaScriptRegexConstructor(source);
      expect({ source: compiled[i]!.source, flags: compiled[i]!.flags }).toEqual({
        source: expected.source,
        flags: expected.flags,
      });
    });
  });

  it("tokenises a handshake as the converting engine does", async () => {
    const options = { lang: "http-wire", theme: "github-light-high-contrast" } as const;
    const converting = await createHighlighterCore({
      themes: [githubLight],
      langs: [httpWireGrammar],
      engine: createJavaScriptRegexEngine(),
    });
    const raw = await createHighlighterCore({
      themes: [githubLight],
      langs: [httpWireGrammarPrecompiled],
      engine: createJavaScriptRawEngine(),
    });
    const expected = converting.codeToTokens(HEAD, options).tokens;
    expect(raw.codeToTokens(HEAD, options).tokens).toEqual(expected);
    // The comparison means something: the header names and the status are coloured apart.
    expect(new Set(expected.flat().map((token) => token.color)).size).toBeGreaterThan(2);
  });
});
