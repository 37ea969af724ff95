// How every finding's message reads: the verdict first (one sentence, at most
// VERDICT_MAX characters, so that the Problems panel and a one-line CLI report show it
// whole), then the explanation. The verdict ends at the first ". " of the message.

export const VERDICT_MAX = 100;

/** `verdict. explanation` — the verdict carries no final period of its own. */
export function message(verdict: string, explanation = ''): string {
  return explanation ? `${verdict}. ${explanation}` : `${verdict}.`;
}

/** The verdict of a message: its first sentence, without the period. */
export function verdictOf(text: string): string {
  const m = /\.(?:\s|$)/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** What follows the verdict (may be empty). */
export function explanationOf(text: string): string {
  const m = /\.(?:\s|$)/.exec(text);
  return m ? text.slice(m.index + 1).trim() : '';
}

/**
 * A Go name short enough for a verdict: leading qualifiers are dropped first
 * (`speech.SpeechRecognizer.Start` → `SpeechRecognizer.Start`), then the middle is cut.
 * The explanation carries the full name.
 */
export function clip(name: string, max = 40): string {
  let s = name;
  while (s.length > max && s.includes('.')) s = s.slice(s.indexOf('.') + 1);
  if (s.length <= max) return s;
  const half = Math.floor((max - 1) / 2);
  return `${s.slice(0, half)}…${s.slice(s.length - (max - 1 - half))}`;
}
