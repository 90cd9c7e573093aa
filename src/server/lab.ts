// The lab: WebSocket endpoints under /lab/ that the lesson widgets connect to, plain-HTTP
// endpoints for the lessons on HTTP and server push (http-lab/http-lab.ts: /lab/http/whoami and
// the push race under /lab/race), lesson 8's demo cookie (endpoints/demo-cookie.ts), and a small
// JSON description of its limits at GET /lab/info.
// The same module serves the Astro dev server (src/server/astro-lab-integration.ts) and the
// production server (src/server/site-server.ts).
//
// Every upgrade goes through the same gate, in this order:
//   unknown /lab/ path or unknown race → 404 · foreign or missing Origin → 403 (RFC 6455 §10.2;
//   tapped first when it carries a watch token, so lesson 8 can show the refused handshake)
//   too many sockets from one address → 429 · a race socket with a bad delay/after → 400, or
//   whose race has no room for another waiting connection → 429 (race/race-websocket.ts) · a
//   malformed watch token → 400, a token whose monitor is missing or busy → 409
//   (tap/tap-hub.ts) · not GET → 405, version not 13 → 426, no websocket Upgrade token or a bad
//   key → 400 (handshake-gate.ts) · otherwise `ws` completes the handshake (§4.2.2). Plain HTTP
//   to an endpoint gets 426 Upgrade Required.
// Compression is off (no permessage-deflate) so frames stay readable and compression side
// channels stay closed. Messages above maxMessageBytes close with 1009; a connection sending
// faster than maxMessagesPerSecond closes with 1008; a peer that stops answering pings is
// dropped; a connection that never finishes its request head is cut after handshakeTimeoutMs.
//
// /lab/monitor is the wire tap's side channel (src/server/tap/tap-hub.ts): an endpoint opened
// with ?watch=TOKEN is captured byte for byte and reported to the monitor holding that token.
// Monitors pass the same gate, get their own small message limit (their requests are tiny)
// and the same message rate limit, and are never tapped themselves.
//
// /lab/naive-echo is lesson 8's server that forgets to check Origin: the same echo with every
// other part of the gate, so the lesson can show what such a server accepts from another site's
// page. It holds nothing and answers nothing but an echo of what it was sent.
//
// /lab/room is the classroom (src/server/room/): it is an endpoint like echo, so it gets the
// whole gate and can be tapped; its rooms belong to this lab instance and close with it.
import type { IncomingMessage } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { createAddressCount } from "./address-count.ts";
import { checkOrigin } from "./origin.ts";
import { handshakeRefusal } from "./handshake-gate.ts";
import { labSocketClass } from "./lab-socket.ts";
import { rejectUpgrade } from "./reject-upgrade.ts";
import { watchHandshakes } from "./handshake-timeout.ts";
import { startHeartbeat, type Heartbeat } from "./heartbeat.ts";
import { defaultLabSettings, type LabSettings } from "./settings.ts";
import type { Lab } from "./lab-interface.ts";
import { echo } from "./endpoints/echo.ts";
import { DEMO_COOKIE_PATH, NAIVE_ECHO_PATH } from "../protocol/hijack-demo.ts";
import { answerDemoCookie } from "./endpoints/demo-cookie.ts";
import { COMMAND_NAMES, MONITOR_MAX_MESSAGE_BYTES } from "./tap/commands.ts";
import { createTapHub, MONITOR_PATH } from "./tap/tap-hub.ts";
import { createHttpLab } from "./http-lab/http-lab.ts";
import { createRooms, ROOM_PATH } from "./room/rooms.ts";
import { createSelfRunsHttp } from "./self-runs-http.ts";
import { createOwnConnections } from "./tls/own-connections.ts";

export const LAB_PREFIX = "/lab/";

type Endpoint = (socket: WebSocket, request: IncomingMessage) => void;

/** Endpoints that keep no state between connections; stateful ones are added per lab in createLab. */
const statelessEndpoints: Record<string, Endpoint> = {
  "/lab/echo": echo,
  [NAIVE_ECHO_PATH]: echo,
};

function urlOf(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? "/", "http://lab.invalid");
  } catch {
    return new URL("http://lab.invalid/");
  }
}

function ignore(): void {}

function pathOf(request: IncomingMessage): string {
  return urlOf(request).pathname;
}

