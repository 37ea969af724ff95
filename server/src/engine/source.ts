// Turning bytes into analysable text, and saying clearly why a file is skipped.

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;

export type SourceCheck =
  | { ok: true; text: string; /** false when the bytes were not valid UTF-8: never write fixes back */ exact: boolean }
  | { ok: false; reason: string };

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

export function decodeSource(bytes: Uint8Array, maxSize = DEFAULT_MAX_FILE_SIZE): SourceCheck {
  if (bytes.length > maxSize) return { ok: false, reason: `file is ${formatSize(bytes.length)}, over the ${formatSize(maxSize)} limit (maxFileSize)` };
  const probe = bytes.subarray(0, 8000);
  if (probe.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  let exact = true;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    exact = false;
    text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
  return { ok: true, text, exact };
}

/** Generated files are skipped, as Go linters do by convention. */
export function generatedNote(text: string): string | null {
  const head = text.slice(0, 4096);
  const m = GENERATED.exec(head);
  if (!m) return null;
  const pkg = head.search(/^package\s/m);
  return pkg === -1 || m.index < pkg ? 'generated file ("// Code generated ... DO NOT EDIT.")' : null;
}

/** The text tree-sitter sees: a BOM becomes a space so every offset stays the same. */
export function parseableText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}
