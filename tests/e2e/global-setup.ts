// Starts the real production server the way a user does (`node src/server/start.mjs`, which
// builds the site when dist/ is stale) on a free port, and hands its URL to the browser tests.
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The same server's https:// side (--https-port), with the lab's own self-signed certificate. */
    httpsUrl: string;
  }
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
let server: ChildProcess | null = null;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  server = spawn(process.execPath, [join(root, "src", "server", "start.mjs"), "--port", "0", "--https-port", "0"], {
    cwd: root,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const child = server;
  let output = "";
  const urls = await new Promise<{ baseUrl: string; httpsUrl: string }>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The production server did not start within 200 s:\n${output}`)),
      200_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const plain = /running at (http:\/\/[^\s]+)/.exec(output);
      const secure = /over TLS at (https:\/\/[^\s]+)/.exec(output);
      if (plain && secure) {
        clearTimeout(timer);
        resolvePromise({ baseUrl: plain[1]!.replace(/\/$/, ""), httpsUrl: secure[1]!.replace(/\/$/, "") });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The production server exited with code ${code}:\n${output}`));
    });
  });
  project.provide("baseUrl", urls.baseUrl);
  project.provide("httpsUrl", urls.httpsUrl);

  return async () => {
    if (!child.pid || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  };
}
