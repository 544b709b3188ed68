import { resolve } from "node:path";
import { defaultBaseRef, resolveRef } from "../diff/materialize.js";
import { githubAnnotation } from "../github-annotations.js";
import { changedLines, touches } from "./changed-lines.js";
import { defaultLintOptions, formatFinding, lintSpec, LINT_RULES, type Finding } from "./lint.js";

const USAGE = `usage: npm run spec:lint [-- --strict] [--spec DIR] [--changed [<git-ref>]] [--format text|json|github] [--rules]
  --strict            warnings fail the run too
  --spec DIR          lint another spec folder (test fixtures)
  --changed [REF]     report only problems on lines changed since REF (default: git merge-base HEAD main),
                      and in files git does not track yet; a spec that does not load is always reported
  --format F          text (default: file:line:col  [rule] message), json, or github (workflow
                      annotations on the pull request's lines)
  --rules             list the rules and exit`;

type Format = "text" | "json" | "github";

function main(): number {
  const rootDir = process.cwd();
  const argv = process.argv.slice(2);
  let strict = false;
  let format: Format = "text";
  let specDir: string | undefined;
  let changedSince: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--strict") strict = true;
    else if (arg === "--spec" && argv[i + 1]) specDir = resolve(argv[++i]!);
    else if (arg === "--format" && ["json", "text", "github"].includes(argv[i + 1] ?? "")) format = argv[++i] as Format;
    else if (arg === "--changed") {
      const next = argv[i + 1];
      changedSince = next !== undefined && !next.startsWith("-") ? argv[++i]! : defaultBaseRef(rootDir);
    } else if (arg === "--rules") {
      for (const [id, rule] of Object.entries(LINT_RULES)) console.log(`${id.padEnd(24)}${rule.severity.padEnd(9)}${rule.what}`);
      return 0;
    } else {
      console.error(`unknown argument '${arg}'\n${USAGE}`);
      return 2;
    }
  }
  const options = defaultLintOptions(rootDir, specDir);
  let findings = lintSpec(options);
  if (changedSince !== undefined) {
    let changed;
    try {
      changed = changedLines(rootDir, resolveRef(rootDir, changedSince), options.specDir);
    } catch (error) {
      console.error(`--changed ${changedSince}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
    findings = findings.filter((f) => f.rule === "load" || touches(changed, f.file, f.line));
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const failed = errors > 0 || (strict && warnings > 0);
  const scope = changedSince === undefined ? "" : ` on lines changed since ${changedSince}`;
  if (format === "json") {
    console.log(JSON.stringify({ findings, errors, warnings, failed }, null, 2));
    return failed ? 1 : 0;
  }
  for (const finding of findings) {
    if (format === "github") console.log(annotation(finding));
    else (finding.severity === "error" ? console.error : console.log)(formatFinding(finding));
  }
  const summary = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  console.log(findings.length === 0 ? `spec lint: clean${scope}` : `spec lint: ${summary}${scope}${strict && warnings ? " (--strict: warnings fail)" : ""}`);
  return failed ? 1 : 0;
}

function annotation(finding: Finding): string {
  return githubAnnotation({
    level: finding.severity === "error" ? "error" : "warning",
    file: finding.file,
    line: finding.line,
    col: finding.col,
    title: `spec:lint ${finding.rule}`,
    message: finding.message,
  });
}

process.exit(main());
