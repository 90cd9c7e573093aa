// The lab's limits and the production server's address, each a named setting with a default.
// Operators set them with environment variables (LAB_*, PORT, HOST) or command-line flags;
// a malformed value is reported as an error instead of silently falling back.
//
// Each setting is one row of a table below (labSettingTable, startOptionTable): its name, its
// environment variable or flag, its kind, its default and the line the README shows. The
// settings' types, their defaults, their parsing and the README's two tables
// (settings-readme.ts, checked by settings-readme.test.ts) are all derived from those rows, so
// adding a row adds the field everywhere and nothing can drift apart.
import { defaultConnectionCap } from "./connection-limits.ts";

type Env = Record<string, string | undefined>;

/** What every lab setting's row says, whatever its kind. */
interface LabSettingRowBase {
  /** The environment variable an operator sets it with. */
  readonly env: `LAB_${string}`;
  /** The README's "What it limits" line, for an operator. */
  readonly description: string;
  /** The README's Default column, for a default computed where the lab runs (so it varies). */
  readonly defaultText?: string;
}

/** A whole number of at least `min`; `atLeast` names another setting it may not be below, and why. */
interface WholeNumberRow<Key extends string> extends LabSettingRowBase {
  readonly kind: "whole number";
  readonly min: number;
  readonly default: number;
  readonly atLeast?: { readonly key: Key; readonly because: string };
}

/** Comma-separated page origins such as `http://192.168.1.20:4321`, each checked to be an origin only. */
interface OriginListRow extends LabSettingRowBase {
  readonly kind: "origins";
  readonly default: readonly string[];
}

/** Comma-separated host names (or bracketed IPv6 addresses), without scheme or port; kept in lower case. */
interface HostListRow extends LabSettingRowBase {
  readonly kind: "hosts";
  readonly default: readonly string[];
}

/** A file's path, or null; `goesWith` names the setting it must be given together with (both or neither). */
interface FileRow<Key extends string> extends LabSettingRowBase {
  readonly kind: "file";
  readonly default: null;
  readonly goesWith?: { readonly key: Key; readonly neitherMeans: string };
}

/** One row of the lab's settings table. A kind not in this union is a type error in the table. */
export type LabSettingRow<Key extends string = string> =
  WholeNumberRow<Key> | OriginListRow | HostListRow | FileRow<Key>;

/**
 * Every lab setting, in the order the README lists them. Each key's doc comment is the one
 * LabSettings shows for the field (it says why, for whoever reads the code); `description` is
 * what the operator reads in the README.
 */
