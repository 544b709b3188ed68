import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** The ref the working tree is compared with by default: where this branch left main. */
export function defaultBaseRef(rootDir: string): string {
  try {
    return git(rootDir, ["merge-base", "HEAD", "main"]).trim();
  } catch {
    return "HEAD";
  }
}

export function resolveRef(rootDir: string, ref: string): string {
  try {
    return git(rootDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).trim();
  } catch {
    throw new Error(`'${ref}' is not a commit in this repository`);
  }
}

/**
 * Writes the spec folder as it was at `ref` into a fresh temporary directory laid out like the
 * repository (`<tmp>/spec/...`), so that loading it with rootDir `<tmp>` prints `spec/...` paths.
 * Returns the temporary root. File by file with `git show`, so nothing but git is needed.
 */
export function materializeSpec(rootDir: string, specDir: string, ref: string): string {
  const commit = resolveRef(rootDir, ref);
  const specRel = relative(rootDir, specDir).split("\\").join("/") || ".";
  const target = mkdtempSync(join(tmpdir(), "spec-diff-"));
  const listed = git(rootDir, ["ls-tree", "-r", "-z", "--name-only", commit, "--", specRel]).split("\0").filter(Boolean);
  if (listed.length === 0) throw new Error(`there is no ${specRel}/ at ${ref}`);
  for (const path of listed) {
    const content = execFileSync("git", ["show", `${commit}:${path}`], { cwd: rootDir, maxBuffer: 64 * 1024 * 1024 });
    const out = join(target, "spec", relative(specRel, path));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, content);
  }
  return target;
}
