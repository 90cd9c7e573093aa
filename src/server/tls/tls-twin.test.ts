// The ws:// and wss:// twins over real sockets: the same frame bytes, readable in one and only
// inside TLS records in the other, and recovered from them with the session's own secrets.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FrameDecoder } from "../../protocol/frame-decoder.ts";
import { handshakeMessages, parseHello, TlsRecordReader } from "../../protocol/tls-records.ts";
import { createLab } from "../lab.ts";
import { defaultLabSettings } from "../settings.ts";
import { labCertificate, type LabCertificate } from "./lab-certificate.ts";
import { runTlsTwin, type TlsTwinRun } from "./tls-twin.ts";

let dir: string;
let certificate: LabCertificate;
let run: TlsTwinRun;

const joined = (chunks: { dir: string; data: string }[], dir: "in" | "out"): Buffer =>
  Buffer.concat(chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.data, "base64")));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sp-cert-"));
  certificate = await labCertificate({ dir });
  run = await runTlsTwin(defaultLabSettings, createLab, certificate, "Hello");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the ws:// twin", () => {
  it("carries a readable handshake and the masked Hello frame", () => {
    const sent = joined(run.ws.chunks, "in");
    expect(sent.toString("latin1")).toMatch(/^GET \/lab\/echo HTTP\/1\.1\r\n/);
    expect(joined(run.ws.chunks, "out").toString("latin1")).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    const frame = Buffer.concat([Buffer.from([0x81, 0x85]), Buffer.from(run.maskingKey, "hex")]);
    expect(sent.includes(frame)).toBe(true);
  });
});

describe("the wss:// twin", () => {
  it("is TLS 1.3 records from the first byte: no HTTP, no frame, in the clear", () => {
    expect(run.wss.version).toBe("TLSv1.3");
    expect(run.wss.cipherSuite).toBe("TLS_AES_128_GCM_SHA256");
    const sent = joined(run.wss.chunks, "in");
    expect(sent.includes(Buffer.from("GET /lab/echo"))).toBe(false);
    expect(sent.includes(Buffer.from(run.maskingKey, "hex"))).toBe(false);
    const records = new TlsRecordReader().push(sent);
    expect(records.ok).toBe(true);
    const hello = parseHello(records.records[0]!.bytes.subarray(5));
    expect(hello).toMatchObject({ kind: "ClientHello", serverName: "localhost" });
    expect(hello!.versions).toContain("TLS 1.3");
    expect(records.records.slice(1).every((r) => r.contentType === 23 || r.contentType === 20)).toBe(true);
  });

  it("decrypts, with the logged secrets, to the very frame bytes the ws:// twin sent", () => {
    expect(run.wss.problem).toBeNull();
    expect(run.wss.keyLog.map((l) => l.split(" ")[0])).toEqual(
      expect.arrayContaining([
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
      ]),
    );
    const clientApp = run.wss.decrypted
      .filter((r) => r.dir === "in" && r.innerType === 23)
      .map((r) => Buffer.from(r.data, "base64"));
    expect(clientApp[0]!.toString("latin1")).toMatch(/^GET \/lab\/echo HTTP\/1\.1\r\n/);
    const wsFrames = new FrameDecoder({ direction: "client-to-server" });
    const wsSent = joined(run.ws.chunks, "in");
    const headEnd = wsSent.indexOf("\r\n\r\n") + 4;
    const plainFrames = wsFrames
      .push(wsSent.subarray(headEnd))
      .flatMap((e) => (e.kind === "frame" ? [Buffer.from(e.frame.raw)] : []));
    const tlsFrames = new FrameDecoder({ direction: "client-to-server" })
      .push(Buffer.concat(clientApp.slice(1)))
      .flatMap((e) => (e.kind === "frame" ? [Buffer.from(e.frame.raw)] : []));
    expect(plainFrames.length).toBe(2);
    expect(tlsFrames).toEqual(plainFrames);
    // The server's side: its Finished and more are handshake messages hidden in application_data records.
    const serverHandshake = run.wss.decrypted
      .filter((r) => r.dir === "out" && r.innerType === 22)
      .flatMap((r) => handshakeMessages(Buffer.from(r.data, "base64")).map((m) => m.name));
    expect(serverHandshake).toEqual(
      expect.arrayContaining(["EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"]),
    );
  });
});

describe("the lab's certificate", () => {
  it("is made once, kept outside the repository, and reused", async () => {
    expect(certificate.source).toBe("generated");
    const again = await labCertificate({ dir });
    expect(again.source).toBe("kept");
    expect(again.cert).toBe(certificate.cert);
  });

  it("takes the operator's own files, both or neither", async () => {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "c.pem"), certificate.cert);
    await writeFile(join(dir, "k.pem"), certificate.key);
    expect((await labCertificate({ certFile: join(dir, "c.pem"), keyFile: join(dir, "k.pem") })).source).toBe(
      "operator",
    );
    await expect(labCertificate({ certFile: join(dir, "c.pem") })).rejects.toThrow(/go together/);
  });
});

describe("an operator's certificate from their own CA", () => {
  it("works too: the lab pins the certificate it serves, and asks for the name on it", async () => {
    const { generate } = await import("selfsigned");
    const ca = await generate([{ name: "commonName", value: "School test CA" }], {
      keyType: "ec",
      algorithm: "sha256",
      extensions: [{ name: "basicConstraints", cA: true }],
    });
    const leaf = await generate([{ name: "commonName", value: "lab.school.example" }], {
      keyType: "ec",
      algorithm: "sha256",
      ca: { key: ca.private, cert: ca.cert },
      extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "lab.school.example" }] }],
    });
    const operatorRun = await runTlsTwin(defaultLabSettings, createLab, { key: leaf.private, cert: leaf.cert });
    expect(operatorRun.wss.problem).toBeNull();
    const hello = parseHello(
      new TlsRecordReader().push(joined(operatorRun.wss.chunks, "in")).records[0]!.bytes.subarray(5),
    );
    expect(hello?.serverName).toBe("lab.school.example");
    expect(operatorRun.wss.decrypted.some((r) => r.dir === "out" && r.innerType === 23)).toBe(true);
  });
});
