import { resolve } from "node:path";
import { defaultLintOptions, formatFinding, lintSpec, LINT_RULES } from "./lint.js";

const USAGE = `usage: npm run spec:lint [-- --strict] [--spec DIR] [--format json] [--rules]
  --strict     warnings fail the run too
  --spec DIR   lint another spec folder (test fixtures)
  --format F   text (default: file:line:col  [rule] message) or json
  --rules      list the rules and exit`;

function main(): number {
  const rootDir = process.cwd();
  const argv = process.argv.slice(2);
  let strict = false;
  let json = false;
  let specDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--strict") strict = true;
    else if (arg === "--spec" && argv[i + 1]) specDir = resolve(argv[++i]!);
    else if (arg === "--format" && (argv[i + 1] === "json" || argv[i + 1] === "text")) json = argv[++i] === "json";
    else if (arg === "--rules") {
      for (const [id, rule] of Object.entries(LINT_RULES)) console.log(`${id.padEnd(24)}${rule.severity.padEnd(9)}${rule.what}`);
      return 0;
    } else {
      console.error(`unknown argument '${arg}'\n${USAGE}`);
      return 2;
    }
  }
  const findings = lintSpec(defaultLintOptions(rootDir, specDir));
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  const failed = errors > 0 || (strict && warnings > 0);
  if (json) {
    console.log(JSON.stringify({ findings, errors, warnings, failed }, null, 2));
  } else {
    for (const finding of findings) (finding.severity === "error" ? console.error : console.log)(formatFinding(finding));
    const summary = `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
    console.log(findings.length === 0 ? "spec lint: clean" : `spec lint: ${summary}${strict && warnings ? " (--strict: warnings fail)" : ""}`);
  }
  return failed ? 1 : 0;
}

process.exit(main());
