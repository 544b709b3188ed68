import { execFileSync } from "node:child_process";
import { relative } from "node:path";

/** Per file (path from the repository's working directory): the lines a change added or altered, or all of a new file. */
export type ChangedLines = Map<string, Set<number> | "all">;

const git = (cwd: string, args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });

/**
 * What the working tree changed in `specDir` since `ref`: the lines of each file that `git diff`
 * shows as added (a changed line is removed and added), and every line of files git does not track yet.
 */
export function changedLines(rootDir: string, ref: string, specDir: string): ChangedLines {
  const folder = relative(rootDir, specDir) || ".";
  const changed: ChangedLines = new Map();
  let current: Set<number> | undefined;
  for (const line of git(rootDir, ["diff", "--relative", "--unified=0", "--no-color", "--no-ext-diff", ref, "--", folder]).split("\n")) {
    if (line.startsWith("+++ ")) {
      const path = line.slice(4);
      current = path === "/dev/null" ? undefined : new Set<number>();
      if (current) changed.set(path.replace(/^b\//, ""), current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  for (const path of git(rootDir, ["ls-files", "--others", "--exclude-standard", "--", folder]).split("\n").filter(Boolean)) {
    changed.set(path, "all");
  }
  return changed;
}

/** Whether a finding at `file:line` sits on a changed line. */
export function touches(changed: ChangedLines, file: string, line: number): boolean {
  const lines = changed.get(file);
  return lines === "all" || (lines?.has(line) ?? false);
}
