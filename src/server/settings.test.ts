import { describe, expect, it } from "vitest";
import {
  defaultLabSettings,
  defaultServerSettings,
  labSettingsFromEnv,
  labSettingTable,
  serverSettingsFrom,
  startOptionTable,
  type LabSettingRow,
  type StartOptionRow,
} from "./settings.ts";
import { defaultText } from "./settings-readme.ts";
import { checkOrigin } from "./origin.ts";

const noTls = { tlsCertFile: null, tlsKeyFile: null, httpsPort: null, otherSitePort: null };

describe("server settings", () => {
  it("defaults to this machine only, port 4321", () => {
    expect(serverSettingsFrom([], {})).toEqual({ host: "127.0.0.1", port: 4321, lan: false, qr: false, ...noTls });
  });
  it("serves the LAN with --host, or a chosen address", () => {
    expect(serverSettingsFrom(["--host"], {})).toEqual({ host: "0.0.0.0", port: 4321, lan: true, qr: false, ...noTls });
    expect(serverSettingsFrom(["--host", "192.168.1.20", "--port", "8080"], {})).toEqual({
      host: "192.168.1.20",
      port: 8080,
      lan: true,
      qr: false,
      ...noTls,
    });
    expect(serverSettingsFrom(["--port=0"], { HOST: "127.0.0.2" })).toEqual({
      host: "127.0.0.2",
      port: 0,
      lan: false,
      qr: false,
      ...noTls,
    });
  });
  it("reads PORT and HOST and rejects nonsense", () => {
    expect(serverSettingsFrom([], { PORT: "9000", HOST: "0.0.0.0" })).toMatchObject({ port: 9000, lan: true });
    expect(() => serverSettingsFrom([], { PORT: "abc" })).toThrow(/PORT must be a whole number/);
    expect(() => serverSettingsFrom(["--port", "70000"], {})).toThrow(/at most 65535/);
    expect(() => serverSettingsFrom(["--bogus"], {})).toThrow(/Unknown option/);
  });
  it("takes the operator's own TLS certificate and key, both or neither", () => {
    expect(serverSettingsFrom(["--tls-cert", "lab.crt", "--tls-key", "lab.key"], {})).toMatchObject({
      tlsCertFile: "lab.crt",
      tlsKeyFile: "lab.key",
    });
    expect(() => serverSettingsFrom(["--tls-cert", "lab.crt"], {})).toThrow(/--tls-cert and --tls-key go together/);
    expect(() => serverSettingsFrom(["--tls-key"], {})).toThrow(/--tls-key needs a file name/);
    expect(labSettingsFromEnv({ LAB_TLS_CERT: "a.pem", LAB_TLS_KEY: "b.pem" })).toMatchObject({
      tlsCertFile: "a.pem",
      tlsKeyFile: "b.pem",
    });
    expect(() => labSettingsFromEnv({ LAB_TLS_KEY: "b.pem" })).toThrow(/LAB_TLS_CERT and LAB_TLS_KEY go together/);
  });
  it("also serves https:// with --https-port or HTTPS_PORT, on a port of its own", () => {
    expect(serverSettingsFrom([], {}).httpsPort).toBeNull();
    expect(serverSettingsFrom(["--https-port", "4433"], {}).httpsPort).toBe(4433);
    expect(serverSettingsFrom([], { HTTPS_PORT: "0" }).httpsPort).toBe(0);
    expect(() => serverSettingsFrom(["--https-port", "4321"], {})).toThrow(/must differ from --port/);
    expect(() => serverSettingsFrom(["--https-port", "70000"], {})).toThrow(/at most 65535/);
    expect(() => serverSettingsFrom(["--https-port"], {})).toThrow(/--https-port must be a whole number/);
  });

  it("puts lesson 8's other site on --other-site-port or OTHER_SITE_PORT, or leaves it to the server (null)", () => {
    expect(serverSettingsFrom([], {}).otherSitePort).toBeNull();
    expect(serverSettingsFrom(["--other-site-port", "4400"], {}).otherSitePort).toBe(4400);
    expect(serverSettingsFrom([], { OTHER_SITE_PORT: "0" }).otherSitePort).toBe(0);
    expect(() => serverSettingsFrom(["--other-site-port", "4321"], {})).toThrow(/must differ from --port/);
    expect(() => serverSettingsFrom(["--https-port", "4433", "--other-site-port", "4433"], {})).toThrow(/must differ/);
    expect(() => serverSettingsFrom(["--other-site-port", "70000"], {})).toThrow(/at most 65535/);
    expect(() => serverSettingsFrom(["--other-site-port"], {})).toThrow(/--other-site-port must be a whole number/);
  });

  it("prints the join QR code on request with --qr", () => {
    expect(serverSettingsFrom(["--host", "--qr"], {})).toEqual({
      host: "0.0.0.0",
      port: 4321,
      lan: true,
      qr: true,
      ...noTls,
    });
  });
});

