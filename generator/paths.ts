import { join } from "node:path";

export interface ProjectPaths {
  rootDir: string;
  specDir: string;
  templatesDir: string;
  /** The spec-format schema (spec/spec.schema.json), also for fixture specs kept elsewhere. */
  formatSchema: string;
}

export function projectPaths(rootDir: string, specDir = join(rootDir, "spec")): ProjectPaths {
  return {
    rootDir,
    specDir,
    templatesDir: join(rootDir, "templates", "core"),
    formatSchema: join(rootDir, "spec", "spec.schema.json"),
  };
}
