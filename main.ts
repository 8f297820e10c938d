import { App } from "cdktf";
import { buildPlatform } from "./environments";

// A configuration mistake is reported as one line naming environment, field, value and fix;
// set AIVO_DEBUG=1 to see the stack trace as well.
try {
  const app = new App();
  buildPlatform(app);
  app.synth();
} catch (error) {
  const err = error as Error;
  console.error(`error: ${err.message}`);
  if (process.env.AIVO_DEBUG) console.error(err.stack);
  process.exit(1);
}
