// POST /lab/tls-twin over real sockets, through the production server: the gate every run the
// lab makes against itself shares (misbehave/misbehave.test.ts covers its limits), and a run
// that uses the operator's own certificate files.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSite, type Running } from "./test-helpers.ts";
import { TLS_TWIN_PATH } from "../protocol/tls-twin-api.ts";
import { labCertificate } from "./tls/lab-certificate.ts";
import type { TlsTwinRun } from "./tls/tls-twin.ts";

let running: Running | null = null;
let dir: string | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe("POST /lab/tls-twin", () => {
  it("runs the ws:// and wss:// twins with the operator's certificate and answers with both captures", async () => {
    dir = await mkdtemp(join(tmpdir(), "sp-tls-"));
    const made = await labCertificate({ dir });
    await writeFile(join(dir, "operator-cert.pem"), made.cert);
    await writeFile(join(dir, "operator-key.pem"), made.key);
    running = await startSite({
      tlsCertFile: join(dir, "operator-cert.pem"),
      tlsKeyFile: join(dir, "operator-key.pem"),
    });
    const url = `http://127.0.0.1:${running.port}${TLS_TWIN_PATH}`;
    const response = await fetch(url, { method: "POST", headers: { Origin: running.origin } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const run = (await response.json()) as TlsTwinRun;
    expect(run.wss.version).toBe("TLSv1.3");
    expect(run.wss.problem).toBeNull();
    expect(run.ws.chunks.length).toBeGreaterThan(2);
    expect(run.wss.decrypted.some((r) => r.dir === "in" && r.innerType === 23)).toBe(true);

    expect((await fetch(url, { method: "POST", headers: { Origin: "http://evil.example" } })).status).toBe(403);
    expect((await fetch(url, { headers: { Origin: running.origin } })).status).toBe(405);
  });
});
