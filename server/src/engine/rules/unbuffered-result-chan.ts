import type { Rule } from '../context';
import { localChans } from '../go/chans';
import { addBufferEdit, findResultChans } from '../go/resultchan';
import { FUNC_TYPES } from '../go/syntax';
import { GO_STMT, MAKE_CHAN } from '../go/hints';

export const unbufferedResultChan: Rule = {
  meta: {
    id: 'unbuffered-result-chan',
    description: 'A function returns an unbuffered channel that a goroutine it starts sends on',
    defaultSeverity: 'warning',
    docs: 'docs/rules/unbuffered-result-chan.md',
    fixable: true,
  },
  nodeTypes: [...FUNC_TYPES],
  wants: (text) => GO_STMT.test(text) && MAKE_CHAN.test(text),
  check(fn, ctx) {
    if (fn.hasError) return;
    const chans = ctx.cached(`chans:${fn.id}`, () => localChans(fn));
    for (const rc of findResultChans(fn, chans)) {
      const send = rc.sends[0].node;
      const edit = rc.oneSendPerPath ? addBufferEdit(rc.chan.make, '1') : null;
      ctx.report({
        span: rc.chan.make,
        message:
          `Unbuffered channel '${rc.chan.name}' is returned and fed by a goroutine: a caller that never receives ` +
          `leaves the send on line ${ctx.lineOf(send)} blocked forever, and the goroutine leaks.`,
        related: [
          ...rc.sends.map((s) => ({ span: { start: s.node.startIndex, end: s.node.endIndex }, message: 'this send blocks until a caller receives' })),
          ...rc.returns.map((r) => ({ span: { start: r.startIndex, end: r.endIndex }, message: `'${rc.chan.name}' is returned here` })),
        ],
        fixes: edit
          ? [{ kind: 'add-buffer', title: `Buffer the channel: make(..., 1)`, edits: [edit], preferred: true }]
          : [],
      });
    }
  },
};
