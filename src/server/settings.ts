// The lab's limits and the production server's address, each a named setting with a default.
// Operators set them with environment variables (LAB_* , PORT, HOST) or command-line flags;
// a malformed value is reported as an error instead of silently falling back.
import { defaultConnectionCap } from "./connection-limits.ts";

export interface LabSettings {
  /** Origins allowed besides the page's own (for a site served elsewhere). Exact matches. */
  allowedOrigins: readonly string[];
  /** Host names the server answers for besides its own names and addresses (host-check.ts). */
  allowedHosts: readonly string[];
  /** Time a plain HTTP request has to arrive whole, head and body; a slower one gets 408 and is closed. */
  httpRequestTimeoutMs: number;
  /** TCP connections (plain HTTP and upgraded) one client address may hold open; more are refused with 429. */
  maxHttpConnectionsPerAddress: number;
  /** TCP connections the whole server holds open; more are refused with 503 (default: the descriptor limit less a reserve). */
  maxHttpConnections: number;
  /** Largest message the lab accepts; a bigger one is closed with 1009 (RFC 6455 §7.4.1). */
  maxMessageBytes: number;
  /** Time a new TCP connection has to send a complete request head (stalled handshakes). */
  handshakeTimeoutMs: number;
  /** How often the lab pings; a peer that missed the previous pong is dropped (§5.5.2). */
  heartbeatIntervalMs: number;
  /** Open lab sockets one client address may hold; more are refused with 429. */
  maxConnectionsPerAddress: number;
  /** Sustained messages per second one connection may send; over it closes with 1008. */
  maxMessagesPerSecond: number;
  /** Bytes of one specimen's traffic the wire tap keeps; later chunks are reported without data. */
  tapCaptureBytes: number;
  /** Capture events per second one monitor may receive; more are dropped and counted. */
  tapEventsPerSecond: number;
  /** Unsent bytes a monitor may have queued; while over it, events are dropped and counted. */
  tapMonitorBufferBytes: number;
  /** Largest `delay=MS` a plain-HTTP lab request may ask for (the lab's added latency per write). */
  maxLabDelayMs: number;
  /** Time from creating a push race to its first event, so every transport can connect first. */
  raceLeadMs: number;
  /** Races one client address may hold at once (running or lingering); more get 429. */
  maxRacesPerAddress: number;
  /** Races the whole lab holds at once; more get 429. */
  maxRaces: number;
  /** Held long polls, open event streams and race WebSockets one race may have at once. */
  maxRaceListeners: number;
  /** How long a race's results stay readable after its last event, before it is deleted. */
  raceLingerMs: number;
  /** A long poll with no new event is answered with no events after this long. */
  longPollTimeoutMs: number;
  /** Lab HTTP requests one connection may have waiting at once (held or delayed, pipelined); more get 429. */
  maxOpenRequestsPerConnection: number;
  /** Students one classroom room holds (the teacher is not counted); more get `room-full`. */
  roomMaxParticipants: number;
  /** Rooms one client address may hold open at once; more get `too-many-rooms`. */
  maxRoomsPerAddress: number;
  /** Rooms the whole lab holds at once; more get `too-many-rooms`. */
  maxRooms: number;
  /** Sustained `say` messages per second one room connection may send (burst twice that); over it closes with 1013. */
  roomSayPerSecond: number;
  /** Student seats (connected or keeping their place) one client address may hold in one room; a school network behind one NAT address counts once. */
  roomSeatsPerAddress: number;
  /** Sustained `say` messages per second from one client address across all its room connections (burst twice that); over it gets `rate-limited`. */
  roomSayPerAddressPerSecond: number;
  /** Sustained joins and comebacks (the changes everyone's member list shows) per second from one address; the burst is `roomSeatsPerAddress`, so a class can join at once. */
  roomJoinsPerAddressPerSecond: number;
  /** Wrong join codes or teacher keys one address may send in a minute before it is slowed down (growing waits). */
  roomJoinFailuresPerMinute: number;
  /** How long a disconnected participant keeps their place (and an absent teacher their room). */
  roomGraceMs: number;
  /** Unsent bytes a room participant may have queued; over it they are dropped as a slow reader. */
  roomSendBufferBytes: number;
  /** Bytes a lab socket may have queued for a client before it is dropped as a non-reader. */
  maxSendBufferBytes: number;
  /** The operator's own TLS certificate and key (PEM files); both null means a generated one (tls/lab-certificate.ts). */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
}

