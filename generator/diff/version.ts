import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Change } from "./classify.js";
import type { Severity } from "./rules.js";

/**
 * The generated package is versioned with the spec: a breaking change bumps the major version, a
 * non-breaking one the minor, a documentation-only one the patch. The version lives in
 * spec/package-version.json and the history in spec/CHANGELOG.md; the generator copies both into
 * generated/ (package.json's version, CHANGELOG.md), so `npm run generate` alone reproduces them.
 */

export type Bump = "major" | "minor" | "patch";

export function bumpFor(level: Severity | "none"): Bump | undefined {
  return level === "breaking" ? "major" : level === "non-breaking" ? "minor" : level === "documentation" ? "patch" : undefined;
}

function parse(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!match) throw new Error(`'${version}' is not a plain semver version (x.y.z)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

export function bumpVersion(version: string, bump: Bump): string {
  const [major, minor, patch] = parse(version);
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/**
 * The version the new spec needs: the old version bumped by the level of the changes, or the
 * current one when it is already at least that (so running `--bump` twice bumps once).
 */
export function requiredVersion(oldVersion: string, currentVersion: string, level: Severity | "none"): string {
  const bump = bumpFor(level);
  if (!bump) return currentVersion;
  const target = bumpVersion(oldVersion, bump);
  return compareVersions(currentVersion, target) >= 0 ? currentVersion : target;
}

/** A breaking change is acknowledged when the new side already raises the major version. */
export function majorRaised(oldVersion: string | undefined, newVersion: string | undefined): boolean {
  if (!oldVersion || !newVersion) return false;
  try {
    return parse(newVersion)[0] > parse(oldVersion)[0];
  } catch {
    return false;
  }
}

const HEADINGS: [Severity, string][] = [
  ["breaking", "Breaking changes"],
  ["non-breaking", "Non-breaking changes"],
  ["documentation", "Documentation"],
];

export function changeLine(change: Change): string {
  const side = change.side ? ` (${change.side})` : "";
  return `- \`${change.api}\` ${change.path}${side}: ${change.message}`;
}

export function changelogEntry(version: string, date: string, changes: Change[]): string {
  const sections = HEADINGS.flatMap(([severity, heading]) => {
    const lines = [...new Set(changes.filter((c) => c.severity === severity).map(changeLine))];
    return lines.length ? [`### ${heading}`, "", ...lines, ""] : [];
  });
  return [`## ${version} (${date})`, "", ...sections].join("\n");
}

const CHANGELOG_HEAD = `# Changelog

All notable changes to the generated package \`messenger-sdk\`. Entries are written by
\`npm run spec:diff -- <ref> --bump\` from the spec diff, and copied into the package by \`npm run generate\`.
`;

/** Inserts the entry at the top, replacing an entry of the same version (a re-run after more edits). */
export function addChangelogEntry(existing: string | undefined, version: string, entry: string): string {
  const text = existing ?? CHANGELOG_HEAD;
  const headingOf = (v: string) => new RegExp(`^## ${v.replace(/\./g, "\\.")}(?: |$)`, "m");
  const parts = text.split(/^(?=## )/m);
  const head = parts[0]!.trimEnd();
  const entries = parts.slice(1).filter((part) => !headingOf(version).test(part)).map((p) => p.trimEnd());
  return `${[head, entry.trimEnd(), ...entries].join("\n\n")}\n`;
}

export interface BumpResult {
  from: string;
  to: string;
  changed: boolean;
  changelog: string;
}

/** Writes spec/package-version.json and spec/CHANGELOG.md for the changes found. */
export function applyBump(specDir: string, oldVersion: string, level: Severity | "none", changes: Change[], date: string): BumpResult | undefined {
  const versionFile = join(specDir, "package-version.json");
  const current = (JSON.parse(readFileSync(versionFile, "utf8")) as { version: string }).version;
  if (level === "none") return undefined;
  const to = requiredVersion(oldVersion, current, level);
  if (to !== current) writeFileSync(versionFile, `{ "version": ${JSON.stringify(to)} }\n`);
  const changelogFile = join(specDir, "CHANGELOG.md");
  const existing = existsSync(changelogFile) ? readFileSync(changelogFile, "utf8") : undefined;
  writeFileSync(changelogFile, addChangelogEntry(existing, to, changelogEntry(to, date, changes)));
  return { from: current, to, changed: to !== current, changelog: changelogFile };
}