describe("lab settings", () => {
  it("has defaults for every limit", () => {
    expect(labSettingsFromEnv({})).toEqual(defaultLabSettings);
  });
  it("reads limits and allowed origins from the environment", () => {
    const settings = labSettingsFromEnv({
      LAB_MAX_MESSAGE_BYTES: "2048",
      LAB_ALLOWED_ORIGINS: "http://a.example:8080, https://b.example",
    });
    expect(settings.maxMessageBytes).toBe(2048);
    expect(settings.allowedOrigins).toEqual(["http://a.example:8080", "https://b.example"]);
  });
  it("reads the wire tap's limits", () => {
    expect(defaultLabSettings).toMatchObject({
      tapCaptureBytes: 1048576,
      tapEventsPerSecond: 500,
      tapMonitorBufferBytes: 1048576,
    });
    const settings = labSettingsFromEnv({
      LAB_TAP_CAPTURE_BYTES: "0",
      LAB_TAP_EVENTS_PER_SECOND: "100",
      LAB_TAP_MONITOR_BUFFER_BYTES: "65536",
    });
    expect(settings).toMatchObject({ tapCaptureBytes: 0, tapEventsPerSecond: 100, tapMonitorBufferBytes: 65536 });
    expect(() => labSettingsFromEnv({ LAB_TAP_MONITOR_BUFFER_BYTES: "100" })).toThrow(
      /LAB_TAP_MONITOR_BUFFER_BYTES must be a whole number of at least 16384/,
    );
  });
  it("reads the HTTP lab's and the push race's limits", () => {
    expect(defaultLabSettings).toMatchObject({
      maxLabDelayMs: 2000,
      raceLeadMs: 1000,
      maxRacesPerAddress: 20,
      maxRaces: 200,
      raceLingerMs: 60000,
      longPollTimeoutMs: 20000,
    });
    const settings = labSettingsFromEnv({
      LAB_MAX_DELAY_MS: "500",
      LAB_MAX_RACES: "10",
      LAB_MAX_RACES_PER_ADDRESS: "3",
      LAB_MAX_RACE_LISTENERS: "8",
      LAB_RACE_LINGER_MS: "1000",
      LAB_LONG_POLL_TIMEOUT_MS: "5000",
      LAB_RACE_LEAD_MS: "0",
    });
    expect(settings).toMatchObject({
      maxLabDelayMs: 500,
      maxRaces: 10,
      maxRacesPerAddress: 3,
      maxRaceListeners: 8,
      raceLingerMs: 1000,
      longPollTimeoutMs: 5000,
      raceLeadMs: 0,
    });
    expect(() => labSettingsFromEnv({ LAB_MAX_RACES: "0" })).toThrow(
      /LAB_MAX_RACES must be a whole number of at least 1/,
    );
  });
  it("reads the classroom room's limits", () => {
    expect(defaultLabSettings).toMatchObject({
      roomMaxParticipants: 60,
      maxRoomsPerAddress: 5,
      maxRooms: 100,
      roomSayPerSecond: 5,
      roomJoinFailuresPerMinute: 5,
      roomGraceMs: 120000,
      roomSendBufferBytes: 262144,
    });
    const settings = labSettingsFromEnv({
      LAB_ROOM_MAX_PARTICIPANTS: "120",
      LAB_MAX_ROOMS_PER_ADDRESS: "2",
      LAB_MAX_ROOMS: "10",
      LAB_ROOM_SAY_PER_SECOND: "2",
      LAB_ROOM_JOIN_FAILURES_PER_MINUTE: "3",
      LAB_ROOM_GRACE_MS: "60000",
      LAB_ROOM_SEND_BUFFER_BYTES: "65536",
    });
    expect(settings).toMatchObject({
      roomMaxParticipants: 120,
      maxRoomsPerAddress: 2,
      maxRooms: 10,
      roomSayPerSecond: 2,
      roomJoinFailuresPerMinute: 3,
      roomGraceMs: 60000,
      roomSendBufferBytes: 65536,
    });
    expect(() => labSettingsFromEnv({ LAB_ROOM_SEND_BUFFER_BYTES: "100" })).toThrow(
      /LAB_ROOM_SEND_BUFFER_BYTES must be a whole number of at least 16384/,
    );
  });
  it("reads the HTTP server's host allow-list, request timeout and connection caps", () => {
    expect(defaultLabSettings).toMatchObject({
      allowedHosts: [],
      httpRequestTimeoutMs: 10000,
      maxHttpConnectionsPerAddress: 256,
    });
    expect(defaultLabSettings.maxHttpConnections).toBeGreaterThanOrEqual(64);
    const settings = labSettingsFromEnv({
      LAB_ALLOWED_HOSTS: "Classroom.lan, [fe80::1]",
      LAB_HTTP_REQUEST_TIMEOUT_MS: "20000",
      LAB_MAX_HTTP_CONNECTIONS_PER_ADDRESS: "40",
      LAB_MAX_HTTP_CONNECTIONS: "900",
    });
    expect(settings).toMatchObject({
      allowedHosts: ["classroom.lan", "fe80::1"],
      httpRequestTimeoutMs: 20000,
      maxHttpConnectionsPerAddress: 40,
      maxHttpConnections: 900,
    });
    expect(() => labSettingsFromEnv({ LAB_ALLOWED_HOSTS: "http://classroom.lan" })).toThrow(/host names only/);
    expect(() => labSettingsFromEnv({ LAB_HTTP_REQUEST_TIMEOUT_MS: "5000" })).toThrow(
      /at least LAB_HANDSHAKE_TIMEOUT_MS/,
    );
  });
  it("takes the server-wide connection cap from the process's descriptor limit, less a reserve", async () => {
    const { defaultConnectionCap } = await import("./connection-limits.ts");
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "sp-limits-"));
    const file = join(dir, "limits");
    await writeFile(
      file,
      "Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 1024                 files     \n",
    );
    expect(defaultConnectionCap(file)).toBe(960);
    expect(defaultConnectionCap(join(dir, "missing"))).toBe(4096);
  });
  it("refuses malformed values with a reason", () => {
    expect(() => labSettingsFromEnv({ LAB_MAX_MESSAGE_BYTES: "12" })).toThrow(/at least 125/);
    expect(() => labSettingsFromEnv({ LAB_ALLOWED_ORIGINS: "http://a.example/path" })).toThrow(
      /origin only: http:\/\/a\.example/,
    );
    expect(() => labSettingsFromEnv({ LAB_ALLOWED_ORIGINS: "not a url" })).toThrow(/not an origin/);
  });
});

