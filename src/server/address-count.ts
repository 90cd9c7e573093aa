// How many of something each client address holds right now (lab sockets, TCP connections):
// counted up when one opens and down when it closes, with an address forgotten at zero so the
// map only ever holds addresses that have something open.
export interface AddressCount {
  of(address: string): number;
  add(address: string): void;
  remove(address: string): void;
}

export function createAddressCount(): AddressCount {
  const counts = new Map<string, number>();
  return {
    of: (address) => counts.get(address) ?? 0,
    add(address) {
      counts.set(address, (counts.get(address) ?? 0) + 1);
    },
    remove(address) {
      const left = (counts.get(address) ?? 1) - 1;
      if (left <= 0) counts.delete(address);
      else counts.set(address, left);
    },
  };
}
