/**
 * cdktf 0.21 (final: the project is archived) calls `util.isArray` when it synthesizes an output, and
 * Node 22 prints a deprecation warning for it (DEP0044) once per process. Nothing in this project can
 * change that call, so exactly that warning is dropped; every other warning is printed as before.
 */
export const ARCHIVED_CDKTF_DEPRECATIONS: readonly string[] = ["DEP0044"];

type EmitWarning = typeof process.emitWarning;

/** The code of a `process.emitWarning(warning, type | options, code)` call. */
function codeOf(warning: unknown, args: readonly unknown[]): unknown {
  if (warning instanceof Error) return (warning as Error & { code?: unknown }).code;
  const [typeOrOptions, code] = args;
  return typeof typeOrOptions === "object" && typeOrOptions !== null ? (typeOrOptions as { code?: unknown }).code : code;
}

/** Drops the deprecation warnings of `ARCHIVED_CDKTF_DEPRECATIONS`; idempotent. */
export function silenceArchivedCdktfDeprecations(): void {
  const current = process.emitWarning as EmitWarning & { aivoFiltered?: boolean };
  if (current.aivoFiltered) return;
  const filtered = function (this: unknown, warning: string | Error, ...args: unknown[]) {
    if (ARCHIVED_CDKTF_DEPRECATIONS.includes(String(codeOf(warning, args)))) return;
    return (current as (...a: unknown[]) => void).call(process, warning, ...args);
  } as EmitWarning & { aivoFiltered?: boolean };
  filtered.aivoFiltered = true;
  process.emitWarning = filtered;
}
