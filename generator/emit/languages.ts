import type { Text } from "../model/types.js";

/** The languages spec text comes in, in the order a reader is served them. */
const ORDER = ["en", "zh", "de"] as const;
type Language = (typeof ORDER)[number];

/** How a language is labelled where a text is shown in more than one. */
export const LANGUAGE_LABELS: Record<Language, string> = { en: "English", zh: "中文", de: "Deutsch" };

/** The language a text is read in first: English where the sources give it. */
export function primaryLanguage(text: Text | undefined): Language | undefined {
  return ORDER.find((language) => text?.[language]?.trim());
}

/** The text in its first language, trimmed; "" when there is none. */
export function primaryText(text: Text | undefined): string {
  const language = primaryLanguage(text);
  return language ? text![language]!.trim() : "";
}

/** The text's other languages, in order, with their labels. */
export function otherLanguages(text: Text | undefined): { language: Language; label: string; text: string }[] {
  const primary = primaryLanguage(text);
  return ORDER.filter((language) => language !== primary && text?.[language]?.trim()).map((language) => ({
    language,
    label: LANGUAGE_LABELS[language],
    text: text![language]!.trim(),
  }));
}
