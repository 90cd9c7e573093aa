// The production server, bundled at build time into dist-server/serve.mjs (server-bundle.ts) and
// run by `npm start` (start.mjs), which has already built the site if it was stale: serves the
// site and the lab from one process.
//   npm start                  → http://127.0.0.1:4321 (this machine only)
//   npm start -- --host        → every network interface; prints the addresses students open
//                                and, on a terminal (or with --qr), a QR code for the join page
//   npm start -- --port 3000   → another port (PORT and HOST environment variables work too)
//   npm start -- --https-port 4433 → also https:// and wss:// on that port, with the operator's
//                                certificate (--tls-cert/--tls-key) or the lab's own self-signed one
//   npm start -- --other-site-port 4400 → lesson 8's other site there (by default, the next port)
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { labSettingsFromEnv, serverSettingsFrom } from "./settings.ts";
import { labCertificate } from "./tls/lab-certificate.ts";
import { createSiteServer } from "./site-server.ts";
import { terminalQr } from "./terminal-qr.ts";

function lanAddresses(): string[] {
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === "IPv4" && !info.internal) found.push(info.address);
    }
  }
  return found;
}

/** Serves `root`/dist with the arguments and environment this process was started with. */
export async function serve(root: string): Promise<void> {
  const distDir = join(root, "dist");
  let server, lab;
  try {
    server = serverSettingsFrom(process.argv.slice(2), process.env);
    lab = labSettingsFromEnv(process.env);
    // Files named on the command line win over the environment's.
    if (server.tlsCertFile) lab = { ...lab, tlsCertFile: server.tlsCertFile, tlsKeyFile: server.tlsKeyFile };
  } catch (error) {
    console.error(`Cannot start: ${(error as Error).message}`);
    process.exit(2);
  }
  const site = createSiteServer({ distDir, lab });
  let address;
  try {
    address = await site.listen(server.port, server.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === "EADDRINUSE"
        ? `Port ${server.port} is already in use. Try: npm start -- --port ${server.port + 1}`
        : `Cannot listen: ${(error as Error).message}`,
    );
    process.exit(1);
  }
  const port = address.port;
  const local = server.lan ? "127.0.0.1" : address.address.includes(":") ? `[${address.address}]` : address.address;
  console.log(`Switching Protocols is running at http://${local}:${port}/`);
  if (server.httpsPort !== null) {
    try {
      const certificate = await labCertificate({ certFile: lab.tlsCertFile, keyFile: lab.tlsKeyFile });
      const secure = await site.listenHttps(server.httpsPort, server.host, certificate);
      console.log(
        `… and over TLS at https://${local}:${secure.port}/ (lesson 7 then shows your own wss:// connection)`,
      );
      if (certificate.source !== "operator")
        console.log(
          "  The certificate is the lab's own, self-signed: browsers warn about it unless it is trusted (npm start -- --tls-cert F --tls-key F uses yours).",
        );
    } catch (error) {
      console.error(`Cannot serve https://: ${(error as Error).message}`);
      process.exit(1);
    }
  }
  // Lesson 8's other site: a second origin on the next port. It is a demonstration, so a port
  // already in use only costs that demonstration, with a note saying how to choose another.
  const otherPort = server.otherSitePort ?? (port === 0 || server.port === 0 ? 0 : port + 1);
  if (otherPort <= 65535) {
    try {
      const other = await site.listenOtherSite(otherPort, server.host);
      console.log(`… and lesson 8's "other site" (a second origin) at http://${local}:${other.port}/`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      console.log(
        `Lesson 8's other site could not start (${code === "EADDRINUSE" ? `port ${otherPort} is in use` : (error as Error).message}); choose a port with --other-site-port.`,
      );
    }
  }
  if (server.lan) {
    const addresses = lanAddresses();
    if (addresses.length === 0)
      console.log("No network interface has an IPv4 address; students cannot reach this machine yet.");
    else {
      console.log("Students on the same network can open:");
      for (const ip of addresses) console.log(`  http://${ip}:${port}/`);
      // Piped output (a log file, a test) gets no block art unless asked for with --qr.
      if (process.stdout.isTTY || server.qr) {
        const join = `http://${addresses[0]}:${port}/join/`;
        console.log(`\nStudents can scan this to open ${join}`);
        for (const row of terminalQr(join)) console.log(`  ${row}`);
        console.log("");
      }
    }
  }
  console.log("Press Ctrl+C to stop.");

  const stop = (signal: string): void => {
    console.log(`\n${signal} received: closing lab connections (1001 Going Away) and stopping.`);
    site.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 3000).unref();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}
