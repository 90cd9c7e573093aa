// The certificate the lab's TLS side uses. An operator's own (`npm start -- --tls-cert F
// --tls-key F`, or LAB_TLS_CERT and LAB_TLS_KEY) is read as given. Otherwise the lab makes a
// self-signed one the first time it needs it (the `selfsigned` library: an EC P-256 key, a year,
// for localhost, 127.0.0.1 and ::1) and keeps it outside the repository, in the user's cache
// directory, so every start reuses it and nothing secret is ever committed. A kept certificate
// that expires within a day is made again.
import { X509Certificate } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface LabCertificate {
  key: string;
  cert: string;
  /** Where it came from, for the operator's log. */
  source: "operator" | "kept" | "generated";
}

export interface CertificateOptions {
  certFile?: string | null;
  keyFile?: string | null;
  /** Where a generated certificate is kept; defaults to ~/.cache/switching-protocols (or $XDG_CACHE_HOME). */
  dir?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function defaultCertificateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "switching-protocols");
}

function usable(cert: string, now: number): boolean {
  try {
    return new X509Certificate(cert).validToDate.getTime() - now > DAY_MS;
  } catch {
    return false;
  }
}

export async function labCertificate(options: CertificateOptions = {}, now = Date.now()): Promise<LabCertificate> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile)
      throw new Error("--tls-cert and --tls-key go together: give both files, or neither for a generated certificate.");
    return {
      cert: await readFile(options.certFile, "utf8"),
      key: await readFile(options.keyFile, "utf8"),
      source: "operator",
    };
  }
  const dir = options.dir ?? defaultCertificateDir();
  const certPath = join(dir, "lab-cert.pem");
  const keyPath = join(dir, "lab-key.pem");
  try {
    const [cert, key] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
    if (usable(cert, now)) return { cert, key, source: "kept" };
  } catch {
    // Nothing kept yet: made below.
  }
  const notBeforeDate = new Date(now - DAY_MS);
  const notAfterDate = new Date(now + 365 * DAY_MS);
  const pems = await generate([{ name: "commonName", value: "Switching Protocols lab" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, source: "generated" };
}
