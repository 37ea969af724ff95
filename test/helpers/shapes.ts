// Go files whose statements nest deeply, for the scaling tests and timing runs: `go func`,
// `select`, `for`, `if`, a mix of the four, and a few more shapes (closures, switch, else-if
// chains), nested `depth` levels around a payload.

export const SHAPES = ['go', 'select', 'for', 'if', 'mix', 'func', 'switch', 'elseif'] as const;
export type Shape = (typeof SHAPES)[number];

const LEVEL: Record<Exclude<Shape, 'mix'>, [string, string]> = {
  go: ['go func() {', '}()'],
  select: ['select {\ncase <-ch:', '}'],
  for: ['for {', '}'],
  if: ['if x {', '}'],
  func: ['func() {', '}()'],
  switch: ['switch {\ncase x:', '}'],
  // `if x {} else if x {} else ... { payload }`: nested in the tree, flat in the text.
  elseif: ['if x {\n} else', ''],
};

/**
 * `plain` is an assignment; `rich` gives every rule something to look at (channels, goroutines,
 * a WaitGroup, timers, a context); `every` puts the rich payload at every level, not only the innermost.
 */
export type Payload = 'plain' | 'rich' | 'every';

const RICH =
  'c := make(chan int)\ngo func() { c <- 1 }()\nwg.Add(1)\ngo func() {\nfor {\ntime.Sleep(time.Second)\n}\n}()\n' +
  't := time.NewTimer(time.Second)\n_ = t\nselect {\ncase <-c:\ncase <-time.After(time.Second):\ncase <-ctx.Done():\n}\n';

export function nestedSource(shape: Shape, depth: number, payload: Payload = 'plain'): string {
  const kinds = ['go', 'select', 'for', 'if'] as const;
  const levels = Array.from({ length: depth }, (_, i) => LEVEL[shape === 'mix' ? kinds[i % kinds.length] : shape]);
  const inner = payload === 'plain' ? 'y := 1\n_ = y\n' : RICH;
  const each = payload === 'every' && shape !== 'elseif' ? RICH : '';
  const body =
    shape === 'elseif'
      ? levels.map((l) => l[0] + ' ').join('') + '{\n' + inner + '}\n'
      : levels.map((l) => l[0] + '\n' + each).join('') + inner + levels.reverse().map((l) => l[1] + '\n').join('');
  return 'package p\n\nimport (\n"context"\n"sync"\n"time"\n)\n\nfunc f(ctx context.Context, ch chan int, wg *sync.WaitGroup, x bool) {\n' + body + '}\n';
}
