// Every byte of real TLS records named once: the records of a real wss:// session the lab held
// with itself (widgets/tls-twin/fixtures/twin-run.json, a throwaway session and certificate).
import { describe, expect, it } from "vitest";
import fixture from "../widgets/tls-twin/fixtures/twin-run.json" with { type: "json" };
import { base64ToBytes } from "./base64.ts";
import { AEAD_TAG_BYTES, dissectTlsRecord, type TlsField } from "./tls-dissect.ts";
import {
  cipherSuiteName,
  extensionName,
  isGrease,
  TlsRecordReader,
  tlsVersionName,
  type TlsRecord,
} from "./tls-records.ts";

function records(dir: "in" | "out"): TlsRecord[] {
  const reader = new TlsRecordReader();
  return fixture.wss.chunks.filter((c) => c.dir === dir).flatMap((c) => reader.push(base64ToBytes(c.data)!).records);
}

const all = [...records("in"), ...records("out")];
const named = (fields: TlsField[], name: string): TlsField[] => fields.filter((f) => f.name === name);

describe("dissectTlsRecord on a real session", () => {
  it("names every byte of every record exactly once, in order", () => {
    expect(all.length).toBeGreaterThan(6);
    for (const record of all) {
      const fields = dissectTlsRecord(record.bytes);
      let next = 0;
      for (const field of fields) {
        expect(field.byteStart, `${field.name} in a record of type ${record.contentType}`).toBe(next);
        expect(field.byteEnd).toBeGreaterThan(field.byteStart);
        expect(field.complete).toBe(true);
        expect(field.rfc).toMatch(/RFC \d+/);
        next = field.byteEnd;
      }
      expect(next).toBe(record.bytes.length);
    }
  });

  it("reads the ClientHello field by field, down to each extension", () => {
    const fields = dissectTlsRecord(records("in")[0]!.bytes);
    expect(fields[0]).toMatchObject({ name: "content type", value: 22 });
    expect(named(fields, "handshake message type")[0]!.meaning).toBe("1: ClientHello");
    expect(named(fields, "legacy_version")[0]!.value).toBe(0x0303);
    expect(named(fields, "random")[0]!.byteEnd - named(fields, "random")[0]!.byteStart).toBe(32);
    expect(named(fields, "cipher suite offered").map((f) => f.meaning)).toContain("0x1301: TLS_AES_128_GCM_SHA256");
    const compression = named(fields, "legacy_compression_methods")[0]!;
    expect(compression.byteEnd - compression.byteStart).toBe(1);
    expect(records("in")[0]!.bytes[compression.byteStart]).toBe(0);
    expect(named(fields, "supported_versions data")).toHaveLength(1);
    expect(named(fields, "key_share data")[0]!.rfc).toBe("RFC 8446 §4.2.8");
  });

  it("reads the cipher suite the ServerHello chose, the one the session used", () => {
    const fields = dissectTlsRecord(records("out")[0]!.bytes);
    expect(named(fields, "handshake message type")[0]!.meaning).toBe("2: ServerHello");
    expect(named(fields, "cipher_suite")[0]!.meaning).toContain(fixture.wss.cipherSuite);
  });

  it("splits an encrypted record into ciphertext and its 16-byte tag", () => {
    const encrypted = all.filter((r) => r.contentType === 23);
    expect(encrypted.length).toBeGreaterThan(3);
    for (const record of encrypted) {
      const fields = dissectTlsRecord(record.bytes);
      expect(fields.map((f) => f.name)).toEqual([
        "content type",
        "legacy_record_version",
        "length",
        "encrypted_record",
        "authentication tag",
      ]);
      expect(fields[4]!.byteEnd - fields[4]!.byteStart).toBe(AEAD_TAG_BYTES);
      expect(fields[3]!.byteEnd - fields[3]!.byteStart).toBe(record.length - AEAD_TAG_BYTES);
    }
  });

  it("names the one byte of a change_cipher_spec record", () => {
    const ccs = all.find((r) => r.contentType === 20)!;
    expect(dissectTlsRecord(ccs.bytes).at(-1)).toMatchObject({
      name: "change_cipher_spec",
      value: 1,
      rfc: "RFC 8446 Appendix D.4",
    });
  });
});

describe("dissectTlsRecord on bytes built by hand", () => {
  it("reads a plaintext alert's level and description", () => {
    const fields = dissectTlsRecord(Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28));
    expect(fields.slice(3).map((f) => [f.name, f.value])).toEqual([
      ["alert level", 2],
      ["alert description", 40],
    ]);
  });

  it("marks a field cut short and reads nothing past the bytes given or the record's stated end", () => {
    const cut = dissectTlsRecord(Uint8Array.of(0x16, 0x03));
    expect(cut.map((f) => [f.name, f.complete, f.value])).toEqual([
      ["content type", true, 22],
      ["legacy_record_version", false, null],
    ]);
    // A stated length of 1: the byte after the record belongs to the next one.
    const short = dissectTlsRecord(Uint8Array.of(0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03));
    expect(short.at(-1)).toMatchObject({ name: "change_cipher_spec", byteEnd: 6 });
  });

  it("keeps a truncated ClientHello's fields within the bytes there are", () => {
    const hello = records("in")[0]!.bytes.subarray(0, 60);
    const fields = dissectTlsRecord(hello);
    expect(fields.every((f) => f.byteEnd <= 60)).toBe(true);
    expect(fields.at(-1)!.complete).toBe(false);
  });
});

describe("GREASE (RFC 8701)", () => {
  it("names the values browsers offer at random as GREASE, and nothing else", () => {
    expect([0x0a0a, 0x2a2a, 0xfafa].every(isGrease)).toBe(true);
    expect([0x1301, 0x0a1a, 0x2a3a, 0x0304].some(isGrease)).toBe(false);
    expect(tlsVersionName(0x2a2a)).toBe("0x2a2a (GREASE, RFC 8701)");
    expect(cipherSuiteName(0x4a4a)).toBe("0x4a4a (GREASE, RFC 8701)");
    expect(extensionName(0xdada)).toBe("0xdada (GREASE, RFC 8701)");
    expect(extensionName(43)).toBe("supported_versions");
  });
});
