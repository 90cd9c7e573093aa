// Headers on every page and asset the production server sends. The policy allows scripts,
// styles, fonts, images and connections (fetch and WebSocket) from this origin only: a lesson
// never loads anything from elsewhere, which a classroom without internet depends on.
// Shiki colours tokens with style attributes, hence 'unsafe-inline' for style attributes only.
// The one inline script, which sets the theme before first paint, and the inline styles the
// build puts in each page are allowed by their hashes (on pages only: static-files.ts).
import { THEME_INIT_HASH } from "../layouts/theme-init-script.ts";

/**
 * The policy, with the hashes of the inline styles the build wrote (inline-style-hashes.ts), and
 * `connectSources` besides the page's own origin (lesson 8's other site connects to the lab).
 */
export function contentSecurityPolicy(
  styleHashes: readonly string[] = [],
  connectSources: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the site search (Pagefind) compile its WebAssembly; no JavaScript eval.
    `script-src 'self' 'wasm-unsafe-eval' ${THEME_INIT_HASH}`,
    ["style-src 'self'", ...styleHashes].join(" "),
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(" "),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/** The headers every page and asset gets; `styleHashes` and `connectSources` as for contentSecurityPolicy. */
export function securityHeadersWith(
  styleHashes: readonly string[],
  connectSources: readonly string[] = [],
): Readonly<Record<string, string>> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(styleHashes, connectSources),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
}

/** For answers that are not pages (plain-text refusals): no inline style to allow. */
export const securityHeaders = securityHeadersWith([]);
