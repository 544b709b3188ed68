import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/fixtures/**"],
    globalSetup: ["test/support/global-setup.ts"],
    // Vitest's default on 2 cores is one worker; most files here wait on child processes, servers
    // and redis-server rather than compute, so three overlap their waits. No test's pass depends on
    // how fast its neighbours let it run.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
