// The address students open, worked out from where this page was loaded. The teacher shows the
// join page on the projector at the LAN address `npm start -- --host` printed, so the page's own
// origin is what students type. Opened at a loopback address (127.0.0.1, localhost, ::1) the
// origin is useless to anyone else, and the page has to say so instead of showing it.
import { CODE_PATTERN, normaliseCode } from "../../protocol/room-protocol.ts";

export const JOIN_PATH = "/join/";
export const START_FOR_LAN = "npm start -- --host";

export interface JoinAddress {
  /** `${origin}/join/`, what the QR code carries. */
  url: string;
  origin: string;
  /** Only this computer can reach the page at this address. */
  loopback: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

export function joinAddress(location: Pick<Location, "origin" | "hostname">): JoinAddress {
  return {
    url: `${location.origin}${JOIN_PATH}`,
    origin: location.origin,
    loopback: isLoopbackHost(location.hostname),
  };
}

/** The join page with the room's code filled in (`/join/?code=ABC234`). */
export function joinUrlWithCode(origin: string, code: string): string {
  return `${origin}${JOIN_PATH}?code=${encodeURIComponent(code)}`;
}

/** The code from a join link's query, if it looks like one (normalised to upper case); else "". */
export function codeFromSearch(search: string): string {
  const raw = new URLSearchParams(search).get("code") ?? "";
  const code = normaliseCode(raw);
  return CODE_PATTERN.test(code) ? code : "";
}

/** Groups a code for reading aloud and for the projector: "ABC 234". */
export function spacedCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}
