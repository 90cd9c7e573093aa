// Which names a request's Host may carry: the defence against DNS rebinding. A hostile page on
// attacker.example can make its own name resolve to 127.0.0.1 (or to the teacher's laptop) a
// moment after it loaded; the browser then sends that page's requests to this server with
// `Host: attacker.example` and, because the page thinks it is talking to its own origin, lets it
// read the answers. A matching Origin proves nothing here (the page is on attacker.example), so
// the server itself must refuse names it does not serve: 421 Misdirected Request (RFC 9110
// §15.5.20), before any page, lab answer or handshake. Allowed:
//   - loopback names and addresses: localhost, *.localhost (RFC 6761 §6.3), 127.0.0.0/8, ::1;
//   - the address the server listens on, when it is a specific one;
//   - when serving the network (`--host`): the machine's own interface addresses and its host
//     name (plain and .local), which is what students type or scan;
//   - the operator's allow-list (LAB_ALLOWED_HOSTS), for a name a DNS server or router gives it.
// Only the name is compared: a rebinding page reaches the server on the server's own port.
import { hostname, networkInterfaces } from "node:os";
import { isIP } from "node:net";

export type HostVerdict = { ok: true } | { ok: false; status: 400 | 421; message: string };

export interface HostPolicyOptions {
  /** The address the server listens on ("0.0.0.0" or "::" for every interface). */
  listenHost: string;
  /** Extra names the operator allows (exact names, compared without case). */
  allowedHosts: readonly string[];
  /** The machine's interface addresses and names; injectable for tests. */
  machine?: () => { addresses: string[]; names: string[] };
}

/** The name part of a Host header, lower-cased, without port, brackets or a trailing dot; null if malformed. */
export function hostnameOf(host: string): string | null {
  const value = host.trim().toLowerCase();
  if (value === "") return null;
  let name: string;
  let rest: string;
  if (value.startsWith("[")) {
    const close = value.indexOf("]");
    if (close < 0) return null;
    name = value.slice(1, close);
    rest = value.slice(close + 1);
    if (isIP(name) !== 6) return null;
  } else {
    const colon = value.indexOf(":");
    name = colon < 0 ? value : value.slice(0, colon);
    rest = colon < 0 ? "" : value.slice(colon);
  }
  if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return null;
  if (name.endsWith(".")) name = name.slice(0, -1);
  // Letters, digits, hyphens and dots (RFC 1123), or an IPv6 address taken from brackets above.
  if (!/^[a-z0-9.-]+$/.test(name) && isIP(name) !== 6) return null;
  return name === "" ? null : name;
}

const isWildcard = (host: string): boolean => host === "0.0.0.0" || host === "::" || host === "";

function isLoopbackName(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost") || name === "::1") return true;
  return isIP(name) === 4 && name.startsWith("127.");
}

function machineNow(): { addresses: string[]; names: string[] } {
  const addresses: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) addresses.push(info.address.toLowerCase().replace(/%.*$/, ""));
  }
  const name = hostname().toLowerCase();
  return { addresses, names: name ? [name, `${name}.local`] : [] };
}

/** Checks Host headers against the names this server answers for. */
export function createHostPolicy(options: HostPolicyOptions): (host: string | undefined) => HostVerdict {
  const listen =
    hostnameOf(
      options.listenHost.includes(":") && !options.listenHost.startsWith("[")
        ? `[${options.listenHost}]`
        : options.listenHost,
    ) ?? options.listenHost;
  const servesNetwork = isWildcard(options.listenHost) || !isLoopbackName(listen);
  const allowList = new Set(options.allowedHosts.map((h) => h.toLowerCase().replace(/\.$/, "")));
  const machine = options.machine ?? machineNow;
  // Interfaces come and go (a laptop joining the classroom's Wi-Fi after starting the server),
  // so the machine's names are read again, at most once every few seconds.
  let known: { at: number; names: Set<string> } | null = null;
  const machineNames = (): Set<string> => {
    const now = Date.now();
    if (!known || now - known.at > 5000) {
      const { addresses, names } = machine();
      known = { at: now, names: new Set([...addresses, ...names]) };
    }
    return known.names;
  };

  return (host) => {
    if (host === undefined) {
      return {
        ok: false,
        status: 400,
        message: "The request has no Host header; HTTP/1.1 requires one (RFC 9112 §3.2).",
      };
    }
    const name = hostnameOf(host);
    if (name === null)
      return {
        ok: false,
        status: 400,
        message: `The Host header "${host.slice(0, 100)}" is not a host name or address (RFC 9110 §7.2).`,
      };
    if (isLoopbackName(name) || allowList.has(name)) return { ok: true };
    if (!isWildcard(options.listenHost) && name === listen) return { ok: true };
    if (servesNetwork && machineNames().has(name)) return { ok: true };
    return {
      ok: false,
      status: 421,
      message:
        `This server does not answer for the host "${name}" (RFC 9110 §15.5.20). ` +
        "It only answers for its own names and addresses, so that a page on another site cannot rename it (DNS rebinding). " +
        "Open it by the address the server printed, or ask whoever runs it to add this name to LAB_ALLOWED_HOSTS.",
    };
  };
}
