// Query parameters of the lab's plain-HTTP endpoints. A value is either a whole number in its
// range or refused with 400 and a sentence naming the parameter and the range: never clamped,
// so a reader who asks for delay=5000 learns the bound instead of silently getting 2000.

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const DIGITS = /^[0-9]{1,9}$/;

/** `name` from `params`: absent → `fallback`; otherwise a whole number from min to max. */
export function wholeNumber(
  params: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
  unit = "",
): Checked<number> {
  const raw = params.get(name);
  if (raw === null) return { ok: true, value: fallback };
  const value = DIGITS.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    const shown = raw.length > 20 ? `${raw.slice(0, 20)}…` : raw;
    return {
      ok: false,
      message: `${name} must be a whole number${unit ? ` of ${unit}` : ""} from ${min} to ${max}, got "${shown}".`,
    };
  }
  return { ok: true, value };
}

/** The lab's added latency for one request: `delay=MS`, 0 to `maxMs`, default 0. */
export function delayParam(params: URLSearchParams, maxMs: number): Checked<number> {
  return wholeNumber(params, "delay", 0, maxMs, 0, "milliseconds");
}

/** A boolean switch such as `close=1`: 1/true/yes turn it on, 0/false/no or absence leave it off. */
export function flagParam(params: URLSearchParams, name: string): Checked<boolean> {
  const raw = params.get(name);
  if (raw === null) return { ok: true, value: false };
  const value = raw.toLowerCase();
  if (value === "1" || value === "true" || value === "yes" || value === "") return { ok: true, value: true };
  if (value === "0" || value === "false" || value === "no") return { ok: true, value: false };
  return { ok: false, message: `${name} must be 1 or 0, got "${raw.slice(0, 20)}".` };
}