export const labSettingTable = {
  /** Largest message the lab accepts; a bigger one is closed with 1009 (RFC 6455 §7.4.1). */
  maxMessageBytes: {
    env: "LAB_MAX_MESSAGE_BYTES",
    kind: "whole number",
    min: 125,
    default: 64 * 1024,
    description: "Largest message; bigger ones are closed with 1009 (RFC 6455 §7.4.1)",
  },
  /** Sustained messages per second one connection may send; over it closes with 1008 (RFC 6455 §7.4.1). */
  maxMessagesPerSecond: {
    env: "LAB_MAX_MESSAGES_PER_SECOND",
    kind: "whole number",
    min: 1,
    default: 50,
    description: "Sustained messages per connection; more closes with 1008 (RFC 6455 §7.4.1)",
  },
  /** Open lab sockets one client address may hold; more are refused with 429. */
  maxConnectionsPerAddress: {
    env: "LAB_MAX_CONNECTIONS_PER_ADDRESS",
    kind: "whole number",
    min: 1,
    default: 32,
    description: "Open lab sockets per client address; more get HTTP 429 (RFC 6585 §4)",
  },
  /** Time a new TCP connection has to send a complete request head (stalled handshakes). */
  handshakeTimeoutMs: {
    env: "LAB_HANDSHAKE_TIMEOUT_MS",
    kind: "whole number",
    min: 50,
    default: 10_000,
    description: "Time a new connection has to send a complete request head",
  },
  /** How often the lab pings; a peer that missed the previous pong is dropped (RFC 6455 §5.5.2). */
  heartbeatIntervalMs: {
    env: "LAB_HEARTBEAT_INTERVAL_MS",
    kind: "whole number",
    min: 50,
    default: 30_000,
    description: "Ping interval, counted per connection from its opening; a peer that misses a pong is dropped",
  },
  /** Origins allowed besides the page's own (for a site served elsewhere). Exact matches. */
  allowedOrigins: {
    env: "LAB_ALLOWED_ORIGINS",
    kind: "origins",
    default: [],
    description: "Extra page origins allowed to use the lab, comma-separated",
  },
  /** Host names the server answers for besides its own names and addresses (host-check.ts). */
  allowedHosts: {
    env: "LAB_ALLOWED_HOSTS",
    kind: "hosts",
    default: [],
    description:
      "Extra host names the server answers for, comma-separated (e.g. a name your router gives the laptop). It always answers for `localhost` and loopback addresses, the address it listens on, and with `--host` the machine's own addresses and host name; any other `Host` gets 421 Misdirected Request (RFC 9110 §15.5.20), which stops DNS rebinding",
  },
  /** Time a plain HTTP request has to arrive whole, head and body; a slower one gets 408 and is closed. */
  httpRequestTimeoutMs: {
    env: "LAB_HTTP_REQUEST_TIMEOUT_MS",
    kind: "whole number",
    min: 50,
    default: 10_000,
    atLeast: { key: "handshakeTimeoutMs", because: "a request's head is part of the request" },
    description:
      "Time a request has to arrive whole, head and body (at least the handshake timeout); a slower one gets 408 (RFC 9110 §15.5.9) and its connection is closed",
  },
  /** TCP connections (plain HTTP and upgraded) one client address may hold open; more are refused with 429. */
  maxHttpConnectionsPerAddress: {
    env: "LAB_MAX_HTTP_CONNECTIONS_PER_ADDRESS",
    kind: "whole number",
    min: 1,
    default: 256,
    description: "TCP connections (pages and WebSockets) one client address may hold; more get 429",
  },
  /** TCP connections the whole server holds open; more are refused with 503 (default: the descriptor limit less a reserve). */
  maxHttpConnections: {
    env: "LAB_MAX_HTTP_CONNECTIONS",
    kind: "whole number",
    min: 1,
    default: defaultConnectionCap(),
    // The value depends on the machine; settings.test.ts holds this text to connection-limits.ts's reserve.
    defaultText: "descriptor limit − 64",
    description:
      "TCP connections the server holds in all (by default the process's open-file limit less a reserve for the files it serves); more get 503 (RFC 9110 §15.6.4)",
  },
  /** Bytes of one specimen's traffic the wire tap keeps; later chunks are reported without data. */
  tapCaptureBytes: {
    env: "LAB_TAP_CAPTURE_BYTES",
    kind: "whole number",
    min: 0,
    default: 1024 * 1024,
    description:
      "Bytes of one tapped connection kept by the wire tap; later reads and writes are reported without their bytes",
  },
  /** Capture events per second one monitor may receive; more are dropped and counted. */
  tapEventsPerSecond: {
    env: "LAB_TAP_EVENTS_PER_SECOND",
    kind: "whole number",
    min: 10,
    default: 500,
    description: "Capture events per second one monitor receives; more are dropped and counted",
  },
  /** Unsent bytes a monitor may have queued; while over it, events are dropped and counted. */
  tapMonitorBufferBytes: {
    env: "LAB_TAP_MONITOR_BUFFER_BYTES",
    kind: "whole number",
    min: 16 * 1024,
    default: 1024 * 1024,
    description: "Unsent bytes queued for one monitor; while over it, events are dropped and counted",
  },
  /** Bytes a lab socket may have queued for a client before it is dropped as a non-reader. */
  maxSendBufferBytes: {
    env: "LAB_MAX_SEND_BUFFER_BYTES",
    kind: "whole number",
    min: 64 * 1024,
    default: 1024 * 1024,
    description: "Bytes queued for a client that is not reading before its lab socket is dropped",
  },
  /** Largest `delay=MS` a plain-HTTP lab request may ask for (the lab's added latency per write). */
  maxLabDelayMs: {
    env: "LAB_MAX_DELAY_MS",
    kind: "whole number",
    min: 0,
    default: 2000,
    description: "Most latency a page may ask the lab to add before each write (`delay=`)",
  },
  /** Time from creating a push race to its first event, so every transport can connect first. */
  raceLeadMs: {
    env: "LAB_RACE_LEAD_MS",
    kind: "whole number",
    min: 0,
    default: 1000,
    description: "Time between creating a push race and its first event",
  },
  /** Races one client address may hold at once (running or lingering); more get 429. */
  maxRacesPerAddress: {
    env: "LAB_MAX_RACES_PER_ADDRESS",
    kind: "whole number",
    min: 1,
    default: 20,
    description: "Live push races one client address may hold; more get 429",
  },
  /** Races the whole lab holds at once; more get 429. */
  maxRaces: { env: "LAB_MAX_RACES", kind: "whole number", min: 1, default: 200, description: "Live push races in all" },
  /** Held long polls, open event streams and race WebSockets one race may have at once. */
  maxRaceListeners: {
    env: "LAB_MAX_RACE_LISTENERS",
    kind: "whole number",
    min: 4,
    default: 16,
    description: "Waiting requests or sockets per race, all transports together",
  },
  /** How long a race's results stay readable after its last event, before it is deleted. */
  raceLingerMs: {
    env: "LAB_RACE_LINGER_MS",
    kind: "whole number",
    min: 0,
    default: 60_000,
    description: "How long a race is kept after its last event",
  },
  /** A long poll with no new event is answered with no events after this long. */
  longPollTimeoutMs: {
    env: "LAB_LONG_POLL_TIMEOUT_MS",
    kind: "whole number",
    min: 50,
    default: 20_000,
    description: "How long a long poll is held before it is answered empty",
  },
  /** Lab HTTP requests one connection may have waiting at once (held or delayed, pipelined); more get 429. */
  maxOpenRequestsPerConnection: {
    env: "LAB_MAX_OPEN_REQUESTS_PER_CONNECTION",
    kind: "whole number",
    min: 1,
    default: 32,
    description: "Requests one connection may have waiting at once",
  },
  /** Students one classroom room holds (the teacher is not counted); more get `room-full`. */
  roomMaxParticipants: {
    env: "LAB_ROOM_MAX_PARTICIPANTS",
    kind: "whole number",
    min: 1,
    default: 60,
    description: "Students in one classroom room (the teacher is not counted); more get `room-full`",
  },
  /** Rooms one client address may hold open at once; more get `too-many-rooms`. */
  maxRoomsPerAddress: {
    env: "LAB_MAX_ROOMS_PER_ADDRESS",
    kind: "whole number",
    min: 1,
    default: 5,
    description: "Open rooms one client address may have created; more get `too-many-rooms`",
  },
  /** Rooms the whole lab holds at once; more get `too-many-rooms`. */
  maxRooms: { env: "LAB_MAX_ROOMS", kind: "whole number", min: 1, default: 100, description: "Open rooms in all" },
  /** Sustained `say` messages per second one room connection may send (burst twice that); over it closes with 1013. */
  roomSayPerSecond: {
    env: "LAB_ROOM_SAY_PER_SECOND",
    kind: "whole number",
    min: 1,
    default: 5,
    description:
      "Room messages per second one connection may send (bursts of twice that); more closes with 1013 Try Again Later (IANA's close code registry, RFC 6455 §11.7)",
  },
  /** Student seats (connected or keeping their place) one client address may hold in one room; a school network behind one NAT address counts once. */
  roomSeatsPerAddress: {
    env: "LAB_ROOM_SEATS_PER_ADDRESS",
    kind: "whole number",
    min: 1,
    default: 40,
    description:
      "Student seats one client address may hold in one room (a school network behind one NAT address counts once); more get `seats-per-address`",
  },
  /** Sustained `say` messages per second from one client address across all its room connections (burst twice that); over it gets `rate-limited`. */
  roomSayPerAddressPerSecond: {
    env: "LAB_ROOM_SAY_PER_ADDRESS_PER_SECOND",
    kind: "whole number",
    min: 1,
    default: 10,
    description:
      "Room messages per second from one address across all its connections (bursts of twice that); more get `rate-limited` and are not sent",
  },
  /** Sustained joins and comebacks (the changes everyone's member list shows) per second from one address; the burst is `roomSeatsPerAddress`, so a class can join at once. */
  roomJoinsPerAddressPerSecond: {
    env: "LAB_ROOM_JOINS_PER_ADDRESS_PER_SECOND",
    kind: "whole number",
    min: 1,
    default: 2,
    description:
      "Joins and comebacks per second from one address, after a burst of `LAB_ROOM_SEATS_PER_ADDRESS` (a class joining at once); more get `rate-limited`",
  },
  /** Wrong join codes or teacher keys one address may send in a minute before it is slowed down (growing waits). */
  roomJoinFailuresPerMinute: {
    env: "LAB_ROOM_JOIN_FAILURES_PER_MINUTE",
    kind: "whole number",
    min: 1,
    default: 5,
    description:
      "Wrong room codes or teacher keys per address in a minute before each further try waits longer (2 s, 4 s … 1 min)",
  },
  /** How long a disconnected participant keeps their place (and an absent teacher their room). */
  roomGraceMs: {
    env: "LAB_ROOM_GRACE_MS",
    kind: "whole number",
    min: 1000,
    default: 120_000,
    description: "How long a disconnected participant keeps their place, and a room waits for its teacher to come back",
  },
  /** Unsent bytes a room participant may have queued; over it they are dropped as a slow reader. */
  roomSendBufferBytes: {
    env: "LAB_ROOM_SEND_BUFFER_BYTES",
    kind: "whole number",
    min: 16 * 1024,
    default: 256 * 1024,
    description:
      "Unsent bytes queued for one room participant; a participant over it has stopped reading and is dropped",
  },
  /** The operator's own TLS certificate (PEM file); null with tlsKeyFile null means a generated one (tls/lab-certificate.ts). */
  tlsCertFile: {
    env: "LAB_TLS_CERT",
    kind: "file",
    default: null,
    goesWith: { key: "tlsKeyFile", neitherMeans: "a generated certificate" },
    description:
      "Your own TLS certificate (a PEM file) for the https:// side and the lab's wss:// twin, the same as `--tls-cert` (the command line wins); give `LAB_TLS_KEY` with it",
  },
  /** The private key of tlsCertFile (PEM file); both or neither. */
  tlsKeyFile: {
    env: "LAB_TLS_KEY",
    kind: "file",
    default: null,
    description: "The private key of `LAB_TLS_CERT` (a PEM file), the same as `--tls-key`",
  },
} as const satisfies Record<string, LabSettingRow>;

