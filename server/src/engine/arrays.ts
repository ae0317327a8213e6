// Appending one array to another without `target.push(...items)`: a spread passes every item as a
// call argument on the stack, and a few hundred thousand items (findings of a 50 MB file) overflow it.

/** Appends every item of `items` to `target` (in order) and returns `target`. */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
  return target;
}
