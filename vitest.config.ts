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
    // A worker runs its test files one after another in one module graph instead of a fresh one
    // each: importing the generator, the package and their tools again for each of 56 files was
    // 85 s of the suite's time (vitest's "import"), 17 s this way. No test mocks modules, stubs
    // globals or changes the environment, and state the modules keep (the loader's parse cache,
    // the spec check's compiled bundles) is keyed by its inputs. npm test: 224 s to about 157 s alone.
    isolate: false,
    // Only there to end a hang: no test passes by finishing in time, and a machine running two
    // suites at once takes several times as long as an idle one.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