type LabSettingKey = keyof typeof labSettingTable;

// The table again, with `atLeast` and `goesWith` held to its own keys: a misspelt key is a type error.
labSettingTable satisfies Record<LabSettingKey, LabSettingRow<LabSettingKey>>;

/** The value a row's kind reads into. */
type ValueOf<Row extends LabSettingRow> = Row extends { kind: "whole number" }
  ? number
  : Row extends { kind: "origins" | "hosts" }
    ? readonly string[]
    : Row extends { kind: "file" }
      ? string | null
      : never;

/** One field per row of labSettingTable, with that row's doc comment. */
export type LabSettings = { -readonly [Key in keyof typeof labSettingTable]: ValueOf<(typeof labSettingTable)[Key]> };

const labSettingRows = Object.entries(labSettingTable) as [LabSettingKey, LabSettingRow<LabSettingKey>][];

export const defaultLabSettings: LabSettings = Object.fromEntries(
  labSettingRows.map(([key, row]) => [key, row.default]),
) as LabSettings;

function positiveInteger(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
  }
  return value;
}

function commaList(raw: string): string[] {
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function originList(name: string, raw: string): string[] {
  const origins = commaList(raw);
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new Error(`${name} has "${origin}", which is not an origin like http://192.168.1.20:4321`);
    }
    if (parsed.origin !== origin) {
      throw new Error(`${name} has "${origin}"; write it as an origin only: ${parsed.origin}`);
    }
  }
  return origins;
}

