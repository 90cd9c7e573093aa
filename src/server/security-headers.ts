// Headers on every page and asset the production server sends. The policy allows scripts,
// styles, fonts, images and connections (fetch and WebSocket) from this origin only: a lesson
// never loads anything from elsewhere, which a classroom without internet depends on.
// Shiki colours tokens with style attributes, hence 'unsafe-inline' for style attributes only.
// The one inline script, which sets the theme before first paint, is allowed by its hash.
import { THEME_INIT_HASH } from "../layouts/theme-init-script.ts";

export const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' ${THEME_INIT_HASH}`,
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join("; ");

export const securityHeaders: Readonly<Record<string, string>> = {
  "Content-Security-Policy": contentSecurityPolicy,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
};
