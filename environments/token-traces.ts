/**
 * cdktf records a full stack trace (no depth limit) for every token it creates: every attribute
 * reference, tens of thousands across the platform. It captures them into a plain object, not an
 * Error, and only ever prints one in the message of a token it cannot resolve. Formatting those traces
 * was the largest single cost of synthesis after loading code (in jest, which maps every frame through
 * source maps, about half of a test's time).
 *
 * `skipTokenTraces()` leaves traces of real errors as they were (mapped, when a source-map formatter was
 * installed) and gives token traces an empty stack, which cdktf treats as "no trace". Set `AIVO_DEBUG`
 * to keep them (main.ts, the bench and the policy report then skip this).
 */
export function skipTokenTraces(): void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, frames) => {
    // Cross-realm safe (jest runs tests in their own realm): real errors only.
    if (Object.prototype.toString.call(error) !== "[object Error]") return "";
    if (previous) return previous(error, frames);
    return [String(error), ...frames.map((frame) => `    at ${String(frame)}`)].join("\n");
  };
}
