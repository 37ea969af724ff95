import type { Rule } from '../context';
import { localChans } from '../go/chans';
import { addBufferEdit, findResultChans, findStreamsIgnoringContext } from '../go/resultchan';
import { contextInScope } from '../go/scope';
import type { Fix } from '../types';
import { FUNC_TYPES, indentAt, params, type Node } from '../go/syntax';
import { GO_STMT, MAKE_CHAN } from '../go/hints';
import { clip, message as say } from './message';

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
        message: say(
          `Goroutine leaks if a caller never receives: the send on line ${ctx.lineOf(send)} blocks forever`,
          `Unbuffered channel '${rc.chan.name}' is returned and fed by a goroutine: a caller that gives up waiting (a timeout, an error) ` +
            `leaves that send blocked forever, and the goroutine leaks.`,
        ),
        related: [
          ...rc.sends.map((s) => ({ span: { start: s.node.startIndex, end: s.node.endIndex }, message: 'this send blocks until a caller receives' })),
          ...rc.returns.map((r) => ({ span: { start: r.startIndex, end: r.endIndex }, message: `'${rc.chan.name}' is returned here` })),
        ],
        fixes: edit
          ? [{ kind: 'add-buffer', title: `Buffer the channel: make(..., 1)`, edits: [edit], preferred: true }]
          : [],
      });
    }
    for (const st of findStreamsIgnoringContext(fn, chans)) {
      const ctxName = contextInScope(st.sends[0].node);
      if (!ctxName || !params(fn).some((p) => p.name === ctxName)) continue; // only a context the caller hands in
      const send = st.sends[0].node;
      // Returning early from the goroutine must not skip a close the readers wait for.
      const closesAtTail = st.chan.uses.some((u) => u.kind === 'close' && u.node.parent?.type !== 'defer_statement');
      ctx.report({
        span: st.chan.make,
        severity: 'info',
        message: say(
          `Goroutine leaks if the caller stops reading: the send on line ${ctx.lineOf(send)} ignores ${clip(ctxName, 20)}`,
          `Unbuffered channel '${st.chan.name}' is returned as a stream: a caller that stops reading (when ${ctxName} ends, or on an error) ` +
            `leaves the goroutine blocked in that send forever. Give up the send on ${ctxName}.Done().`,
        ),
        related: [
          ...st.sends.map((s) => ({ span: { start: s.node.startIndex, end: s.node.endIndex }, message: `this send waits for a reader and never checks ${ctxName}` })),
          ...st.returns.map((r) => ({ span: { start: r.startIndex, end: r.endIndex }, message: `'${st.chan.name}' is returned here` })),
        ],
        fixes: closesAtTail ? [] : selectDoneFix(st.sends.map((s) => s.node), ctxName, ctx.source, ctx.eol),
      });
    }
  },
};

/** Wrap each send: `select { case ch <- v: case <-ctx.Done(): return }` (each on its own line). */
function selectDoneFix(sends: Node[], ctxName: string, source: string, eol: string): Fix[] {
  const ownLine = sends.every((s) => source.slice(source.lastIndexOf('\n', s.startIndex - 1) + 1, s.startIndex).trim() === '' && s.parent?.type === 'statement_list');
  if (!ownLine) return [];
  const edits = sends.map((s) => {
    const ind = indentAt(source, s.startIndex);
    return { start: s.startIndex, end: s.endIndex, newText: `select {${eol}${ind}case ${s.text}:${eol}${ind}case <-${ctxName}.Done():${eol}${ind}\treturn${eol}${ind}}` };
  });
  return [{ kind: 'select-done', title: `Stop sending when ${ctxName} is done`, edits, preferred: true }];
}