function hostList(name: string, raw: string): string[] {
  const hosts = commaList(raw.toLowerCase());
  for (const host of hosts) {
    if (!/^[a-z0-9.-]+$/.test(host) && !/^\[[0-9a-f:.]+\]$/.test(host)) {
      throw new Error(`${name} has "${host}"; write host names only (no scheme or port), like classroom.lan`);
    }
  }
  // host-check.ts compares bare addresses: the brackets only keep an IPv6 address's colons apart from a port's.
  return hosts.map((h) => h.replace(/^\[|\]$/g, ""));
}

/** Reads one lab setting's text; unset or empty means its default. */
function readLabSetting(row: LabSettingRow, raw: string | undefined): LabSettings[LabSettingKey] {
  if (raw === undefined || raw === "") return row.default;
  switch (row.kind) {
    case "whole number":
      return positiveInteger(row.env, raw, row.default, row.min);
    case "origins":
      return originList(row.env, raw);
    case "hosts":
      return hostList(row.env, raw);
    case "file":
      return raw;
    default: {
      const unknownKind: never = row;
      throw new Error(`No reader for ${JSON.stringify(unknownKind)}`);
    }
  }
}

/** Two files that make sense only together (a certificate and its key): both, or neither. */
function checkPair(first: string | null, second: string | null, names: string, neitherMeans: string): void {
  if ((first === null) !== (second === null))
    throw new Error(`${names} go together: give both files, or neither for ${neitherMeans}`);
}

