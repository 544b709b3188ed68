/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): printed by a step, each
 * becomes an annotation on that line of the pull request's diff. Used by `--format github` of
 * spec:lint and spec:diff.
 */

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  level: AnnotationLevel;
  /** Path from the repository root; without it the annotation belongs to the run, not a line. */
  file?: string;
  line?: number;
  col?: number;
  title?: string;
  message: string;
}

/** Percent-encodes what would end a command's message early: `%` first, then line breaks. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A property value also must not hold the separators `:` and `,`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function githubAnnotation(annotation: Annotation): string {
  const properties = [
    annotation.file === undefined ? undefined : `file=${escapeProperty(annotation.file)}`,
    annotation.line === undefined ? undefined : `line=${annotation.line}`,
    annotation.col === undefined ? undefined : `col=${annotation.col}`,
    annotation.title === undefined ? undefined : `title=${escapeProperty(annotation.title)}`,
  ].filter((p): p is string => p !== undefined);
  return `::${annotation.level}${properties.length ? ` ${properties.join(",")}` : ""}::${escapeData(annotation.message)}`;
}
