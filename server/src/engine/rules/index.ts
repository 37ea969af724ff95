// The rule registry: every rule the engine runs, by id.
import type { Rule } from '../context';
import { abandonedSender } from './abandoned-sender';
import { discardedResultChan } from './discarded-result-chan';
import { goroutineWithoutCancel } from './goroutine-without-cancel';
import { lostCancel } from './lost-cancel';
import { ownerNeverStopped } from './owner-never-stopped';
import { releaseSkipped } from './release-skipped';
import { requestCapturedByGoroutine } from './request-captured-by-goroutine';
import { timerNotStopped } from './timer-not-stopped';
import { unbufferedResultChan } from './unbuffered-result-chan';
import { waitgroupMisuse } from './waitgroup-misuse';

export const RULES: readonly Rule[] = [
  unbufferedResultChan,
  discardedResultChan,
  abandonedSender,
  waitgroupMisuse,
  goroutineWithoutCancel,
  timerNotStopped,
  requestCapturedByGoroutine,
  releaseSkipped,
  lostCancel,
  ownerNeverStopped,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));