export function labSettingsFromEnv(env: Env): LabSettings {
  const settings: Record<string, LabSettings[LabSettingKey]> = {};
  for (const [key, row] of labSettingRows) settings[key] = readLabSetting(row, env[row.env]);
  const read = settings as LabSettings;
  // Checks between settings, once each has been read on its own.
  for (const [key, row] of labSettingRows) {
    if (row.kind === "whole number" && row.atLeast) {
      const value = read[key] as number;
      const floor = read[row.atLeast.key] as number;
      const floorName = labSettingTable[row.atLeast.key].env;
      if (value < floor)
        throw new Error(`${row.env} (${value}) must be at least ${floorName} (${floor}): ${row.atLeast.because}`);
    }
    if (row.kind === "file" && row.goesWith) {
      checkPair(
        read[key] as string | null,
        read[row.goesWith.key] as string | null,
        `${row.env} and ${labSettingTable[row.goesWith.key].env}`,
        row.goesWith.neitherMeans,
      );
    }
  }
  return read;
}

/** What every `npm start` option's row says, whatever its kind. */
interface StartOptionRowBase {
  /** The command-line flag; a value follows it (`--port 3000`) or is joined to it (`--port=3000`). */
  readonly flag: `--${string}`;
  /** The README's "Options for `npm start`" lines that show it: what a reader wants, and what to run. */
  readonly readme: readonly { readonly want: string; readonly run: string }[];
}

/** A TCP port, 0 to 65535 (0: any free one); `differsFrom` names the ports it may not share. */
interface PortOption<Key extends string> extends StartOptionRowBase {
  readonly kind: "port";
  readonly env: string;
  readonly default: number | null;
  /** What the port is for, in the error for a flag given without a number. */
  readonly for: string;
  readonly differsFrom?: readonly Key[];
}

/** An address to listen on; the flag alone means `bare` (every interface). */
interface AddressOption extends StartOptionRowBase {
  readonly kind: "address";
  readonly env: string;
  readonly default: string;
  readonly bare: string;
}

/** A flag alone, off unless given. */
interface SwitchOption extends StartOptionRowBase {
  readonly kind: "switch";
  readonly default: false;
}

/** A file's path given after the flag; `goesWith` names the option it must be given together with. */
interface FileOption<Key extends string> extends StartOptionRowBase {
  readonly kind: "file";
  readonly default: null;
  readonly goesWith?: { readonly key: Key; readonly neitherMeans: string };
}

/** One row of the `npm start` options table. A kind not in this union is a type error in the table. */
export type StartOptionRow<Key extends string = string> =
  PortOption<Key> | AddressOption | SwitchOption | FileOption<Key>;

