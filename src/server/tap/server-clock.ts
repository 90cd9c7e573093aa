// Tap timestamps: wall-clock milliseconds since the Unix epoch with sub-millisecond precision
// (tap-events.ts). performance.now() is monotonic, so events on one server never go backwards
// even if the system clock is adjusted while a capture runs.
//
// The origin is read once: it never changes, and reading it costs a call into Node's C++ each
// time (as much as performance.now() itself), twice for every message a tapped reader sends.
const origin = performance.timeOrigin;

export function serverNow(): number {
  return origin + performance.now();
}
