// POST /lab/tls-twin (lesson 7): the lab holds one WebSocket conversation twice with a private
// copy of itself, over ws:// and over wss://, and answers with what crossed the wire each time
// (server/tls/tls-twin.ts). Shared by the server, which answers, and the widget, which checks
// the answer before it trusts it (parseTlsTwinRun).
//
// Chunks are the TCP reads of a capture proxy between client and server, base64, with offsets
// per direction ("in" toward the server) and times in ms since the Unix epoch. For wss://,
// `decrypted` holds what each encrypted record carried, opened with the session's own secrets
// (`keyLog`, the NSS key log format Wireshark reads).

export const TLS_TWIN_PATH = "/lab/tls-twin";

export interface TwinChunk {
  dir: "in" | "out";
  t: number;
  offset: number;
  length: number;
  /** base64 */
  data: string;
}

export interface TwinTuple {
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
}

export interface TwinSide {
  scheme: "ws" | "wss";
  tuple: TwinTuple | null;
  chunks: TwinChunk[];
}

export interface DecryptedTwinRecord {
  dir: "in" | "out";
  /** The record's offset in its direction of the stream. */
  offset: number;
  /** The content type hidden inside (RFC 8446 §5.2). */
  innerType: number;
  phase: "handshake" | "application";
  /** base64 */
  data: string;
}

export interface TlsTwinRun {
  message: string;
  /** The masking key both twins used, hex. */
  maskingKey: string;
  ws: TwinSide;
  wss: TwinSide & {
    /** Who opened the wss:// connection: the lab (its twin) or the reader's own browser (a page served over https://). */
    client?: "lab" | "reader";
    version: string;
    cipherSuite: string;
    keyLog: string[];
    decrypted: DecryptedTwinRecord[];
    /** Why something could not be read or decrypted; null when all was. */
    problem: string | null;
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isDir = (v: unknown): v is "in" | "out" => v === "in" || v === "out";
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isBase64 = (v: unknown): v is string => typeof v === "string" && /^[A-Za-z0-9+/]*={0,2}$/.test(v);

function chunkOk(v: unknown): boolean {
  return isObject(v) && isDir(v.dir) && isNumber(v.t) && isNumber(v.offset) && isNumber(v.length) && isBase64(v.data);
}

function tupleOk(v: unknown): boolean {
  return (
    v === null ||
    (isObject(v) &&
      typeof v.clientAddress === "string" &&
      isNumber(v.clientPort) &&
      typeof v.serverAddress === "string" &&
      isNumber(v.serverPort))
  );
}

/** A captured side's chunks and tuple are well formed (shared with h2-twin-api.ts). */
export function capturedSideOk(v: unknown): boolean {
  return isObject(v) && tupleOk(v.tuple) && Array.isArray(v.chunks) && v.chunks.every(chunkOk);
}

function sideOk(v: unknown, scheme: "ws" | "wss"): boolean {
  return isObject(v) && v.scheme === scheme && tupleOk(v.tuple) && Array.isArray(v.chunks) && v.chunks.every(chunkOk);
}

/** The answer, checked field by field; null when it is not a TlsTwinRun. */
export function parseTlsTwinRun(value: unknown): TlsTwinRun | null {
  if (!isObject(value) || typeof value.message !== "string" || typeof value.maskingKey !== "string") return null;
  if (!sideOk(value.ws, "ws") || !sideOk(value.wss, "wss")) return null;
  const wss = value.wss as Record<string, unknown>;
  if (typeof wss.version !== "string" || typeof wss.cipherSuite !== "string") return null;
  if (!Array.isArray(wss.keyLog) || !wss.keyLog.every((l) => typeof l === "string")) return null;
  if (!(wss.problem === null || typeof wss.problem === "string")) return null;
  if (!(wss.client === undefined || wss.client === "lab" || wss.client === "reader")) return null;
  const decryptedOk = (r: unknown): boolean =>
    isObject(r) &&
    isDir(r.dir) &&
    isNumber(r.offset) &&
    isNumber(r.innerType) &&
    (r.phase === "handshake" || r.phase === "application") &&
    isBase64(r.data);
  if (!Array.isArray(wss.decrypted) || !wss.decrypted.every(decryptedOk)) return null;
  return value as unknown as TlsTwinRun;
}
