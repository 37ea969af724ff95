import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndex } from '../server/src/engine/positions';

// Line 1 has CJK (3 UTF-8 bytes, 1 UTF-16 unit each) and an emoji (4 bytes, 2 units, 1 code point).
const text = 'package p\r\n// 日本語 😀 x\r\nfunc f() {}\n';

test('UTF-16, UTF-8 and UTF-32 columns after CJK and emoji', () => {
  const lines = new LineIndex(text);
  const x = text.indexOf('x');
  assert.deepEqual(lines.positionAt(x, 'utf-16'), { line: 1, character: 10 });
  assert.deepEqual(lines.positionAt(x, 'utf-8'), { line: 1, character: 3 + 9 + 1 + 4 + 1 });
  assert.deepEqual(lines.positionAt(x, 'utf-32'), { line: 1, character: 9 });
  for (const enc of ['utf-16', 'utf-8', 'utf-32'] as const) {
    assert.equal(lines.offsetAt(lines.positionAt(x, enc), enc), x, enc);
  }
});

test('CRLF: the carriage return is not part of any column, and line ends clamp', () => {
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.equal(lines.lineEnd(0), text.indexOf('\r'));
  assert.equal(lines.offsetAt({ line: 0, character: 999 }), text.indexOf('\r'));
  assert.deepEqual(lines.positionAt(text.indexOf('func')), { line: 2, character: 0 });
});

test('byte offsets match Buffer lengths', () => {
  const lines = new LineIndex(text);
  for (let i = 0; i <= text.length; i++) {
    if (i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) < 0xdc00) continue; // inside a surrogate pair
    assert.equal(lines.byteOffset(i), Buffer.byteLength(text.slice(0, i)), `offset ${i}`);
  }
});

test('out-of-range positions clamp instead of throwing', () => {
  const lines = new LineIndex('ab\ncd');
  assert.equal(lines.offsetAt({ line: 99, character: 0 }), 5);
  assert.equal(lines.offsetAt({ line: -1, character: 0 }), 0);
  assert.deepEqual(lines.positionAt(1000), { line: 1, character: 2 });
  assert.equal(lines.offsetAt({ line: 1, character: 1 }, 'utf-8'), 4);
});

test('an edited line index equals one built from the edited text', () => {
  const texts = ['', 'a', '\n', 'ab\ncd\r\nef\n', 'x\n\n\ny\n', 'one\ntwo\nthree'];
  const inserts = ['', 'q', '\n', 'a\nb', '\r\n', '\n\n'];
  for (const text of texts) {
    const before = new LineIndex(text);
    for (let start = 0; start <= text.length; start++) {
      for (let end = start; end <= text.length; end++) {
        for (const ins of inserts) {
          const next = text.slice(0, start) + ins + text.slice(end);
          const want = new LineIndex(next);
          const got = before.edited(next, start, end, ins);
          assert.equal(got.lineCount, want.lineCount, JSON.stringify({ text, start, end, ins }));
          for (let o = 0; o <= next.length; o++) assert.deepEqual(got.positionAt(o), want.positionAt(o));
        }
      }
    }
  }
});
