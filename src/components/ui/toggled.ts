/** A copy of `set` with `value` added (on) or removed (off): React state needs a new Set, never a mutated one. */
export function toggled<T>(set: ReadonlySet<T>, value: T, on: boolean): Set<T> {
  const next = new Set(set);
  if (on) next.add(value);
  else next.delete(value);
  return next;
}
