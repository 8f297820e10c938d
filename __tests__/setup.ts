import "cdktf/lib/testing/adapters/jest";
import { Testing } from "cdktf";

// Registers the cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider …).
Testing.setupJest();

// cdktf records a full stack trace for every token it creates (every attribute reference, thousands
// per stack), into a plain object rather than an Error. Jest's source-map support would map each of
// those traces frame by frame, which was most of the time a test spends synthesizing. Only real
// errors (a failing expectation, a thrown config error) need mapped frames; token traces get Node's
// plain format, as the app gets with source maps off (main.ts).
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error, frames) =>
    Object.prototype.toString.call(error) === "[object Error]" ? mapped(error, frames) : `Error\n${frames.map((frame) => `    at ${String(frame)}`).join("\n")}`;
}
