import { githubAnnotation } from "../github-annotations.js";
import type { Change, Usage } from "./classify.js";
import type { Severity } from "./rules.js";
import type { DiffReport } from "./run.js";
import type { Verification } from "./typecheck.js";
import { bumpFor, requiredVersion } from "./version.js";

const SECTIONS: [Severity, string][] = [
  ["breaking", "Breaking"],
  ["non-breaking", "Non-breaking"],
  ["documentation", "Documentation-only"],
];

/** What a verification means, in the words the report uses. */
export function verdictText(v: Verification): string {
  switch (v.status) {
    case "verified":
      return v.rules === "breaking" ? "verified: types break too" : "verified";
    case "runtime-only":
      return "verified: breaking at runtime only (limits, endpoint, validation), types cannot show it";
    case "types-break-unexpectedly":
      return "classification says non-breaking but types break";
    case "types-compile-unexpectedly":
      return "classification says breaking but types compile";
  }
}

function usageText(usage: Usage): string {
  if (usage.kind === "schema") return `exported type ${usage.name}`;
  return usage.kind === "webhook" ? `webhook ${usage.name}` : `${usage.name} (${usage.side})`;
}

function changeLine(change: Change, oldLabel: string): string {
  const side = change.side ? ` (${change.side} side)` : "";
  const ownLine = /^(operation|webhook) /.test(change.path);
  const users = ownLine ? [] : change.usedBy.filter((u) => u.kind !== "schema" || change.usedBy.length === 1);
  const usedBy = users.length ? ` — used by ${[...new Set(users.map(usageText))].join(", ")}` : "";
  const where = `${change.loc.file}:${change.loc.line}${change.locSide === "old" ? ` (at ${oldLabel})` : ""}`;
  return `- \`${change.api}\` \`${change.path}\`${side}: ${change.message} [${change.kind}]${usedBy} — ${where}`;
}

export function suggestedVersion(report: DiffReport): string | undefined {
  if (!report.old.version || !report.new.version) return undefined;
  return requiredVersion(report.old.version, report.new.version, report.level);
}

export function renderMarkdown(report: DiffReport): string {
  const count = (s: Severity) => report.changes.filter((c) => c.severity === s).length;
  const out: string[] = [`## Spec diff: ${report.old.label} → ${report.new.label}`, ""];
  if (report.changes.length === 0) {
    out.push("No changes to the spec.");
  } else {
    out.push(SECTIONS.map(([s, title]) => `${title}: ${count(s)}`).join(" · "));
    const bump = bumpFor(report.level);
    const target = suggestedVersion(report);
    if (bump && target) {
      const state = target === report.new.version ? "spec/package-version.json has it" : `spec/package-version.json says ${report.new.version}; run \`npm run spec:diff -- <ref> --bump\``;
      out.push("", `Version: ${report.old.version} → ${target} (${bump}; ${state}).`);
    }
    for (const [severity, title] of SECTIONS) {
      const changes = report.changes.filter((c) => c.severity === severity);
      if (!changes.length) continue;
      out.push("", `### ${title}`, "", ...changes.map((c) => changeLine(c, report.old.label)));
    }
  }
  if (report.typeCheck) out.push("", ...typeCheckSection(report));
  return `${out.join("\n")}\n`;
}

function typeCheckSection(report: DiffReport): string[] {
  const tc = report.typeCheck!;
  const out = ["### Type check", ""];
  out.push(
    "A consumer written against the old generated package, compiled against the new one (strict):",
    "old requests passed to the new client, new results assigned to the old result types, old property paths looked up in the new types.",
    "",
  );
  const interesting = tc.verifications.filter((v) => v.rules === "breaking" || v.types === "break");
  const quiet = tc.verifications.length - interesting.length;
  if (interesting.length) {
    out.push("| api | operation / webhook / errors | side | rules | types | verdict |", "|---|---|---|---|---|---|");
    for (const v of interesting) {
      const name = v.target === "operation" ? v.name : `${v.target} ${v.name}`;
      const detail = v.messages.length ? `<br>${v.messages.map((m) => m.replace(/\|/g, "\\|")).join("<br>")}` : "";
      out.push(`| ${v.api} | ${name} | ${v.side} | ${v.rules} | ${v.types === "break" ? "break" : "compile"} | ${verdictText(v)}${detail} |`);
    }
    out.push("");
  }
  out.push(`${quiet} other check${quiet === 1 ? "" : "s"} (operation sides, webhooks, error tables): non-breaking, and the types compile (verified).`);
  if (tc.unmapped.length) out.push("", "Compiler problems outside the checks:", "", ...tc.unmapped.map((u) => `- ${u}`));
  if (tc.notes.length) out.push("", "Notes:", "", ...tc.notes.map((n) => `- ${n}`));
  out.push("", tc.agrees ? "The type check agrees with the classification." : "**The type check disagrees with the classification: see above.**");
  return out;
}

export function renderJson(report: DiffReport, extra: Record<string, unknown> = {}): string {
  const verifications = report.typeCheck?.verifications.map((v) => ({ ...v, verdict: verdictText(v) }));
  const body = {
    ...report,
    suggestedVersion: suggestedVersion(report),
    typeCheck: report.typeCheck && { ...report.typeCheck, verifications },
    ...extra,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * The changes as GitHub workflow annotations, each on its line of the new spec (a removal, found
 * in the old spec only, annotates the run): breaking changes as errors while they fail the run,
 * as warnings once acknowledged; the others as notices. A last plain line sums them up.
 */
export function renderGithub(report: DiffReport, options: { fails: boolean }): string {
  const lines = report.changes.map((change) =>
    githubAnnotation({
      level: change.severity !== "breaking" ? "notice" : options.fails ? "error" : "warning",
      ...(change.locSide === "new" ? { file: change.loc.file, line: change.loc.line, col: change.loc.col } : {}),
      title: `spec:diff ${change.severity}: ${change.kind}`,
      message: `${change.api} ${change.path}${change.side ? ` (${change.side} side)` : ""}: ${change.message}`,
    }),
  );
  const count = (s: Severity) => report.changes.filter((c) => c.severity === s).length;
  lines.push(`spec diff ${report.old.label} → ${report.new.label}: ${SECTIONS.map(([s, title]) => `${title.toLowerCase()} ${count(s)}`).join(", ")}`);
  return `${lines.join("\n")}\n`;
}
