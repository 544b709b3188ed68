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
    // Only there to end a hang: no test passes by finishing in time, and a machine running two
    // suites at once takes several times as long as an idle one.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
