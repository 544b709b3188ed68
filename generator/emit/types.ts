import type { SpecModel } from "../model/types.js";

/** A file an emitter produces, relative to the package root (generated/). */
export interface GeneratedFile {
  path: string;
  content: string;
  /** Already in its final form: the formatter leaves it as it is. */
  final?: boolean;
  /**
   * The content cut at its top-level statements, each ending in a newline (`content` is them joined
   * by blank lines). The formatter formats and caches each on its own: a large file never becomes one
   * syntax tree in memory, and an edit reformats only the statements it changed.
   */
  sections?: string[];
}

/** What emitters may read besides the model: the hand-written runtime, as text. */
export interface EmitContext {
  /** templates/core/*.ts by file name. */
  templates: ReadonlyMap<string, string>;
  /** Version of the generated package. */
  packageVersion: string;
  /**
   * templates/node/*.ts and templates/testing/*.ts by path below templates/ ("testing/fake-graph.ts"): the
   * Node-only entry points messenger-sdk/node and messenger-sdk/testing, copied like the core.
   */
  extraTemplates?: ReadonlyMap<string, string>;
  /** spec/CHANGELOG.md, when the spec has one: the package's CHANGELOG.md. */
  changelog?: string;
  /** spec/package-readme.md, when the spec has one: the start of the package's README.md. */
  packageReadme?: string;
  /** Results of earlier runs, by content hash (generator/cache.ts); absent, everything is computed. */
  cache?: StepCache;
}

/** The steps that keep results in the generation cache, each in a folder of its own. */
export type CacheKind = "run" | "format" | "validators" | "openapi-types" | "dist";

/**
 * Results of expensive steps by the hash of their inputs. The implementation adds the generator's
 * own identity to every key, so a step only hashes what it reads.
 */
export interface StepCache {
  get(kind: CacheKind, key: string): string | undefined;
  set(kind: CacheKind, key: string, value: string): void;
}

/**
 * Every output kind has one emitter: a pure function from the model to files. An emitter may be
 * async when a tool it drives is (openapi-typescript); its output must still depend on its inputs only.
 */
export type Emitter = (model: SpecModel, context: EmitContext) => GeneratedFile[] | Promise<GeneratedFile[]>;
