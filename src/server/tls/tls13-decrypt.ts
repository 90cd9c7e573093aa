// Decrypting a TLS 1.3 session the lab itself took part in, from the secrets it logged (Node's
// `keylog` event, the NSS key log format: CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_…,
// CLIENT_TRAFFIC_SECRET_0, SERVER_TRAFFIC_SECRET_0). Lesson 7 shows each encrypted record beside
// what it carried: for the WebSocket's own records, the very frame bytes the ws:// twin shows.
//
// RFC 8446: a traffic secret gives a key and an IV with HKDF-Expand-Label (§7.1, §7.3); each
// record's nonce is the IV XOR its sequence number (§5.3); the AEAD's additional data is the
// 5-byte record header (§5.2); the plaintext ends with the real content type and zero padding
// (TLSInnerPlaintext, §5.2). Each direction starts with its handshake secret, counting records
// from 0, and moves to its first application secret (counting from 0 again) after its Finished.
import { createDecipheriv, createHmac, type DecipherGCM } from "node:crypto";
import { handshakeMessages, TLS_RECORD_HEADER, type TlsRecord } from "../../protocol/tls-records.ts";

interface Suite {
  cipher: "aes-128-gcm" | "aes-256-gcm" | "chacha20-poly1305";
  hash: "sha256" | "sha384";
  keyLength: number;
}

const SUITES: Record<string, Suite> = {
  TLS_AES_128_GCM_SHA256: { cipher: "aes-128-gcm", hash: "sha256", keyLength: 16 },
  TLS_AES_256_GCM_SHA384: { cipher: "aes-256-gcm", hash: "sha384", keyLength: 32 },
  TLS_CHACHA20_POLY1305_SHA256: { cipher: "chacha20-poly1305", hash: "sha256", keyLength: 32 },
};

/** HKDF-Expand-Label with an empty context (RFC 8446 §7.1, RFC 5869 §2.3). */
export function hkdfExpandLabel(hash: "sha256" | "sha384", secret: Uint8Array, label: string, length: number): Buffer {
  const fullLabel = Buffer.from(`tls13 ${label}`, "latin1");
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, fullLabel.length]),
    fullLabel,
    Buffer.from([0]),
  ]);
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(blocks).length < length; i++) {
    previous = createHmac(hash, secret)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** NSS key log lines ("LABEL client_random secret") to secrets by label. */
export function parseKeyLog(lines: readonly string[]): Map<string, Buffer> {
  const secrets = new Map<string, Buffer>();
  for (const line of lines) {
    const [label, , secret] = line.trim().split(/\s+/);
    if (label && secret && /^[0-9a-f]+$/i.test(secret)) secrets.set(label, Buffer.from(secret, "hex"));
  }
  return secrets;
}

export interface DecryptedRecord {
  /** The record's offset in its direction of the TCP stream. */
  offset: number;
  /** The content type hidden inside (RFC 8446 §5.2): 21 alert, 22 handshake, 23 application data. */
  innerType: number;
  plaintext: Uint8Array;
  /** Which secret opened it. */
  phase: "handshake" | "application";
}

export type DecryptResult =
  { ok: true; records: DecryptedRecord[] } | { ok: false; records: DecryptedRecord[]; error: string };

/** Decrypts one direction's encrypted records ("in": the client's, "out": the server's). */
export function decryptDirection(
  records: readonly TlsRecord[],
  dir: "in" | "out",
  cipherSuite: string,
  secrets: Map<string, Buffer>,
): DecryptResult {
  const suite = SUITES[cipherSuite];
  if (!suite) return { ok: false, records: [], error: `cipher suite ${cipherSuite} is not one this decrypter knows` };
  const side = dir === "in" ? "CLIENT" : "SERVER";
  const keysFor = (label: string): { key: Buffer; iv: Buffer } | null => {
    const secret = secrets.get(label);
    return secret
      ? {
          key: hkdfExpandLabel(suite.hash, secret, "key", suite.keyLength),
          iv: hkdfExpandLabel(suite.hash, secret, "iv", 12),
        }
      : null;
  };
  let phase: DecryptedRecord["phase"] = "handshake";
  let keys = keysFor(`${side}_HANDSHAKE_TRAFFIC_SECRET`);
  let sequence = 0n;
  const out: DecryptedRecord[] = [];
  for (const record of records) {
    if (record.contentType !== 23) continue;
    if (!keys)
      return {
        ok: false,
        records: out,
        error: `the key log has no ${side}_${phase === "handshake" ? "HANDSHAKE_TRAFFIC_SECRET" : "TRAFFIC_SECRET_0"}`,
      };
    const nonce = Buffer.from(keys.iv);
    const counter = Buffer.alloc(12);
    counter.writeBigUInt64BE(sequence, 4);
    for (let i = 0; i < 12; i++) nonce[i]! ^= counter[i]!;
    sequence++;
    const body = record.bytes.subarray(TLS_RECORD_HEADER, record.bytes.length - 16);
    const tag = record.bytes.subarray(record.bytes.length - 16);
    let inner: Buffer;
    try {
      // All three suites are AEADs with a 16-byte tag and the same calls (ChaCha20-Poly1305 included).
      const decipher = createDecipheriv(suite.cipher as "aes-128-gcm", keys.key, nonce, {
        authTagLength: 16,
      }) as DecipherGCM;
      decipher.setAAD(record.bytes.subarray(0, TLS_RECORD_HEADER), { plaintextLength: body.length });
      decipher.setAuthTag(tag);
      inner = Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      return {
        ok: false,
        records: out,
        error: `the record at offset ${record.offset} did not decrypt: wrong secret, or records missing`,
      };
    }
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    const innerType = inner[end - 1] ?? 0;
    const plaintext = new Uint8Array(inner.subarray(0, Math.max(0, end - 1)));
    out.push({ offset: record.offset, innerType, plaintext, phase });
    if (phase === "handshake" && innerType === 22 && handshakeMessages(plaintext).some((m) => m.name === "Finished")) {
      phase = "application";
      keys = keysFor(`${side}_TRAFFIC_SECRET_0`);
      sequence = 0n;
    }
  }
  return { ok: true, records: out };
}
