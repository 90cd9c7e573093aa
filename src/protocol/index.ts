// Everything src/protocol offers, for callers that prefer one import. Modules can also be
// imported one by one (frame.ts, handshake.ts, http1.ts, rfc-examples.ts, ...).

export * from "./frame.ts";
export * from "./handshake.ts";
export * from "./http1.ts";
export * from "./close-codes.ts";
export * from "./hex.ts";
export * from "./base64.ts";
export * from "./utf8.ts";
export * from "./utf8-length.ts";
export * from "./rfc-examples.ts";
