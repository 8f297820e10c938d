import { rmSync } from "fs";

/** Removes the run's shared platform folder (`global-setup.ts`). */
export default function globalTeardown(): void {
  const dir = process.env.AIVO_TEST_PLATFORM_DIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}