describe("settings derived from their tables", () => {
  const labRows = Object.entries(labSettingTable) as [keyof typeof labSettingTable, LabSettingRow][];
  const startRows = Object.entries(startOptionTable) as [keyof typeof startOptionTable, StartOptionRow][];

  it("has one default per lab setting, and reads each row's default back from its README text", () => {
    expect(Object.keys(defaultLabSettings)).toEqual(labRows.map(([key]) => key));
    for (const [key, row] of labRows) {
      expect(defaultLabSettings[key], key).toEqual(row.default);
      const text = row.defaultText === undefined ? defaultText(row) : String(row.default);
      expect(labSettingsFromEnv({ [row.env]: text === "(none)" ? "" : text })[key], row.env).toEqual(row.default);
    }
  });

  it("holds every whole-number default to its row's minimum", () => {
    for (const [key, row] of labRows)
      if (row.kind === "whole number")
        expect(defaultLabSettings[key] as number, row.env).toBeGreaterThanOrEqual(row.min);
  });

  it("refuses a value below each row's minimum, or not whole, naming the variable and the minimum", () => {
    for (const [, row] of labRows) {
      if (row.kind !== "whole number") continue;
      const below = String(row.min - 1);
      expect(() => labSettingsFromEnv({ [row.env]: below })).toThrow(
        `${row.env} must be a whole number of at least ${row.min}, got "${below}"`,
      );
      expect(() => labSettingsFromEnv({ [row.env]: "1.5" })).toThrow(
        `${row.env} must be a whole number of at least ${row.min}, got "1.5"`,
      );
      expect(labSettingsFromEnv({ [row.env]: String(Math.max(row.min, row.default)) })).toBeDefined();
    }
  });

  it("checks one setting against another as the table says, in words", () => {
    expect(() => labSettingsFromEnv({ LAB_HTTP_REQUEST_TIMEOUT_MS: "5000" })).toThrow(
      "LAB_HTTP_REQUEST_TIMEOUT_MS (5000) must be at least LAB_HANDSHAKE_TIMEOUT_MS (10000): a request's head is part of the request",
    );
    expect(labSettingsFromEnv({ LAB_HTTP_REQUEST_TIMEOUT_MS: "5000", LAB_HANDSHAKE_TIMEOUT_MS: "5000" })).toMatchObject(
      { httpRequestTimeoutMs: 5000, handshakeTimeoutMs: 5000 },
    );
    expect(() => labSettingsFromEnv({ LAB_TLS_CERT: "a.pem" })).toThrow(
      "LAB_TLS_CERT and LAB_TLS_KEY go together: give both files, or neither for a generated certificate",
    );
  });

  it("describes the computed connection cap with connection-limits.ts's own reserve", async () => {
    const { defaultConnectionCap } = await import("./connection-limits.ts");
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(await mkdtemp(join(tmpdir(), "sp-limits-")), "limits");
    await writeFile(file, "Max open files            100000               100000               files     \n");
    expect(labSettingTable.maxHttpConnections.defaultText).toBe(
      `descriptor limit − ${100000 - defaultConnectionCap(file)}`,
    );
  });

  it("reads every npm start option from its flag, joined or not, and its environment variable", () => {
    const samples = { port: "3000", address: "192.168.1.20", file: "lab.pem" } as const;
    for (const [key, row] of startRows) {
      if (row.kind === "switch") {
        expect(serverSettingsFrom([row.flag], {})[key], row.flag).toBe(true);
        expect(() => serverSettingsFrom([`${row.flag}=yes`], {})).toThrow(/Unknown option/);
        continue;
      }
      const pair =
        row.kind === "file"
          ? ["--tls-cert", "a.pem", "--tls-key", "b.pem"].filter((_, i, all) => all[i - (i % 2)] !== row.flag)
          : [];
      const expected = row.kind === "port" ? Number(samples.port) + 1 : samples[row.kind];
      const value = String(expected);
      expect(serverSettingsFrom([row.flag, value, ...pair], {})[key], row.flag).toBe(expected);
      expect(serverSettingsFrom([`${row.flag}=${value}`, ...pair], {})[key], `${row.flag}=`).toBe(expected);
      if ("env" in row) expect(serverSettingsFrom([], { [row.env]: value })[key], row.env).toBe(expected);
      expect(serverSettingsFrom([], {})[key], `${row.flag}'s default`).toBe(row.default);
    }
    expect(serverSettingsFrom([], {})).toEqual(defaultServerSettings);
  });

  it("refuses a port out of range from a flag or the environment, naming which", () => {
    for (const [, row] of startRows) {
      if (row.kind !== "port") continue;
      expect(() => serverSettingsFrom([row.flag, "70000"], {})).toThrow(`${row.flag} must be at most 65535, got 70000`);
      expect(() => serverSettingsFrom([], { [row.env]: "70000" })).toThrow(
        `${row.env} must be at most 65535, got 70000`,
      );
      expect(() => serverSettingsFrom([row.flag, "-1"], {})).toThrow(
        `${row.flag} must be a whole number of at least 0, got "-1"`,
      );
      expect(() => serverSettingsFrom([row.flag], {})).toThrow(
        `${row.flag} must be a whole number of at least 0: the port for ${row.for}`,
      );
    }
  });

  it("lists every flag when it meets one it does not know", () => {
    expect(() => serverSettingsFrom(["--bogus"], {})).toThrow(
      'Unknown option "--bogus". Use --host [ADDRESS], --qr, --port NUMBER, --https-port NUMBER, --other-site-port NUMBER, --tls-cert FILE and --tls-key FILE.',
    );
  });

  it("admits only the kinds it can read, and cross-references to rows that exist (checked by tsc)", () => {
    const wholeNumber = {
      env: "LAB_EXAMPLE",
      kind: "whole number",
      min: 1,
      default: 1,
      description: "An example",
    } as const;
    // @ts-expect-error a kind the parser has no reader for
    const percent: LabSettingRow = { ...wholeNumber, kind: "percent" };
    // @ts-expect-error a whole number's default must be a number
    const textDefault: LabSettingRow = { ...wholeNumber, default: "1" };
    // @ts-expect-error atLeast must name a row of the same table
    const stray: LabSettingRow<"example"> = { ...wholeNumber, atLeast: { key: "elsewhere", because: "" } };
    // @ts-expect-error an option kind the parser has no reader for
    const colour: StartOptionRow = { flag: "--colour", kind: "colour", default: null, readme: [] };
    expect([percent, textDefault, stray, colour]).toHaveLength(4);
  });
});

