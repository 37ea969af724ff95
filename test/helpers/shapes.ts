// Go files whose statements nest deeply, for the scaling tests and timing runs:
// `go func`, `select`, `for`, `if`, or a mix, nested `depth` levels around a payload.

export const SHAPES = ['go', 'select', 'for', 'if', 'mix'] as const;
export type Shape = (typeof SHAPES)[number];

const OPEN: Record<Exclude<Shape, 'mix'>, [string, string]> = {
  go: ['go func() {', '}()'],
  select: ['select {\ncase <-ch:', '}'],
  for: ['for {', '}'],
  if: ['if x {', '}'],
};

/** `plain` is an assignment; `rich` gives every rule something to look at (channels, goroutines, a WaitGroup, timers, a context). */
const PAYLOAD = {
  plain: 'y := 1\n_ = y\n',
  rich:
    'c := make(chan int)\ngo func() { c <- 1 }()\nwg.Add(1)\ngo func() {\nfor {\ntime.Sleep(time.Second)\n}\n}()\n' +
    't := time.NewTimer(time.Second)\n_ = t\nselect {\ncase <-c:\ncase <-time.After(time.Second):\ncase <-ctx.Done():\n}\n',
};

export function nestedSource(shape: Shape, depth: number, payload: keyof typeof PAYLOAD = 'plain'): string {
  const kinds = ['go', 'select', 'for', 'if'] as const;
  const levels = Array.from({ length: depth }, (_, i) => OPEN[shape === 'mix' ? kinds[i % kinds.length] : shape]);
  return (
    'package p\n\nimport (\n"context"\n"sync"\n"time"\n)\n\n' +
    'func f(ctx context.Context, ch chan int, wg *sync.WaitGroup, x bool) {\n' +
    levels.map((l) => l[0] + '\n').join('') +
    PAYLOAD[payload] +
    levels.reverse().map((l) => l[1] + '\n').join('') +
    '}\n'
  );
}
