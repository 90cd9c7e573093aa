// A header section as it arrived: field lines in order, names as the sender spelled them.
// Field names are case-insensitive; a field sent on several lines means the same as one line
// with the values joined by commas, except Set-Cookie, which cannot be joined (RFC 9110 §5.1,
// §5.3). Values are ISO-8859-1 text, one character per byte, so bytes round-trip exactly.

export interface HeaderField {
  name: string;
  value: string;
  /** Where the field line starts in the message, and its length including CRLF. */
  offset: number;
  length: number;
}

/** A field to send: [name, value]. */
export type HeaderPair = readonly [name: string, value: string];

/** Every value of a field, one per line, in order. */
export function headerValues(fields: readonly Pick<HeaderField, "name" | "value">[], name: string): string[] {
  const wanted = name.toLowerCase();
  return fields.filter((f) => f.name.toLowerCase() === wanted).map((f) => f.value);
}

/**
 * The field's combined value (lines joined with ", "), or null when absent. For Set-Cookie,
 * which must not be combined (RFC 9110 §5.3), only the first line; use `headerValues` instead.
 */
export function headerValue(fields: readonly Pick<HeaderField, "name" | "value">[], name: string): string | null {
  const values = headerValues(fields, name);
  if (values.length === 0) return null;
  if (name.toLowerCase() === "set-cookie") return values[0]!;
  return values.join(", ");
}

/** The elements of a comma-separated list field, trimmed, empty elements dropped (RFC 9110 §5.6.1). */
export function listElements(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** Does a list field (Connection, Upgrade, ...) contain `token`, compared case-insensitively? */
export function hasToken(fields: readonly Pick<HeaderField, "name" | "value">[], name: string, token: string): boolean {
  const wanted = token.toLowerCase();
  return headerValues(fields, name).some((v) => listElements(v).some((e) => e.toLowerCase() === wanted));
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** token = 1*tchar (RFC 9110 §5.6.2): what field names and methods are made of. */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** A value may hold visible characters, spaces, tabs and obs-text, but no CR, LF, NUL or other controls (RFC 9110 §5.5). */
export function isFieldValue(text: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(text);
}
