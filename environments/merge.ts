/**
 * A partial of `T` for overriding defaults: every object field optional, recursively; arrays are taken
 * whole (an override replaces the default list, it is not merged item by item).
 */
export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { readonly [K in keyof T]?: Overrides<T[K]> }
      : T;

/** A plain `{ … }` object (not an array, class instance, token or null). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `base` with `overrides` laid over it, neither changed: plain objects merge key by key, recursively;
 * anything else in `overrides` (a value, an array, a class instance) replaces the base value; a key set
 * to `undefined` in `overrides` removes the base's value (e.g. `{ dr: undefined }` drops the tier's DR
 * pilot light). Keys keep the base's order, new keys follow.
 */
export function deepMerge<T>(base: T, overrides: Overrides<T> | undefined): T {
  if (overrides === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete merged[key];
    else merged[key] = key in base ? deepMerge(base[key], value as Overrides<unknown>) : value;
  }
  return merged as T;
}
