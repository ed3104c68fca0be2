// Discord bans an IP for a while after 10,000 invalid requests (401, 403, 429 except shared-scope 429s) in
// 10 minutes, counted across every token we use. One process-wide counter over a sliding window of one-minute
// slots; calls are refused locally once it reaches the (lower) limit, so one revoked tenant token cannot spend the
// budget of every tenant.

import { metrics } from "@/lib/metrics";

export type InvalidRequestBudgetOptions = { limit: number; windowMs: number };

const SLOTS = 10;
const DEFAULTS: InvalidRequestBudgetOptions = { limit: 9_000, windowMs: 10 * 60_000 };
let options: InvalidRequestBudgetOptions = DEFAULTS;
let counts = new Array<number>(SLOTS).fill(0);
let slotStarts = new Array<number>(SLOTS).fill(0);

function slotMs(): number {
  return options.windowMs / SLOTS;
}

function current(now: number): number {
  const start = Math.floor(now / slotMs()) * slotMs();
  const index = Math.floor(now / slotMs()) % SLOTS;
  if (slotStarts[index] !== start) {
    slotStarts[index] = start;
    counts[index] = 0;
  }
  return index;
}

function total(now: number): number {
  let sum = 0;
  for (let i = 0; i < SLOTS; i++) if (now - slotStarts[i]! < options.windowMs) sum += counts[i]!;
  return sum;
}

export function isInvalidResponse(status: number, scope: string | null): boolean {
  return status === 401 || status === 403 || (status === 429 && scope !== "shared");
}

export function recordInvalidRequest(now = Date.now()): void {
  counts[current(now)]!++;
  metrics.invalidRequestBudget({ used: total(now), limit: options.limit });
}

/** Seconds until calls are allowed again, or 0 while the budget lasts. */
export function invalidRequestBudgetWait(now = Date.now()): number {
  if (total(now) < options.limit) return 0;
  const oldest = Math.min(...slotStarts.filter((s, i) => counts[i]! > 0 && now - s < options.windowMs));
  return Math.max(1, Math.ceil((oldest + options.windowMs - now) / 1000));
}

/** Tests shrink the limit; the window starts empty. Without arguments: the defaults. */
export function configureInvalidRequestBudget(next: Partial<InvalidRequestBudgetOptions> = {}): void {
  options = { ...DEFAULTS, ...next };
  counts = new Array<number>(SLOTS).fill(0);
  slotStarts = new Array<number>(SLOTS).fill(0);
}
