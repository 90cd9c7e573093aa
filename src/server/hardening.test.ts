// The production server attacked as a hostile page and a hostile client would, over real
// sockets: DNS rebinding (a foreign Host), request bodies trickled a byte at a time, one address
// holding connection after connection, an HTTP/1.0 upgrade, and responses a browser might sniff.
import { afterEach, describe, expect, it } from "vitest";
import { connect, type Socket } from "node:net";
import { rawExchange, startSite, upgradeRequest, type Running } from "./test-helpers.ts";
import { createHostPolicy, hostnameOf } from "./host-check.ts";

let running: Running | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await running?.stop();
  running = null;
});

const get = (path: string, host: string): string =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

describe("Host check (DNS rebinding)", () => {
  it("refuses a foreign Host with 421 on pages, lab HTTP and upgrades, even with a matching Origin", async () => {
    running = await startSite();
    const evil = `attacker.example:${running.port}`;
    for (const path of ["/", "/lab/info", "/lab/http/whoami"]) {
      const { response } = await rawExchange(running.port, get(path, evil));
      expect(response, path).toMatch(/^HTTP\/1\.1 421 Misdirected Request\r\n/);
      expect(response).toContain("DNS rebinding");
      expect(response).toContain("X-Content-Type-Options: nosniff");
    }
    const post = await rawExchange(
      running.port,
      `POST /lab/race HTTP/1.1\r\nHost: ${evil}\r\nOrigin: http://${evil}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    expect(post.response).toMatch(/^HTTP\/1\.1 421 /);
    for (const path of ["/lab/echo", "/lab/naive-echo", "/lab/room"]) {
      const { response } = await rawExchange(
        running.port,
        upgradeRequest(path, { Host: evil, Origin: `http://${evil}` }),
      );
      expect(response, path).toMatch(/^HTTP\/1\.1 421 Misdirected Request\r\n/);
      expect(response).not.toContain(" 101 ");
    }
  });

  it("answers for loopback names and addresses, and for names on the allow-list", async () => {
    running = await startSite({ allowedHosts: ["classroom.lan"] });
    for (const host of [
      `127.0.0.1:${running.port}`,
      `localhost:${running.port}`,
      "LOCALHOST",
      `[::1]:${running.port}`,
      "classroom.lan",
      "Classroom.LAN.",
    ]) {
      const { response } = await rawExchange(running.port, get("/lab/info", host));
      expect(response, host).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    }
    const { response } = await rawExchange(
      running.port,
      upgradeRequest("/lab/echo", { Host: "classroom.lan", Origin: "http://classroom.lan" }),
      300,
    );
    expect(response).toMatch(/^HTTP\/1\.1 101 /);
  });

  it("refuses a request without Host or with a malformed one with 400", async () => {
    running = await startSite();
    const none = await rawExchange(running.port, "GET / HTTP/1.0\r\n\r\n");
    expect(none.response).toMatch(/^HTTP\/1\.1 400 /);
    const bad = await rawExchange(running.port, get("/", "evil.example:80:80"));
    expect(bad.response).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe("host names and the policy, without sockets", () => {
  it("reads the name from a Host header", () => {
    expect(hostnameOf("Example.COM:4321")).toBe("example.com");
    expect(hostnameOf("[::1]:80")).toBe("::1");
    expect(hostnameOf("name.local.")).toBe("name.local");
    for (const bad of ["", "a b", "x:y", "[::1", "[zz]", "host:123456", "évil.example"])
      expect(hostnameOf(bad), bad).toBeNull();
  });

  it("serves the machine's addresses and names only when it serves the network", () => {
    const machine = () => ({
      addresses: ["192.168.1.20", "fe80::1"],
      names: ["teacher-laptop", "teacher-laptop.local"],
    });
    const lan = createHostPolicy({ listenHost: "0.0.0.0", allowedHosts: [], machine });
    const local = createHostPolicy({ listenHost: "127.0.0.1", allowedHosts: [], machine });
    for (const host of ["192.168.1.20:4321", "teacher-laptop:4321", "teacher-laptop.local", "[fe80::1]:4321"]) {
      expect(lan(host).ok, host).toBe(true);
      expect(local(host).ok, host).toBe(false);
    }
    expect(lan("attacker.example")).toMatchObject({ ok: false, status: 421 });
    const one = createHostPolicy({
      listenHost: "192.168.1.20",
      allowedHosts: [],
      machine: () => ({ addresses: [], names: [] }),
    });
    expect(one("192.168.1.20:4321").ok).toBe(true);
    expect(one("10.0.0.9").ok).toBe(false);
  });
});

describe("slow and numerous connections", () => {
  it("cuts a connection whose request body trickles in, within the request timeout", async () => {
    running = await startSite({ handshakeTimeoutMs: 300, httpRequestTimeoutMs: 600 });
    const socket = connect(running.port, "127.0.0.1");
    sockets.push(socket);
    let response = "";
    socket.on("data", (chunk) => (response += chunk.toString("latin1")));
    socket.on("error", () => {});
    const closed = new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now())));
    const started = Date.now();
    socket.write(
      `POST /lab/race HTTP/1.1\r\nHost: 127.0.0.1:${running.port}\r\nOrigin: ${running.origin}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`,
    );
    const trickle = setInterval(() => !socket.destroyed && socket.write("x"), 100);
    const at = await closed;
    clearInterval(trickle);
    // The timeout is checked once a second, so the cut comes within the timeout plus that second.
    expect(at - started).toBeLessThan(600 + 1000 + 500);
    // The race is created from the head alone (201); the connection is cut all the same, since the
    // request never arrived whole. A handler still waiting for the body would see a 408 instead.
    expect(response).toMatch(/^HTTP\/1\.1 (201|408) /);
  }, 10_000);

  it("caps the connections one address holds, and answers the extra ones with 429", async () => {
    running = await startSite({ maxHttpConnectionsPerAddress: 5 });
    const port = running.port;
    const idle = await Promise.all(
      Array.from(
        { length: 5 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, "127.0.0.1", () => resolve(socket));
            socket.on("error", () => {});
            sockets.push(socket);
          }),
      ),
    );
    expect(idle).toHaveLength(5);
    const over = await rawExchange(port, get("/lab/info", `127.0.0.1:${port}`));
    expect(over.response).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(over.response).toContain("already has 5 connections");
    const upgrade = await rawExchange(
      port,
      upgradeRequest("/lab/echo", { Host: `127.0.0.1:${port}`, Origin: running.origin }),
    );
    expect(upgrade.response).toMatch(/^HTTP\/1\.1 429 /);
    // A refused connection that sends nothing is closed soon, holding nothing.
    const silent = connect(port, "127.0.0.1");
    sockets.push(silent);
    silent.on("error", () => {});
    const silentClosed = await new Promise<boolean>((resolve) => {
      silent.on("close", () => resolve(true));
      setTimeout(() => resolve(false), 4000);
    });
    expect(silentClosed).toBe(true);
    // Freed places are given again.
    idle[0]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const again = await rawExchange(port, get("/lab/info", `127.0.0.1:${port}`));
    expect(again.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  }, 10_000);

  it("keeps the server-wide cap: past it every address gets 503", async () => {
    running = await startSite({ maxHttpConnections: 3 });
    const port = running.port;
    for (let i = 0; i < 3; i++) {
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => {});
      sockets.push(socket);
      await new Promise((r) => socket.once("connect", r));
    }
    await new Promise((r) => setTimeout(r, 50));
    const over = await rawExchange(port, get("/", `127.0.0.1:${port}`));
    expect(over.response).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
  });
});

