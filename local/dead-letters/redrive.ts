// Redrive of the local dead letters: each one is delivered again, as it was, to the route that gave
// up on it. Delivered → removed; failing again → kept, with its new reason. Projectors de-duplicate
// by eventId, so an event that had in fact been projected before it failed is not counted twice.
import type { DeadLetter, DeadLetterStore } from './store';
import type { LocalEventBus } from '../event-bus';

export interface RedrivenEntry {
  deadLetterId: string;
  route: string;
  detailType: string;
  /** The domain event's eventId (the idempotency key), when its detail has one. */
  eventId?: string;
  outcome: 'delivered' | 'failed again';
  /** Why it failed again; it stays in the dead letters with this reason. */
  reason?: string;
}

export interface RedriveReport {
  tried: number;
  delivered: number;
  failedAgain: number;
  entries: RedrivenEntry[];
}

type Store = Pick<DeadLetterStore, 'list' | 'remove' | 'update'>;
type Bus = Pick<LocalEventBus, 'redeliver'>;

/** Returns a redrive that runs one at a time: a second call waits for the first, then takes what is left. */
export function localRedriver(store: Store, bus: Bus): () => Promise<RedriveReport> {
  let last: Promise<unknown> = Promise.resolve();
  return () => {
    const run = last.then(() => redriveDeadLetters(store, bus));
    last = run.catch(() => undefined);
    return run;
  };
}

export async function redriveDeadLetters(store: Store, bus: Bus): Promise<RedriveReport> {
  const letters = await store.list();
  // All at once: the bus's own concurrency limit paces the handlers.
  const outcomes = await Promise.all(letters.map(async (letter) => ({ letter, result: await bus.redeliver(letter.route, letter.event) })));

  // The store is rewritten once for all, after every delivery is over. Should this process die
  // before, the delivered ones are simply delivered again by the next redrive: counted once.
  const failedAt = new Date().toISOString();
  const failedAgain: DeadLetter[] = [];
  const entries = outcomes.map(({ letter, result }): RedrivenEntry => {
    const detail = letter.event.detail as { eventId?: unknown } | null;
    const entry = {
      deadLetterId: letter.id,
      route: letter.route,
      detailType: letter.event['detail-type'],
      ...(typeof detail?.eventId === 'string' ? { eventId: detail.eventId } : {}),
    };
    if (result.delivered) return { ...entry, outcome: 'delivered' };
    failedAgain.push({ ...letter, reason: result.reason, attempts: result.attempts, failedAt, redrives: (letter.redrives ?? 0) + 1 });
    return { ...entry, outcome: 'failed again', reason: result.reason };
  });
  await store.remove(entries.filter((entry) => entry.outcome === 'delivered').map((entry) => entry.deadLetterId));
  await store.update(failedAgain);
  return { tried: entries.length, delivered: entries.length - failedAgain.length, failedAgain: failedAgain.length, entries };
}