export function createLab(overrides: Partial<LabSettings> = {}): Lab {
  const settings: LabSettings = { ...defaultLabSettings, ...overrides };
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: settings.maxMessageBytes,
    // The lab tracks its sockets itself (`open` below): ws's tracking would give each socket a
    // close listener and a closure of its own.
    clientTracking: false,
    // Message rate and send budget (lab-socket.ts).
    WebSocket: labSocketClass({
      messagesPerSecond: settings.maxMessagesPerSecond,
      sendBudgetBytes: settings.maxSendBufferBytes,
    }),
  });
  // Monitors get a server of their own only for its smaller maxPayload.
  const monitorWss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MONITOR_MAX_MESSAGE_BYTES,
    clientTracking: false,
    // The same message rate; a monitor's sends are bounded by its outbox (tap/event-outbox.ts).
    WebSocket: labSocketClass({ messagesPerSecond: settings.maxMessagesPerSecond, sendBudgetBytes: null }),
  });
  const tap = createTapHub(settings);
  const httpLab = createHttpLab(settings);
  const rooms = createRooms(settings);
  const ownConnections = createOwnConnections();
  const selfRuns = createSelfRunsHttp(settings, createLab, ownConnections);
  const endpoints: Record<string, Endpoint> = { ...statelessEndpoints, [ROOM_PATH]: rooms.endpoint };
  let otherSitePort: number | null = null;
  const speaksOnlyWebSocket = (path: string): boolean => Object.hasOwn(endpoints, path) || path === MONITOR_PATH;
  const perAddress = createAddressCount();
  const heartbeats = new Map(
    [wss, monitorWss].map((server) => [server, startHeartbeat(server, settings.heartbeatIntervalMs)]),
  );
  /** Every open lab socket (endpoints and monitors), and the heartbeat that pings it. */
  const open = new Map<WebSocket, Heartbeat>();
  const unwatchers: Array<() => void> = [];

  // Per-socket state lives in a weak map or on the socket's class (lab-socket.ts) and is made
  // when first needed, and the listeners below are shared (`this` is the socket): an idle lab
  // socket costs little more than ws's own (bench/lab-vs-ws.ts measures it beside a plain ws server).
  const addressOf = new WeakMap<WebSocket, string>();

  // The one close listener a lab socket has: a second one on the same event would cost each
  // socket an array of listeners.
  function untrack(this: WebSocket): void {
    const address = addressOf.get(this);
    if (address !== undefined) perAddress.remove(address);
    open.get(this)?.forget(this);
    open.delete(this);
  }

  function accept(server: WebSocketServer, ws: WebSocket, request: IncomingMessage, address: string): void {
    // ws reports protocol violations (oversized or malformed frames, bad UTF-8) as an
    // 'error' and closes with the matching code itself; without a listener the error
    // would be thrown and take the whole server down for everyone.
    ws.on("error", ignore);
    addressOf.set(ws, address);
    perAddress.add(address);
    open.set(ws, heartbeats.get(server)!);
    ws.on("close", untrack);
    server.emit("connection", ws, request);
  }

  return {
    ownConnections,
    settings,

    handleUpgrade(request, socket, head) {
      const url = urlOf(request);
      const path = url.pathname;
      if (!path.startsWith(LAB_PREFIX)) return false;
      const isMonitor = path === MONITOR_PATH;
      const fixed = endpoints[path];
      const race = fixed || isMonitor ? null : httpLab.raceUpgrade(path, url.searchParams);
      if (race && !race.ok) {
        rejectUpgrade(socket, race.status, race.message);
        return true;
      }
      if (!fixed && !isMonitor && !race) {
        rejectUpgrade(
          socket,
          404,
          `There is no lab endpoint at ${path}. Known endpoints: ${[...Object.keys(endpoints), MONITOR_PATH, "/lab/race/ID/ws"].join(", ")}.`,
        );
        return true;
      }
      // The naive endpoint forgets the Origin check on purpose (lesson 8); it only ever echoes.
      const verdict =
        path === NAIVE_ECHO_PATH
          ? ({ allowed: true } as const)
          : checkOrigin(request.headers.origin, request.headers.host, settings.allowedOrigins);
      if (!verdict.allowed) {
        // A refused page that holds a reader's watch token (lesson 8's other site, given it by the
        // lesson) is tapped first, so the reader sees the handshake their browser sent, cookie and
        // all, and the 403 it got. Only the token's holder sees it, as for any specimen.
        const watch = isMonitor ? null : tap.checkSpecimen(request);
        const tapped = watch?.ok ? tap.beginSpecimen(watch.token, request, socket, head, path) : null;
        rejectUpgrade(socket, 403, verdict.reason);
        tapped?.refused();
        return true;
      }
      const address = request.socket.remoteAddress ?? "unknown";
      if (perAddress.of(address) >= settings.maxConnectionsPerAddress) {
        rejectUpgrade(
          socket,
          429,
          `This address already has ${settings.maxConnectionsPerAddress} lab connections open; close some and try again.`,
          { "Retry-After": "5" },
        );
        return true;
      }
      const raceRefusal = race?.upgrade.refusal();
      if (raceRefusal) {
        rejectUpgrade(
          socket,
          raceRefusal.status,
          raceRefusal.message,
          raceRefusal.status === 429 ? { "Retry-After": "1" } : {},
        );
        return true;
      }
      if (isMonitor) {
        const wrong = handshakeRefusal(request);
        if (wrong) {
          rejectUpgrade(socket, wrong.status, wrong.message, wrong.headers);
          return true;
        }
        const claim = tap.checkMonitor(request);
        if (!claim.ok) {
          rejectUpgrade(socket, claim.status, claim.message);
          return true;
        }
        monitorWss.handleUpgrade(request, socket, head, (ws) => {
          accept(monitorWss, ws, request, address);
          tap.openMonitor(claim.token, ws);
        });
        return true;
      }
      const watch = tap.checkSpecimen(request);
      if (watch && !watch.ok) {
        rejectUpgrade(socket, watch.status, watch.message);
        return true;
      }
      // The tap wraps the socket's writes before ws writes the 101, so the response is captured.
      const tapped = watch ? tap.beginSpecimen(watch.token, request, socket, head, path) : null;
      // Checked after the tap began, so a watched reader sees the refusal their request got.
      const wrong = handshakeRefusal(request);
      if (wrong) {
        rejectUpgrade(socket, wrong.status, wrong.message, wrong.headers);
        tapped?.refused();
        return true;
      }
      // A race socket's bytes are counted from here on, so its 101 is counted too.
      const endpoint: Endpoint | null = fixed ?? race?.upgrade.begin(request, socket, head) ?? null;
      if (!endpoint) {
        rejectUpgrade(socket, 404, `There is no lab endpoint at ${path}.`);
        return true;
      }
      let upgraded = false;
      wss.handleUpgrade(request, socket, head, (ws) => {
        upgraded = true;
        accept(wss, ws, request, address);
        tapped?.upgraded(ws);
        endpoint(ws, request);
      });
      // ws completes (or refuses) a handshake synchronously when there is no verifyClient.
      if (!upgraded) tapped?.refused();
      return true;
    },

    speaksOnlyWebSocket,

    handleExtendedConnect(stream, headers) {
      const refuse = (status: number, message: string, extra: Record<string, string> = {}): void => {
        if (stream.destroyed || stream.headersSent) return;
        stream.respond({
          ":status": status,
          "content-type": "text/plain; charset=utf-8",
          "x-content-type-options": "nosniff",
          ...extra,
        });
        stream.end(`${message}\n`);
      };
      const path = new URL(String(headers[":path"] ?? "/"), "http://lab.invalid").pathname;
      const endpoint = Object.hasOwn(statelessEndpoints, path) ? statelessEndpoints[path]! : null;
      if (!endpoint)
        return refuse(
          404,
          `There is no lab endpoint for WebSockets over HTTP/2 at ${path}. Known: ${Object.keys(statelessEndpoints).join(", ")}.`,
        );
      // Over HTTP/2 the host is :authority (RFC 9113 §8.3.1).
      const authority = String(headers[":authority"] ?? "");
      const verdict =
        path === NAIVE_ECHO_PATH
          ? ({ allowed: true } as const)
          : checkOrigin(headers.origin, authority, settings.allowedOrigins);
      if (!verdict.allowed) return refuse(403, verdict.reason);
      const address = stream.session?.socket?.remoteAddress ?? "unknown";
      if (perAddress.of(address) >= settings.maxConnectionsPerAddress)
        return refuse(
          429,
          `This address already has ${settings.maxConnectionsPerAddress} lab connections open; close some and try again.`,
          { "retry-after": "5" },
        );
      if (String(headers["sec-websocket-version"] ?? "").trim() !== "13") {
        return refuse(426, "This lab speaks WebSocket version 13 (RFC 6455 §4.4).", { "sec-websocket-version": "13" });
      }
      // Success is any 2xx, with no Sec-WebSocket-Accept: HTTP/2 already guarantees both ends speak it (RFC 8441 §5).
      stream.respond({ ":status": 200 });
      const options = wss.options;
      // A server-side socket, as ws's own server makes one (no address: it does not dial out).
      type ServerSide = new (
        address: null,
        protocols: undefined,
        options: object,
      ) => WebSocket & { setSocket(socket: unknown, head: Buffer, options: object): void };
      const ws = new (options.WebSocket as unknown as ServerSide)(null, undefined, options);
      // ws runs a WebSocket over any duplex stream (its setSocket, what its server's upgrade ends with):
      // here the HTTP/2 stream, whose DATA frames carry the WebSocket frames (RFC 8441 §5).
      ws.setSocket(stream, Buffer.alloc(0), {
        allowSynchronousEvents: options.allowSynchronousEvents,
        maxPayload: options.maxPayload,
        skipUTF8Validation: options.skipUTF8Validation,
      });
      accept(wss, ws, stream as unknown as IncomingMessage, address);
      endpoint(ws, stream as unknown as IncomingMessage);
    },

    announceOtherSite(port) {
      otherSitePort = port;
    },

    handleHttp(request, response) {
      const path = pathOf(request);
      // Every lab answer, under the dev server too (the production server sets it for every response).
      if (path.startsWith(LAB_PREFIX)) response.setHeader("X-Content-Type-Options", "nosniff");
      if (path === DEMO_COOKIE_PATH) {
        answerDemoCookie(request, response, settings.allowedOrigins);
        return true;
      }
      if (selfRuns.handle(request, response, path, urlOf(request).searchParams)) return true;
      if (httpLab.handle(request, response)) return true;
      if (speaksOnlyWebSocket(path)) {
        // Plain HTTP to an address that only speaks WebSocket (RFC 9110 §15.5.22: 426 names the protocol to upgrade to).
        const body = `${path} speaks WebSocket only: send an opening handshake (GET with Upgrade: websocket and Connection: Upgrade, RFC 6455 §4.1).\n`;
        response.writeHead(426, {
          Upgrade: "websocket",
          Connection: "Upgrade",
          "Content-Type": "text/plain; charset=utf-8",
          "Content-Length": Buffer.byteLength(body),
        });
        response.end(request.method === "HEAD" ? undefined : body);
        return true;
      }
      if (path !== "/lab/info") return false;
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { Allow: "GET, HEAD", "Content-Type": "text/plain; charset=utf-8" }).end("Use GET.\n");
        return true;
      }
      const body = JSON.stringify({
        endpoints: Object.keys(endpoints),
        monitor: { path: MONITOR_PATH, maxMessageBytes: MONITOR_MAX_MESSAGE_BYTES, commands: COMMAND_NAMES },
        tap: tap.limits,
        maxMessageBytes: settings.maxMessageBytes,
        maxMessagesPerSecond: settings.maxMessagesPerSecond,
        handshakeTimeoutMs: settings.handshakeTimeoutMs,
        heartbeatIntervalMs: settings.heartbeatIntervalMs,
        compression: false,
        otherSite:
          otherSitePort === null
            ? null
            : { port: otherSitePort, naiveEchoPath: NAIVE_ECHO_PATH, demoCookiePath: DEMO_COOKIE_PATH },
        room: rooms.info(),
        ...httpLab.info(),
        ...selfRuns.info(),
      });
      response.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Length": Buffer.byteLength(body),
      });
      response.end(request.method === "HEAD" ? undefined : body);
      return true;
    },

    watch(server) {
      unwatchers.push(watchHandshakes(server, settings.handshakeTimeoutMs), tap.watch(server), httpLab.watch(server));
    },

    async close(reason = "The lab server is shutting down") {
      for (const heartbeat of heartbeats.values()) heartbeat.stop();
      for (const unwatch of unwatchers.splice(0)) unwatch();
      httpLab.close(reason);
      // Rooms are forgotten quietly; every socket then gets 1001 below, so pages offer to reconnect.
      rooms.close();
      const closing = [...open.keys()].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.readyState === client.CLOSED) return resolve();
            const force = setTimeout(() => client.terminate(), 1000);
            client.once("close", () => {
              clearTimeout(force);
              resolve();
            });
            client.close(1001, reason);
          }),
      );
      await Promise.all(closing);
      await Promise.all(
        [wss, monitorWss].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },

    connectionCount() {
      return open.size;
    },

    tapStats: () => tap.stats(),

    httpStats: () => httpLab.stats(),

    roomStats: () => rooms.stats(),
  };
}