describe("origin check", () => {
  it("allows the page's own origin, whatever address it was reached by", () => {
    expect(checkOrigin("http://127.0.0.1:4321", "127.0.0.1:4321", [])).toEqual({ allowed: true });
    expect(checkOrigin("http://192.168.1.20:4321", "192.168.1.20:4321", [])).toEqual({ allowed: true });
    expect(checkOrigin("http://Example.com", "example.com:80", [])).toEqual({ allowed: true });
  });
  it("refuses other origins, opaque origins and missing ones", () => {
    expect(checkOrigin("http://evil.example", "127.0.0.1:4321", [])).toMatchObject({ allowed: false });
    expect(checkOrigin("http://127.0.0.1:9999", "127.0.0.1:4321", [])).toMatchObject({ allowed: false });
    expect(checkOrigin("null", "127.0.0.1:4321", [])).toMatchObject({ allowed: false });
    expect(checkOrigin(undefined, "127.0.0.1:4321", [])).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/no Origin/),
    });
  });
  it("allows listed origins exactly", () => {
    expect(checkOrigin("http://a.example:8080", "127.0.0.1:4321", ["http://a.example:8080"])).toEqual({
      allowed: true,
    });
    expect(checkOrigin("http://a.example:8081", "127.0.0.1:4321", ["http://a.example:8080"])).toMatchObject({
      allowed: false,
    });
  });
});
