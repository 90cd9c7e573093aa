import { describe, expect, it } from "vitest";
import { explainRecordHeader, handshakeMessages, parseHello, TlsRecordReader } from "./tls-records.ts";

const bytes = (...parts: (number[] | Uint8Array)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const u16 = (n: number): number[] => [n >> 8, n & 0xff];
const u24 = (n: number): number[] => [n >> 16, (n >> 8) & 0xff, n & 0xff];

/** A small ClientHello: one cipher suite, SNI "localhost", supported_versions TLS 1.3 (RFC 8446 §4.1.2). */
function clientHello(): Uint8Array {
  const name = [...new TextEncoder().encode("localhost")];
  const sni = bytes(u16(0), u16(name.length + 5), u16(name.length + 3), [0], u16(name.length), name);
  const versions = bytes(u16(43), u16(3), [2], u16(0x0304));
  const extensions = bytes(sni, versions);
  const body = bytes(
    u16(0x0303),
    new Uint8Array(32),
    [0],
    u16(2),
    u16(0x1301),
    [1, 0],
    u16(extensions.length),
    extensions,
  );
  const handshake = bytes([1], u24(body.length), body);
  return bytes([22], u16(0x0301), u16(handshake.length), handshake);
}

describe("TlsRecordReader", () => {
  it("cuts a stream into records wherever the TCP reads fall", () => {
    const hello = clientHello();
    const appData = bytes([23], u16(0x0303), u16(3), [1, 2, 3]);
    const stream = bytes(hello, appData);
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new TlsRecordReader();
      const first = reader.push(stream.subarray(0, cut));
      const second = reader.push(stream.subarray(cut));
      const records = [...first.records, ...second.records];
      expect(records.map((r) => [r.offset, r.contentType, r.length])).toEqual([
        [0, 22, hello.length - 5],
        [hello.length, 23, 3],
      ]);
    }
  });

  it("says when the bytes are not TLS at all", () => {
    const result = new TlsRecordReader().push(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/not a TLS record header .*RFC 8446 §5\.1/);
  });
});

describe("the ClientHello, read in the clear", () => {
  it("names its messages, suites, extensions, server name and versions", () => {
    const record = new TlsRecordReader().push(clientHello());
    expect(record.ok).toBe(true);
    const content = record.records[0]!.bytes.subarray(5);
    expect(handshakeMessages(content)).toEqual([{ type: 1, name: "ClientHello", length: content.length - 4 }]);
    expect(parseHello(content)).toEqual({
      kind: "ClientHello",
      cipherSuites: ["TLS_AES_128_GCM_SHA256"],
      extensions: ["server_name", "supported_versions"],
      serverName: "localhost",
      versions: ["TLS 1.3"],
    });
  });

  it("explains the record header field by field", () => {
    const record = new TlsRecordReader().push(bytes([23], u16(0x0303), u16(3), [1, 2, 3])).records[0]!;
    const lines = explainRecordHeader(record);
    expect(lines[0]).toMatch(/^Content type 23: application_data .*real type is inside/);
    expect(lines[1]).toMatch(/^Legacy version 0x0303 \(TLS 1\.2\)/);
    expect(lines[2]).toBe("Length 3: the bytes of content after this 5-byte header.");
  });

  it("is not fooled by a record cut short", () => {
    const hello = clientHello().subarray(5, 60);
    expect(parseHello(hello)).toBeNull();
  });
});