/** Every `npm start` option, in the order the README and the unknown-option message list them. */
export const startOptionTable = {
  /** The address to listen on: this machine only by default; `--host` alone serves every interface, `--host ADDR` one address. */
  host: {
    flag: "--host",
    env: "HOST",
    kind: "address",
    default: "127.0.0.1",
    bare: "0.0.0.0",
    readme: [
      {
        want: "Students on the same network to join",
        run: "`npm start -- --host` (prints the addresses to share, and a QR code of the join page in a terminal)",
      },
      { want: "A specific address", run: "`npm start -- --host 192.168.1.20` or `HOST=… npm start`" },
    ],
  },
  /** `--qr`: print the join page's QR code even when the output is not a terminal. */
  qr: {
    flag: "--qr",
    kind: "switch",
    default: false,
    readme: [{ want: "The QR code even when the output is not a terminal", run: "`npm start -- --host --qr`" }],
  },
  /** `--port N` (or PORT): the site and the lab's port; 0 asks the OS for a free one, which tests use. */
  port: {
    flag: "--port",
    env: "PORT",
    kind: "port",
    default: 4321,
    for: "the site and the lab",
    readme: [{ want: "Another port", run: "`npm start -- --port 3000` or `PORT=3000 npm start`" }],
  },
  /** `--https-port N` (or HTTPS_PORT): also serve https:// and wss:// there (tls/https-listener.ts); null: plain http only. */
  httpsPort: {
    flag: "--https-port",
    env: "HTTPS_PORT",
    kind: "port",
    default: null,
    for: "https:// and wss://",
    differsFrom: ["port"],
    readme: [
      {
        want: "The site and the lab over `https://` and `wss://` too (lesson 7 then shows a reader's own wss:// connection, its TLS records and what each held)",
        run: "`npm start -- --https-port 4433` or `HTTPS_PORT=4433 npm start` (TLS 1.3 with TLS_AES_128_GCM_SHA256, RFC 8446 §B.4; the certificate below; browsers warn about the lab's self-signed one unless they trust it)",
      },
    ],
  },
  /** `--other-site-port N` (or OTHER_SITE_PORT): lesson 8's other site (other-site/other-site.ts); null: the port after --port (any free port when --port is 0). */
  otherSitePort: {
    flag: "--other-site-port",
    env: "OTHER_SITE_PORT",
    kind: "port",
    default: null,
    for: "lesson 8's other site",
    differsFrom: ["port", "httpsPort"],
    readme: [
      {
        want: "Lesson 8's \"other site\" (a second origin whose page tries to open a WebSocket to the lab with the reader's cookie) on a chosen port",
        run: "`npm start -- --other-site-port 4400` or `OTHER_SITE_PORT=4400 npm start` (by default the port after `--port`; if that port is taken, only this demonstration is missing, and the server says so)",
      },
    ],
  },
  /** `--tls-cert FILE --tls-key FILE`: the operator's own certificate for the lab's TLS side (both or neither). */
  tlsCertFile: {
    flag: "--tls-cert",
    kind: "file",
    default: null,
    goesWith: { key: "tlsKeyFile", neitherMeans: "a generated certificate" },
    readme: [
      {
        want: "Your own TLS certificate for the https:// side and the lab's wss:// twin (lesson 7)",
        run: "`npm start -- --tls-cert lab.crt --tls-key lab.key` (both PEM files; without them the lab makes a self-signed certificate for `localhost` the first time it needs one and keeps it in `~/.cache/switching-protocols/`, outside the repository)",
      },
    ],
  },
  /** `--tls-key FILE`: the private key of tlsCertFile (shown on its README line). */
  tlsKeyFile: { flag: "--tls-key", kind: "file", default: null, readme: [] },
} as const satisfies Record<string, StartOptionRow>;

type StartOptionKey = keyof typeof startOptionTable;

// The table again, with `differsFrom` and `goesWith` held to its own keys: a misspelt key is a type error.
startOptionTable satisfies Record<StartOptionKey, StartOptionRow<StartOptionKey>>;

/** The value an option's kind reads into. */
type StartValueOf<Row extends StartOptionRow> = Row extends { kind: "port"; default: null }
  ? number | null
  : Row extends { kind: "port" }
    ? number
    : Row extends { kind: "address" }
      ? string
      : Row extends { kind: "switch" }
        ? boolean
        : Row extends { kind: "file" }
          ? string | null
          : never;

/** One field per row of startOptionTable, with that row's doc comment. */
type StartOptions = { -readonly [Key in keyof typeof startOptionTable]: StartValueOf<(typeof startOptionTable)[Key]> };

