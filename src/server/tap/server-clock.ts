// Tap timestamps: wall-clock milliseconds since the Unix epoch with sub-millisecond precision
// (tap-events.ts). performance.now() is monotonic, so events on one server never go backwards
// even if the system clock is adjusted while a capture runs.
export function serverNow(): number {
  return performance.timeOrigin + performance.now();
}