describe("HTTP/1.0 upgrade and nosniff", () => {
  it("refuses an HTTP/1.0 upgrade with 400 and says why (RFC 6455 §4.1)", async () => {
    running = await startSite();
    const request = upgradeRequest("/lab/echo", { Host: `127.0.0.1:${running.port}`, Origin: running.origin }).replace(
      "HTTP/1.1",
      "HTTP/1.0",
    );
    const { response } = await rawExchange(running.port, request);
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(response).toContain("HTTP/1.1 or higher");
    expect(response).not.toContain(" 101 ");
  });

  it("sends X-Content-Type-Options: nosniff on every kind of response", async () => {
    running = await startSite();
    const { origin } = running;
    const answers = await Promise.all([
      fetch(`${origin}/`),
      fetch(`${origin}/missing`),
      fetch(`${origin}/`, { method: "POST" }),
      fetch(`${origin}/lab/info`),
      fetch(`${origin}/lab/info`, { method: "POST" }),
      fetch(`${origin}/lab/echo`),
      fetch(`${origin}/lab/http/whoami`),
      fetch(`${origin}/lab/http/whoami?delay=nope`),
      fetch(`${origin}/lab/race/nope/events`),
    ]);
    for (const answer of answers)
      expect(answer.headers.get("x-content-type-options"), `${answer.url} ${answer.status}`).toBe("nosniff");
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200, 404, 405, 426, 400]));
  });
});
