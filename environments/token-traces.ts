/**
 * cdktf records a full stack trace (no depth limit) for every token it creates: every attribute
 * reference, tens of thousands across the platform. It captures them with `captureStackTrace` of its
 * private module `cdktf/lib/tokens/private/stack-trace` and only ever prints one, in the message of a
 * token it cannot resolve. Walking and formatting those stacks cost about a fifth of the construction
 * phase in the app, and about half of a test's time in jest (which maps every frame through source maps).
 *
 * `skipTokenTraces()` replaces that function with one that records no trace, which cdktf handles as it
 * handles an empty stack (the message then names the token without a trace). cdktf's modules call it as
 * `stack_trace_1.captureStackTrace()`, a property read at every call, so the replacement reaches every
 * caller; cdktf is pinned exactly and archived, and `__tests__/token-traces.test.ts` fails if that
 * stops being true. Errors keep their traces. Set `AIVO_DEBUG` to keep token traces too (main.ts, the
 * bench and the policy report then skip this).
 *
 * Loading this file loads nothing: the cdktf module is required when the function is called.
 */
export function skipTokenTraces(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on call, not at import (see above)
  const traces = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] };
  traces.captureStackTrace = noTrace;
}

/** What cdktf records for a token when traces are skipped: no frames. */
function noTrace(): string[] {
  return [];
}
