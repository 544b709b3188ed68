import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatProblem, SpecError } from "../load/problems.js";
import { defaultBaseRef, materializeSpec, resolveRef } from "./materialize.js";
import { renderGithub, renderJson, renderMarkdown } from "./report.js";
import { runDiff, type SpecSide } from "./run.js";
import { applyBump, majorRaised } from "./version.js";

const USAGE = `usage: npm run spec:diff -- [<git-ref>] [options]
  <git-ref>          compare the spec at this ref with the working tree (default: git merge-base HEAD main)
  --old-spec DIR     compare with a spec folder instead of a git ref
  --spec DIR         the new side (default: spec/)
  --format F         markdown (default), json, or github (workflow annotations on the changed lines)
  --allow-breaking   exit 0 even when there are breaking changes
  --bump             write the version the changes need to spec/package-version.json and add a
                     spec/CHANGELOG.md entry (npm run generate copies both into generated/)
  --no-types         skip the type check of the generated packages
  --date YYYY-MM-DD  date of the CHANGELOG entry (default: today)
exit code: 1 on breaking changes, unless --allow-breaking or the new spec already raises the major
version (the breaking change is acknowledged); 2 on a spec that does not load or a usage error.`;

class UsageError extends Error {}

interface Args {
  ref?: string;
  oldSpec?: string;
  specDir: string;
  format: "markdown" | "json" | "github";
  allowBreaking: boolean;
  bump: boolean;
  types: boolean;
  date: string;
}

function parseArgs(argv: string[], rootDir: string): Args {
  const args: Args = {
    specDir: resolve(rootDir, "spec"), format: "markdown", allowBreaking: false, bump: false, types: true,
    date: new Date().toISOString().slice(0, 10),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--allow-breaking") args.allowBreaking = true;
    else if (arg === "--bump") args.bump = true;
    else if (arg === "--no-types") args.types = false;
    else if (arg === "--format") {
      const format = value();
      if (format !== "markdown" && format !== "json" && format !== "github") throw new UsageError(`unknown format '${format}'`);
      args.format = format;
    } else if (arg === "--spec") args.specDir = resolve(value());
    else if (arg === "--old-spec") args.oldSpec = resolve(value());
    else if (arg === "--date") args.date = value();
    else if (arg.startsWith("-") || args.ref !== undefined) throw new UsageError(`unknown argument '${arg}'`);
    else args.ref = arg;
  }
  if (args.ref && args.oldSpec) throw new UsageError("give a git ref or --old-spec, not both");
  return args;
}

async function main(): Promise<number> {
  const rootDir = process.cwd();
  const args = parseArgs(process.argv.slice(2), rootDir);
  // Templates and the spec format come with the generator; the spec and git are the caller's (cwd).
  const toolRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  let tempRoot: string | undefined;
  let oldSide: SpecSide;
  if (args.oldSpec) {
    oldSide = { rootDir, specDir: args.oldSpec, label: args.oldSpec };
  } else {
    const ref = args.ref ?? defaultBaseRef(rootDir);
    const commit = resolveRef(rootDir, ref);
    tempRoot = materializeSpec(rootDir, args.specDir, commit);
    const label = ref === commit ? commit.slice(0, 10) : `${ref} (${commit.slice(0, 10)})`;
    oldSide = { rootDir: tempRoot, specDir: join(tempRoot, "spec"), label };
  }
  const newSide: SpecSide = { rootDir, specDir: args.specDir, label: "working tree" };
  try {
    const report = await runDiff({ oldSide, newSide, toolRoot, types: args.types });
    let bumped: ReturnType<typeof applyBump>;
    if (args.bump) {
      if (!report.old.version) throw new UsageError("the old side has no package-version.json to bump from");
      bumped = applyBump(args.specDir, report.old.version, report.level, report.changes, args.date);
      if (bumped) report.new.version = bumped.to;
    }
    const acknowledged = majorRaised(report.old.version, report.new.version);
    const fails = report.level === "breaking" && !args.allowBreaking && !acknowledged;
    if (args.format === "json") {
      process.stdout.write(renderJson(report, { bumped: bumped ?? null, acknowledged, exitCode: fails ? 1 : 0 }));
    } else if (args.format === "github") {
      process.stdout.write(renderGithub(report, { fails }));
    } else {
      process.stdout.write(renderMarkdown(report));
      if (bumped) console.log(`\n${bumped.changed ? `Bumped ${bumped.from} → ${bumped.to}` : `Version ${bumped.to} already covers the changes`}; CHANGELOG entry written to ${bumped.changelog}. Run \`npm run generate\`.`);
      if (report.level === "breaking") {
        console.log(
          fails
            ? "\nBreaking changes: exit 1. Bump the major version (`--bump`) to acknowledge them, or pass --allow-breaking."
            : `\nBreaking changes ${acknowledged ? `acknowledged by the major version ${report.new.version}` : "allowed (--allow-breaking)"}.`,
        );
      }
    }
    return fails ? 1 : 0;
  } finally {
    if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SpecError) {
      for (const problem of error.problems) console.error(formatProblem(problem));
      console.error(`${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}: a side of the diff does not load.`);
    } else if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
    } else {
      console.error(error instanceof Error ? error.message : error);
    }
    process.exit(2);
  },
);
