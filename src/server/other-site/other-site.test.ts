// Lesson 8's cross-site hijacking demonstration over real sockets: the other site is a second
// origin that serves only its page; the lab's demo cookie is HttpOnly and Lax; a handshake from
// the other origin carrying the cookie is refused with 403 and, when it holds the reader's watch
// token, the tap reports the request (cookie included) and the refusal; the naive endpoint
// accepts the same handshake and only echoes.
import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DEMO_COOKIE_NAME, DEMO_COOKIE_PATH, NAIVE_ECHO_PATH } from "../../protocol/hijack-demo.ts";
import { base64ToBytes } from "../../protocol/base64.ts";
import { generateToken, openMonitor } from "../tap/tap-test-helpers.ts";
import { rawExchange, startSite, upgradeRequest, type Running } from "../test-helpers.ts";
import { OTHER_SITE_PAGE } from "./other-site.ts";

let running: Running | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function listenOther(site: Running): Promise<{ otherPort: number; otherOrigin: string }> {
  const { port } = await site.site.listenOtherSite(0, "127.0.0.1");
  return { otherPort: port, otherOrigin: `http://127.0.0.1:${port}` };
}

const text = (data: string): string => new TextDecoder().decode(base64ToBytes(data)!);

describe("the other site", () => {
  it("serves its page at / as a second origin, and nothing else; the main site does not serve that page", async () => {
    running = await startSite();
    await mkdir(join(running.distDir, "other-site"), { recursive: true });
    await writeFile(join(running.distDir, "other-site", "index.html"), "<!doctype html><title>another site</title>");
    const { otherPort } = await listenOther(running);
    const page = await fetch(`http://127.0.0.1:${otherPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("another site");
    // Its script may connect to the lab, a ws: address on another port.
    expect(page.headers.get("content-security-policy")).toMatch(/connect-src 'self' ws:/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    for (const path of ["/lab/info", "/lessons/start-here/", OTHER_SITE_PAGE])
      expect((await fetch(`http://127.0.0.1:${otherPort}${path}`)).status, path).toBe(404);
    expect((await fetch(`http://127.0.0.1:${running.port}${OTHER_SITE_PAGE}`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${running.port}/other-site`)).status).toBe(404);
    // The main site's pages keep connect-src 'self' alone.
    expect((await fetch(`http://127.0.0.1:${running.port}/`)).headers.get("content-security-policy")).toMatch(
      /connect-src 'self';/,
    );
    // The Host check applies there too (DNS rebinding).
    const rebound = await rawExchange(otherPort, "GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
    expect(rebound.response).toMatch(/^HTTP\/1\.1 421 /);
    const info = await (await fetch(`http://127.0.0.1:${running.port}/lab/info`)).json();
    expect(info.otherSite).toMatchObject({ port: otherPort, naiveEchoPath: NAIVE_ECHO_PATH });
  });

  it("the demo cookie: POST from the lab's own pages only, HttpOnly, SameSite=Lax, for /lab only", async () => {
    running = await startSite();
    const got = await fetch(`http://127.0.0.1:${running.port}${DEMO_COOKIE_PATH}`, {
      method: "POST",
      headers: { Origin: running.origin },
    });
    expect(got.status).toBe(200);
    const body = await got.json();
    expect(body.name).toBe(DEMO_COOKIE_NAME);
    expect(body.value).toMatch(/^reader-[0-9a-f]{12}$/);
    const cookie = got.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`${DEMO_COOKIE_NAME}=${body.value}`);
    expect(cookie).toMatch(/; Path=\/lab;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(
      (
        await fetch(`http://127.0.0.1:${running.port}${DEMO_COOKIE_PATH}`, {
          method: "POST",
          headers: { Origin: "http://evil.example" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await fetch(`http://127.0.0.1:${running.port}${DEMO_COOKIE_PATH}`, { headers: { Origin: running.origin } }))
        .status,
    ).toBe(405);
  });

  it("a handshake from the other origin with the cookie is refused with 403, and the reader's tap sees the cookie and the refusal", async () => {
    running = await startSite();
    const { otherOrigin } = await listenOther(running);
    const token = generateToken();
    const monitor = await openMonitor(running.port, running.origin, token);
    const cookie = `${DEMO_COOKIE_NAME}=reader-0123456789ab`;
    const attempt = await rawExchange(
      running.port,
      upgradeRequest(`/lab/echo?watch=${token}`, {
        Host: `127.0.0.1:${running.port}`,
        Origin: otherOrigin,
        Cookie: cookie,
      }),
    );
    expect(attempt.response).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(attempt.response).toContain(`Pages from ${otherOrigin} may not use this lab`);
    const request = await monitor.find("request");
    expect(text(request.data)).toContain(`Cookie: ${cookie}\r\n`);
    expect(text(request.data)).toContain(`Origin: ${otherOrigin}\r\n`);
    const response = await monitor.find("response");
    expect(text(response.data)).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    // The monitor is free again for the next try.
    const again = await rawExchange(
      running.port,
      upgradeRequest(`/lab/echo?watch=${token}`, { Host: `127.0.0.1:${running.port}`, Origin: otherOrigin }),
    );
    expect(again.response).toMatch(/^HTTP\/1\.1 403 /);
    monitor.ws.close();
  });

  it("without a watch token a foreign page still gets 403, and a bad token does not change that", async () => {
    running = await startSite();
    const { otherOrigin } = await listenOther(running);
    for (const path of ["/lab/echo", "/lab/echo?watch=not-a-token", `/lab/echo?watch=${generateToken()}`]) {
      const attempt = await rawExchange(
        running.port,
        upgradeRequest(path, { Host: `127.0.0.1:${running.port}`, Origin: otherOrigin }),
      );
      expect(attempt.response, path).toMatch(/^HTTP\/1\.1 403 /);
    }
  });

  it("the naive endpoint forgets the Origin check: it accepts the other site's page, and only echoes", async () => {
    running = await startSite();
    const { otherOrigin } = await listenOther(running);
    const socket = new WebSocket(`ws://127.0.0.1:${running.port}${NAIVE_ECHO_PATH}`, {
      origin: otherOrigin,
      headers: { Cookie: `${DEMO_COOKIE_NAME}=x` },
    });
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const echoed = new Promise<string>((resolve) => socket.once("message", (data) => resolve(String(data))));
    socket.send("who am I?");
    expect(await echoed).toBe("who am I?");
    socket.close(1000);
    // Everything else in the gate still applies: a malformed handshake is refused.
    const wrong = await rawExchange(
      running.port,
      upgradeRequest(NAIVE_ECHO_PATH, {
        Host: `127.0.0.1:${running.port}`,
        Origin: otherOrigin,
        "Sec-WebSocket-Version": "8",
      }),
    );
    expect(wrong.response).toMatch(/^HTTP\/1\.1 426 /);
  });
});
