// How much CPU time the host took from this virtual machine ("steal" in /proc/stat) while a
// measurement ran. On a shared VM, a run that was slow because the host lent our cores to
// someone else says so next to its figures instead of passing for a regression. Linux only:
// elsewhere the reading is null and nothing is printed.
import { readFileSync } from "node:fs";

interface CpuTimes {
  steal: number;
  total: number;
}

function readCpuTimes(): CpuTimes | null {
  try {
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is also counted in user)
    const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return null;
    return { steal: fields[7]!, total: fields.reduce((sum, n) => sum + n, 0) };
  } catch {
    return null;
  }
}

/** Starts watching; the function returned gives the share of CPU time stolen since (0–1), or null. */
export function watchSteal(): () => number | null {
  const start = readCpuTimes();
  return () => {
    const end = readCpuTimes();
    if (!start || !end || end.total <= start.total) return null;
    return (end.steal - start.steal) / (end.total - start.total);
  };
}

/** " · host CPU steal 12.3%" for a section's summary line, or "" where it cannot be read. */
export function stealNote(share: number | null): string {
  return share === null ? "" : ` · host CPU steal during it ${(share * 100).toFixed(1)}%`;
}
