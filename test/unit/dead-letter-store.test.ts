// The local dead-letter store keeps one letter per route and event in a JSON-lines file. It remembers
// what it last wrote so that a burst of dead letters does not re-read the whole file for each one, and
// still sees what another process wrote to the same file (a changed size or time).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { DeadLetterStore } from '../../local/dead-letters/store';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dead-letter-store-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const letter = (eventId: string, reason = 'ValidationError') => ({
  route: 'HouseholdProjector',
  attempts: 3,
  reason,
  event: { id: `envelope-${eventId}`, detail: { eventId } } as unknown as EventBridgeEvent<string, unknown>,
});
const eventIds = (letters: ReadonlyArray<{ event: EventBridgeEvent<string, unknown> }>) =>
  letters.map((l) => (l.event.detail as { eventId: string }).eventId);

describe('the local dead-letter store', () => {
  it('keeps one letter per route and event: the same event failing again updates its reason, keeping its id', async () => {
    const store = new DeadLetterStore(dataDir);
    const first = await store.add(letter('e1'));
    await store.add(letter('e2'));
    const again = await store.add(letter('e1', 'still failing'));
    expect(again.id).toBe(first.id);
    const listed = await store.list();
    expect(listed.map((l) => [(l.event.detail as { eventId: string }).eventId, l.reason])).toEqual([
      ['e1', 'still failing'],
      ['e2', 'ValidationError'],
    ]);
    // The file says the same, for any text tool and for a store started afresh.
    expect((await readFile(store.file, 'utf8')).trim().split('\n')).toHaveLength(2);
    expect(eventIds(await new DeadLetterStore(dataDir).list())).toEqual(['e1', 'e2']);
  });

  it('sees letters another process added or removed since it last wrote', async () => {
    const server = new DeadLetterStore(dataDir);
    const other = new DeadLetterStore(dataDir);
    await server.add(letter('e1'));
    await server.add(letter('e2'));
    await other.add(letter('e3'));
    expect(eventIds(await server.list())).toEqual(['e1', 'e2', 'e3']);
    // The same event failing again, after another process added its letter, is still one letter.
    await server.add(letter('e3', 'again'));
    expect(eventIds(await other.list())).toEqual(['e1', 'e2', 'e3']);
    const [one] = await other.list();
    expect(await other.remove([one!.id])).toBe(1);
    expect(eventIds(await server.list())).toEqual(['e2', 'e3']);
    await server.add(letter('e4'));
    expect(eventIds(await other.list())).toEqual(['e2', 'e3', 'e4']);
  });

  it('hands out copies: changing a listed array changes nothing stored', async () => {
    const store = new DeadLetterStore(dataDir);
    await store.add(letter('e1'));
    const listed = await store.list();
    listed.pop();
    expect(eventIds(await store.list())).toEqual(['e1']);
  });
});
