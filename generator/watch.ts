import { existsSync, readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildPackage } from "./build-package.js";
import type { GenerationCache } from "./cache.js";
import { warmUpFormatters } from "./format.js";
import { formatProblem, SpecError } from "./load/problems.js";
import { generate, type ProjectPaths } from "./pipeline.js";
import { compareFiles, writeFiles } from "./write.js";

/**
 * `npm run generate -- --watch`: regenerates whenever a file under the spec folder or the runtime
 * templates changes. Node 20 has no recursive fs.watch on Linux, so every directory is watched on
 * its own (re-listed after each change, so new folders are picked up), and a slow poll of file
 * sizes and times backs the watchers up on file systems that miss events. Either only wakes a
 * comparison of snapshots: nothing runs unless a file really changed.
 *
 * A spec that does not load prints its problems and the watch goes on. Changes to the generator's
 * own code need a restart (the modules are already loaded).
 */
export interface WatchOptions {
  paths: ProjectPaths;
  outDir: string;
  build: boolean;
  /** Keeps what each regeneration computed, so the next one redoes only what an edit reaches. */
  cache?: GenerationCache;
  /** Poll interval backing fs.watch, ms. */
  pollMs?: number;
  /** Quiet time after an event before regenerating, ms (editors write in several steps). */
  debounceMs?: number;
  log?: (line: string) => void;
  error?: (line: string) => void;
  signal?: AbortSignal;
}

type Snapshot = Map<string, string>;

function listTree(dir: string, files: Snapshot, dirs: string[]): void {
  if (!existsSync(dir)) return;
  dirs.push(dir);
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".") || name === "node_modules") continue;
    const full = join(dir, name);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      continue; // removed while listing
    }
    if (stat.isDirectory()) listTree(full, files, dirs);
    else files.set(full, `${stat.size}:${stat.mtimeMs}`);
  }
}

function snapshot(roots: string[]): { files: Snapshot; dirs: string[] } {
  const files: Snapshot = new Map();
  const dirs: string[] = [];
  for (const root of roots) listTree(root, files, dirs);
  return { files, dirs };
}

function changedPaths(before: Snapshot, after: Snapshot): string[] {
  const changed = new Set<string>();
  for (const [path, sig] of after) if (before.get(path) !== sig) changed.add(path);
  for (const path of before.keys()) if (!after.has(path)) changed.add(path);
  return [...changed].sort();
}

const time = () => new Date().toTimeString().slice(0, 8);

export function watchAndGenerate(options: WatchOptions): Promise<number> {
  const log = options.log ?? ((line: string) => console.log(line));
  const error = options.error ?? ((line: string) => console.error(line));
  const { paths, outDir } = options;
  const rootDir = paths.rootDir;
  // All of templates/: core/ and the folders beside it (inbox/, node/, testing/).
  const roots = [paths.specDir, dirname(paths.templatesDir)];
  const rel = (p: string) => relative(rootDir, p) || ".";

  let state = snapshot(roots);
  const watchers = new Map<string, FSWatcher>();
  let running = false;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const syncWatchers = (dirs: string[]) => {
    const wanted = new Set(dirs);
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: true }, () => schedule());
        watcher.on("error", () => {
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // a directory that vanished; the poll still sees what happens
      }
    }
  };

  const regenerate = async (reason: string): Promise<void> => {
    const started = performance.now();
    log(`[${time()}] ${reason}`);
    try {
      const { files } = await generate(paths, options.cache?.dir === undefined ? undefined : options.cache, { keepForNextRun: true });
      const differences = compareFiles(outDir, files);
      writeFiles(outDir, files);
      const writtenMs = Math.round(performance.now() - started);
      for (const d of differences) log(`  ${d.change === "extra" ? "removed" : d.change === "missing" ? "added  " : "written"}  ${d.path}`);
      const written = differences.filter((d) => d.change !== "extra").length;
      const removed = differences.length - written;
      let built = "";
      if (options.build && differences.length) {
        const buildStarted = performance.now();
        const outcome = buildPackage(outDir, rootDir, options.cache);
        built = `; dist/ built (${outcome}) in ${Math.round(performance.now() - buildStarted)} ms`;
      }
      log(`[${time()}] generated ${files.length} files: ${written} written, ${removed} removed in ${writtenMs} ms${built}; watching`);
    } catch (e) {
      const ms = Math.round(performance.now() - started);
      if (e instanceof SpecError) {
        for (const problem of e.problems) error(formatProblem(problem));
        error(`[${time()}] ${e.problems.length} problem${e.problems.length === 1 ? "" : "s"} in the spec; nothing was written (${ms} ms). Watching for a fix.`);
      } else {
        error(`[${time()}] generation failed: ${e instanceof Error ? e.message : String(e)}. Watching for changes.`);
      }
    }
  };

  const check = async (): Promise<void> => {
    if (stopped) return;
    if (running) {
      pending = true;
      return;
    }
    const next = snapshot(roots);
    const changed = changedPaths(state.files, next.files);
    state = next;
    syncWatchers(next.dirs);
    if (changed.length === 0) return;
    running = true;
    const shown = changed.slice(0, 5).map(rel).join(", ") + (changed.length > 5 ? ` and ${changed.length - 5} more` : "");
    await regenerate(`changed: ${shown}`);
    running = false;
    if (pending) {
      pending = false;
      schedule();
    }
  };

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void check(), options.debounceMs ?? 80);
  };

  return new Promise<number>((resolve) => {
    const poll = setInterval(() => void check(), options.pollMs ?? 1000);
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      log(`[${time()}] stopped watching`);
      resolve(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    options.signal?.addEventListener("abort", stop);
    syncWatchers(state.dirs);
    log(`[${time()}] watching ${roots.map(rel).join(" and ")} → ${rel(outDir)} (Ctrl-C to stop)`);
    running = true;
    // Then prettier is loaded and warmed up, so that the first edit does not wait for it.
    void regenerate("initial generation").then(async () => {
      await warmUpFormatters();
      running = false;
      if (pending) {
        pending = false;
        schedule();
      }
    });
  });
}
