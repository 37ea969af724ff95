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

/**
 * `s` copied, for a string kept across edits: V8 makes a slice of 13 or more characters point
 * into the string it was cut from, so a declaration's text kept as a key would keep that whole
 * version of the file alive (an open document kept ~100 old versions of itself that way).
 */
export function detached(s: string): string {
  // The concatenation is flattened into a new string by slice: the result points into that copy.
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * `v` with every string in it `detached`, in place: for facts and findings kept across edits
 * (plain objects, arrays and Maps of them; other objects, such as RegExps, are left as they are).
 */
export function detachAll<T>(v: T): T {
  if (typeof v === 'string') return detached(v) as T;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = detachAll(v[i]);
  } else if (v instanceof Map) {
    const entries = [...v].map(([k, x]) => [detachAll(k), detachAll(x)] as const);
    v.clear();
    for (const [k, x] of entries) v.set(k, x);
  } else if (Object.getPrototypeOf(v) === Object.prototype) {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = detachAll(o[k]);
  }
  return v;
}
