import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

/**
 * Once per jest run: an empty folder the first suite that needs the real platform synthesizes it into
 * (`__tests__/platform.ts`); the workers inherit its name through the environment. Nothing is built
 * here, so a run of unit tests alone pays nothing.
 */
export default function globalSetup(): void {
  process.env.AIVO_TEST_PLATFORM_DIR = mkdtempSync(join(tmpdir(), "aivo-test-platform-"));
}
