// A small TextMate grammar for HTTP/1.1 message heads as they cross the wire: a request line
// or status line, then "Name: value" fields (RFC 9112 §2–§5). Shiki's bundled HTTP grammar
// embeds shell, JSON, XML and GraphQL for request bodies (close to a megabyte); a head needs
// none of that, so build-time and in-browser highlighting both use this one.
import type { LanguageRegistration } from "shiki/core";

export const httpWireGrammar: LanguageRegistration = {
  name: "http-wire",
  scopeName: "source.http-wire",
  displayName: "HTTP",
  patterns: [
    {
      match: "^([A-Za-z]+)([ \\t]+)(\\S+)([ \\t]+)(HTTP)(/)(\\d+(?:\\.\\d+)?)",
      captures: {
        1: { name: "keyword.control.http" },
        3: { name: "string.unquoted.uri.http" },
        5: { name: "keyword.other.http" },
        7: { name: "constant.numeric.http" },
      },
    },
    {
      match: "^(HTTP)(/)(\\d+(?:\\.\\d+)?)([ \\t]+)(\\d{3})(.*)$",
      captures: {
        1: { name: "keyword.other.http" },
        3: { name: "constant.numeric.http" },
        5: { name: "constant.numeric.http" },
        6: { name: "string.unquoted.http" },
      },
    },
    {
      match: "^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(:)(.*)$",
      captures: {
        1: { name: "entity.name.tag.http" },
        2: { name: "punctuation.separator.key-value.http" },
        3: { name: "string.unquoted.http" },
      },
    },
  ],
  repository: {},
};

/**
 * The same grammar with its patterns already turned into JavaScript regular expressions, for
 * Shiki's raw JavaScript engine in the browser. The regex engine would convert them from
 * Oniguruma syntax at run time, and that converter (its code compiled on first use) made the
 * first highlighted handshake a task of 50 ms and more on a first visit. These are exactly what
 * it produces (http-wire-grammar.test.ts checks each one against it): `$` becomes a look-ahead
 * that allows the line's own "\n", `\S` and `\d` their Unicode forms, flags d, g and v.
 */
const PRECOMPILED: readonly RegExp[] = [
  /^([A-Za-z]+)([ \t]+)(\P{space}+)([ \t]+)(HTTP)(\/)(\p{Nd}+(?:\.\p{Nd}+)?)/dgv,
  /^(HTTP)(\/)(\p{Nd}+(?:\.\p{Nd}+)?)([ \t]+)(\p{Nd}{3})([^\n]*)(?=\n?$)/dgv,
  // TypeScript wants these escapes under the v flag, which ESLint's rule does not know.
  // eslint-disable-next-line no-useless-escape
  /^([\!\#\$\%\&'\*\+\.\^_\`\|\~0-9A-Za-z\-]+)(:)([^\n]*)(?=\n?$)/dgv,
];

export const httpWireGrammarPrecompiled: LanguageRegistration = {
  ...httpWireGrammar,
  // Shiki's own precompiled grammars put RegExp objects where the type says string.
  patterns: (httpWireGrammar.patterns ?? []).map((pattern, i) => ({
    ...pattern,
    match: PRECOMPILED[i] as unknown as string,
  })),
};