export const defaultLabSettings: LabSettings = {
  allowedOrigins: [],
  allowedHosts: [],
  httpRequestTimeoutMs: 10_000,
  maxHttpConnectionsPerAddress: 256,
  maxHttpConnections: defaultConnectionCap(),
  maxMessageBytes: 64 * 1024,
  handshakeTimeoutMs: 10_000,
  heartbeatIntervalMs: 30_000,
  maxConnectionsPerAddress: 32,
  maxMessagesPerSecond: 50,
  tapCaptureBytes: 1024 * 1024,
  tapEventsPerSecond: 500,
  tapMonitorBufferBytes: 1024 * 1024,
  maxLabDelayMs: 2000,
  raceLeadMs: 1000,
  maxRacesPerAddress: 20,
  maxRaces: 200,
  maxRaceListeners: 16,
  raceLingerMs: 60_000,
  longPollTimeoutMs: 20_000,
  maxOpenRequestsPerConnection: 32,
  roomMaxParticipants: 60,
  maxRoomsPerAddress: 5,
  maxRooms: 100,
  roomSayPerSecond: 5,
  roomSeatsPerAddress: 40,
  roomSayPerAddressPerSecond: 10,
  roomJoinsPerAddressPerSecond: 2,
  roomJoinFailuresPerMinute: 5,
  roomGraceMs: 120_000,
  roomSendBufferBytes: 256 * 1024,
  maxSendBufferBytes: 1024 * 1024,
  tlsCertFile: null,
  tlsKeyFile: null,
};

export interface ServerSettings {
  host: string;
  port: number;
  /** True when the operator asked to serve the local network (`--host`). */
  lan: boolean;
  /** `--qr`: print the join page's QR code even when the output is not a terminal. */
  qr: boolean;
  /** `--tls-cert FILE --tls-key FILE`: the operator's own certificate for the lab's TLS side (both or neither). */
  tlsCertFile: string | null;
  tlsKeyFile: string | null;
  /** `--https-port N` (or HTTPS_PORT): also serve https:// and wss:// there (tls/https-listener.ts); null: plain http only. */
  httpsPort: number | null;
  /** `--other-site-port N` (or OTHER_SITE_PORT): lesson 8's other site (other-site/other-site.ts); null: the port after --port (any free port when --port is 0). */
  otherSitePort: number | null;
}

export const defaultServerSettings: ServerSettings = { host: "127.0.0.1", port: 4321, lan: false, qr: false, tlsCertFile: null, tlsKeyFile: null, httpsPort: null, otherSitePort: null };

type Env = Record<string, string | undefined>;