export interface ServerSettings extends StartOptions {
  /** True when the operator asked to serve the local network (`--host`, or any address but loopback). */
  lan: boolean;
}

const startOptionRows = Object.entries(startOptionTable) as [StartOptionKey, StartOptionRow<StartOptionKey>][];

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

const defaultStartOptions = Object.fromEntries(startOptionRows.map(([key, row]) => [key, row.default])) as StartOptions;

export const defaultServerSettings: ServerSettings = {
  ...defaultStartOptions,
  lan: !isLoopback(defaultStartOptions.host),
};

/** The flags as the unknown-option message lists them: `--port NUMBER`, `--host [ADDRESS]`… */
const startUsage = startOptionRows
  .map(([, row]) => `${row.flag}${{ port: " NUMBER", address: " [ADDRESS]", switch: "", file: " FILE" }[row.kind]}`)
  .join(", ")
  .replace(/, ([^,]*)$/, " and $1");

function portNumber(name: string, raw: string): number {
  const value = positiveInteger(name, raw, 0, 0);
  if (value > 65535) throw new Error(`${name} must be at most 65535, got ${value}`);
  return value;
}

type StartValue = StartOptions[StartOptionKey];

/** An option's value from the environment; unset or empty means its default. */
function readStartEnv(row: StartOptionRow, raw: string | undefined): StartValue {
  if (raw === undefined || raw === "" || !("env" in row)) return row.default;
  return row.kind === "port" ? portNumber(row.env, raw) : raw;
}

/** An option's value from its flag; `value` is what followed it (undefined: nothing did). */
function readStartFlag(row: StartOptionRow, value: string | undefined): StartValue {
  switch (row.kind) {
    case "address":
      return value || row.bare;
    case "port":
      if (!value) throw new Error(`${row.flag} must be a whole number of at least 0: the port for ${row.for}`);
      return portNumber(row.flag, value);
    case "switch":
      return true;
    case "file":
      if (!value) throw new Error(`${row.flag} needs a file name`);
      return value;
    default: {
      const unknownKind: never = row;
      throw new Error(`No reader for ${JSON.stringify(unknownKind)}`);
    }
  }
}

/**
 * `npm start -- --host` serves the LAN (0.0.0.0); `--host ADDR` picks an address; `--port N`
 * or PORT picks the port (0 asks the OS for a free one, which tests use); `--qr` prints the join
 * page's QR code even when stdout is not a terminal (it is printed on a terminal anyway);
 * `--https-port N` or HTTPS_PORT also serves https:// and wss:// on port N (0: a free one).
 * The environment gives values, and the command line overrides them.
 */
export function serverSettingsFrom(argv: readonly string[], env: Env): ServerSettings {
  const settings: Record<string, StartValue> = {};
  for (const [key, row] of startOptionRows) settings[key] = readStartEnv(row, "env" in row ? env[row.env] : undefined);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const joined = arg.indexOf("=");
    const flag = joined > 0 ? arg.slice(0, joined) : arg;
    const found = startOptionRows.find(([, row]) => row.flag === flag && !(row.kind === "switch" && joined > 0));
    if (!found) throw new Error(`Unknown option "${arg}". Use ${startUsage}.`);
    const [key, row] = found;
    let value: string | undefined;
    if (joined > 0) value = arg.slice(joined + 1);
    else if (row.kind !== "switch" && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) value = argv[++i];
    settings[key] = readStartFlag(row, value);
  }
  const read = settings as StartOptions;
  // Checks between options, once each has been read on its own.
  for (const [key, row] of startOptionRows) {
    if (row.kind === "port" && row.differsFrom) {
      const value = read[key] as number | null;
      if (value !== null && value !== 0 && row.differsFrom.some((other) => read[other] === value)) {
        throw new Error(
          `${row.flag} must differ from ${row.differsFrom.map((other) => startOptionTable[other].flag).join(" and ")} (both ${value})`,
        );
      }
    }
    if (row.kind === "file" && row.goesWith) {
      checkPair(
        read[key] as string | null,
        read[row.goesWith.key] as string | null,
        `${row.flag} and ${startOptionTable[row.goesWith.key].flag}`,
        row.goesWith.neitherMeans,
      );
    }
  }
  return { ...read, lan: !isLoopback(read.host) };
}