function positiveInteger(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

/** The operator's certificate and key go together: both, or neither (a generated certificate). */
function tlsFiles(cert: string | null, key: string | null, names: string): Pick<LabSettings, "tlsCertFile" | "tlsKeyFile"> {
  if ((cert === null) !== (key === null)) throw new Error(`${names} go together: give both files, or neither for a generated certificate`);
  return { tlsCertFile: cert, tlsKeyFile: key };
}

export function labSettingsFromEnv(env: Env): LabSettings {
  const origins = (env.LAB_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`LAB_ALLOWED_ORIGINS has "${origin}", which is not an origin like http://192.168.1.20:4321`);
    }
    if (parsed.origin !== origin) {
      throw new Error(`LAB_ALLOWED_ORIGINS has "${origin}"; write it as an origin only: ${parsed.origin}`);
    }
  }
  const hosts = (env.LAB_ALLOWED_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    if (!/^[a-z0-9.-]+$/.test(host) && !/^\[[0-9a-f:.]+\]$/.test(host)) {
      throw new Error(`LAB_ALLOWED_HOSTS has "${host}"; write host names only (no scheme or port), like classroom.lan`);
    }
  }
  const handshakeTimeoutMs = positiveInteger("LAB_HANDSHAKE_TIMEOUT_MS", env.LAB_HANDSHAKE_TIMEOUT_MS, defaultLabSettings.handshakeTimeoutMs, 50);
  const httpRequestTimeoutMs = positiveInteger("LAB_HTTP_REQUEST_TIMEOUT_MS", env.LAB_HTTP_REQUEST_TIMEOUT_MS, defaultLabSettings.httpRequestTimeoutMs, 50);
  if (httpRequestTimeoutMs < handshakeTimeoutMs) {
    throw new Error(`LAB_HTTP_REQUEST_TIMEOUT_MS (${httpRequestTimeoutMs}) must be at least LAB_HANDSHAKE_TIMEOUT_MS (${handshakeTimeoutMs}): a request's head is part of the request`);
  }
  return {
    allowedOrigins: origins,
    allowedHosts: hosts.map((h) => h.replace(/^\[|\]$/g, "")),
    httpRequestTimeoutMs,
    maxHttpConnectionsPerAddress: positiveInteger("LAB_MAX_HTTP_CONNECTIONS_PER_ADDRESS", env.LAB_MAX_HTTP_CONNECTIONS_PER_ADDRESS, defaultLabSettings.maxHttpConnectionsPerAddress),
    maxHttpConnections: positiveInteger("LAB_MAX_HTTP_CONNECTIONS", env.LAB_MAX_HTTP_CONNECTIONS, defaultLabSettings.maxHttpConnections),
    maxMessageBytes: positiveInteger("LAB_MAX_MESSAGE_BYTES", env.LAB_MAX_MESSAGE_BYTES, defaultLabSettings.maxMessageBytes, 125),
    handshakeTimeoutMs,
    heartbeatIntervalMs: positiveInteger("LAB_HEARTBEAT_INTERVAL_MS", env.LAB_HEARTBEAT_INTERVAL_MS, defaultLabSettings.heartbeatIntervalMs, 50),
    maxConnectionsPerAddress: positiveInteger("LAB_MAX_CONNECTIONS_PER_ADDRESS", env.LAB_MAX_CONNECTIONS_PER_ADDRESS, defaultLabSettings.maxConnectionsPerAddress),
    maxMessagesPerSecond: positiveInteger("LAB_MAX_MESSAGES_PER_SECOND", env.LAB_MAX_MESSAGES_PER_SECOND, defaultLabSettings.maxMessagesPerSecond),
    tapCaptureBytes: positiveInteger("LAB_TAP_CAPTURE_BYTES", env.LAB_TAP_CAPTURE_BYTES, defaultLabSettings.tapCaptureBytes, 0),
    tapEventsPerSecond: positiveInteger("LAB_TAP_EVENTS_PER_SECOND", env.LAB_TAP_EVENTS_PER_SECOND, defaultLabSettings.tapEventsPerSecond, 10),
    tapMonitorBufferBytes: positiveInteger("LAB_TAP_MONITOR_BUFFER_BYTES", env.LAB_TAP_MONITOR_BUFFER_BYTES, defaultLabSettings.tapMonitorBufferBytes, 16 * 1024),
    maxLabDelayMs: positiveInteger("LAB_MAX_DELAY_MS", env.LAB_MAX_DELAY_MS, defaultLabSettings.maxLabDelayMs, 0),
    raceLeadMs: positiveInteger("LAB_RACE_LEAD_MS", env.LAB_RACE_LEAD_MS, defaultLabSettings.raceLeadMs, 0),
    maxRacesPerAddress: positiveInteger("LAB_MAX_RACES_PER_ADDRESS", env.LAB_MAX_RACES_PER_ADDRESS, defaultLabSettings.maxRacesPerAddress),
    maxRaces: positiveInteger("LAB_MAX_RACES", env.LAB_MAX_RACES, defaultLabSettings.maxRaces),
    maxRaceListeners: positiveInteger("LAB_MAX_RACE_LISTENERS", env.LAB_MAX_RACE_LISTENERS, defaultLabSettings.maxRaceListeners, 4),
    raceLingerMs: positiveInteger("LAB_RACE_LINGER_MS", env.LAB_RACE_LINGER_MS, defaultLabSettings.raceLingerMs, 0),
    longPollTimeoutMs: positiveInteger("LAB_LONG_POLL_TIMEOUT_MS", env.LAB_LONG_POLL_TIMEOUT_MS, defaultLabSettings.longPollTimeoutMs, 50),
    maxOpenRequestsPerConnection: positiveInteger("LAB_MAX_OPEN_REQUESTS_PER_CONNECTION", env.LAB_MAX_OPEN_REQUESTS_PER_CONNECTION, defaultLabSettings.maxOpenRequestsPerConnection),
    roomMaxParticipants: positiveInteger("LAB_ROOM_MAX_PARTICIPANTS", env.LAB_ROOM_MAX_PARTICIPANTS, defaultLabSettings.roomMaxParticipants),
    maxRoomsPerAddress: positiveInteger("LAB_MAX_ROOMS_PER_ADDRESS", env.LAB_MAX_ROOMS_PER_ADDRESS, defaultLabSettings.maxRoomsPerAddress),
    maxRooms: positiveInteger("LAB_MAX_ROOMS", env.LAB_MAX_ROOMS, defaultLabSettings.maxRooms),
    roomSayPerSecond: positiveInteger("LAB_ROOM_SAY_PER_SECOND", env.LAB_ROOM_SAY_PER_SECOND, defaultLabSettings.roomSayPerSecond),
    roomSeatsPerAddress: positiveInteger("LAB_ROOM_SEATS_PER_ADDRESS", env.LAB_ROOM_SEATS_PER_ADDRESS, defaultLabSettings.roomSeatsPerAddress),
    roomSayPerAddressPerSecond: positiveInteger("LAB_ROOM_SAY_PER_ADDRESS_PER_SECOND", env.LAB_ROOM_SAY_PER_ADDRESS_PER_SECOND, defaultLabSettings.roomSayPerAddressPerSecond),
    roomJoinsPerAddressPerSecond: positiveInteger("LAB_ROOM_JOINS_PER_ADDRESS_PER_SECOND", env.LAB_ROOM_JOINS_PER_ADDRESS_PER_SECOND, defaultLabSettings.roomJoinsPerAddressPerSecond),
    roomJoinFailuresPerMinute: positiveInteger("LAB_ROOM_JOIN_FAILURES_PER_MINUTE", env.LAB_ROOM_JOIN_FAILURES_PER_MINUTE, defaultLabSettings.roomJoinFailuresPerMinute),
    roomGraceMs: positiveInteger("LAB_ROOM_GRACE_MS", env.LAB_ROOM_GRACE_MS, defaultLabSettings.roomGraceMs, 1000),
    roomSendBufferBytes: positiveInteger("LAB_ROOM_SEND_BUFFER_BYTES", env.LAB_ROOM_SEND_BUFFER_BYTES, defaultLabSettings.roomSendBufferBytes, 16 * 1024),
    maxSendBufferBytes: positiveInteger("LAB_MAX_SEND_BUFFER_BYTES", env.LAB_MAX_SEND_BUFFER_BYTES, defaultLabSettings.maxSendBufferBytes, 64 * 1024),
    ...tlsFiles(env.LAB_TLS_CERT || null, env.LAB_TLS_KEY || null, "LAB_TLS_CERT and LAB_TLS_KEY"),
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

/**
 * `npm start -- --host` serves the LAN (0.0.0.0); `--host ADDR` picks an address; `--port N`
 * or PORT picks the port (0 asks the OS for a free one, which tests use); `--qr` prints the join
 * page's QR code even when stdout is not a terminal (it is printed on a terminal anyway);
 * `--https-port N` or HTTPS_PORT also serves https:// and wss:// on port N (0: a free one).
 */
export function serverSettingsFrom(argv: readonly string[], env: Env): ServerSettings {
  let host = env.HOST || defaultServerSettings.host;
  let port = positiveInteger("PORT", env.PORT, defaultServerSettings.port, 0);
  let qr = defaultServerSettings.qr;
  let httpsPort = env.HTTPS_PORT ? positiveInteger("HTTPS_PORT", env.HTTPS_PORT, 0, 0) : defaultServerSettings.httpsPort;
  let otherSitePort = env.OTHER_SITE_PORT ? positiveInteger("OTHER_SITE_PORT", env.OTHER_SITE_PORT, 0, 0) : defaultServerSettings.otherSitePort;
  const tls: { cert: string | null; key: string | null } = { cert: null, key: null };
  const fileArgument = (name: string, value: string | undefined): string => {
    if (value === undefined || value === "" || value.startsWith("--")) throw new Error(`${name} needs a file name`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--host") {
      const value = argv[i + 1];
      if (value !== undefined && !value.startsWith("--")) {
        host = value;
        i++;
      } else {
        host = "0.0.0.0";
      }
    } else if (arg.startsWith("--host=")) {
      host = arg.slice("--host=".length) || "0.0.0.0";
    } else if (arg === "--port") {
      port = positiveInteger("--port", argv[i + 1], port, 0);
      i++;
    } else if (arg.startsWith("--port=")) {
      port = positiveInteger("--port", arg.slice("--port=".length), port, 0);
    } else if (arg === "--https-port") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error("--https-port must be a whole number of at least 0: the port for https:// and wss://");
      httpsPort = positiveInteger("--https-port", value, 0, 0);
      i++;
    } else if (arg === "--other-site-port") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error("--other-site-port must be a whole number of at least 0: the port for lesson 8's other site");
      otherSitePort = positiveInteger("--other-site-port", value, 0, 0);
      i++;
    } else if (arg === "--qr") {
      qr = true;
    } else if (arg === "--tls-cert" || arg === "--tls-key") {
      tls[arg === "--tls-cert" ? "cert" : "key"] = fileArgument(arg, argv[i + 1]);
      i++;
    } else {
      throw new Error(`Unknown option "${arg}". Use --host [ADDRESS], --port NUMBER, --https-port NUMBER, --other-site-port NUMBER, --qr, and --tls-cert FILE --tls-key FILE.`);
    }
  }
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  if (httpsPort !== null && httpsPort > 65535) throw new Error(`--https-port must be at most 65535, got ${httpsPort}`);
  if (httpsPort !== null && httpsPort !== 0 && httpsPort === port) throw new Error(`--https-port must differ from --port (both ${port})`);
  if (otherSitePort !== null && otherSitePort > 65535) throw new Error(`--other-site-port must be at most 65535, got ${otherSitePort}`);
  if (otherSitePort !== null && otherSitePort !== 0 && (otherSitePort === port || otherSitePort === httpsPort)) throw new Error(`--other-site-port must differ from --port and --https-port (${otherSitePort})`);
  const files = tlsFiles(tls.cert, tls.key, "--tls-cert and --tls-key");
  return { host, port, lan: !isLoopback(host), qr, tlsCertFile: files.tlsCertFile, tlsKeyFile: files.tlsKeyFile, httpsPort, otherSitePort };
}
