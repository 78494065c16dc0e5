// The local stand-in for the SQS dead-letter queues of the EventBridge rule targets: an event a
// projector kept failing on is kept here, with its reason, instead of being lost.
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';

export const DEAD_LETTERS_FILE = 'dead-letters.jsonl';

export interface DeadLetter {
  id: string;
  /** The event route (shared/wiring/event-routes.ts) whose handler kept failing. */
  route: string;
  attempts: number;
  /** The error message of the last attempt. */
  reason: string;
  failedAt: string;
  /** How many times `npm run redrive` delivered it again and it failed again (absent: never). */
  redrives?: number;
  event: EventBridgeEvent<string, unknown>;
}

/** JSON lines in `${dataDir}/dead-letters.jsonl`: append-only, readable with any text tool. */
export class DeadLetterStore {
  readonly file: string;
  // Operations run one after another so that `remove` (read, then rewrite) never loses an append.
  private queue: Promise<unknown> = Promise.resolve();
  /** The letters as last read or written here, with the file's size and time then: reused while the
   *  file is unchanged, so adding a letter does not read and parse every letter before it (a burst of
   *  dead letters was quadratic). Another process rewriting the file changes its size or time. */
  private known?: { size: number; mtimeMs: number; letters: DeadLetter[] };
  /** Each letter's line as this store last wrote or read it: a rewrite (one letter updated among
   *  thousands, as when the same event fails again) serialises only the letters that changed. */
  private readonly lines = new WeakMap<DeadLetter, string>();

  constructor(dataDir: string) {
    this.file = join(dataDir, DEAD_LETTERS_FILE);
  }

  /** One dead letter per route and event: the same event failing there again (a replay, a copy the
   *  publisher sent twice) updates the letter's reason and time, keeping its id and redrive count. */
  add(letter: Omit<DeadLetter, 'id' | 'failedAt'>): Promise<DeadLetter> {
    return this.serially(async () => {
      const all = await this.read();
      const same = all.find((known) => known.route === letter.route && eventIdOf(known.event) === eventIdOf(letter.event));
      if (same) {
        const updated: DeadLetter = { ...same, ...letter, id: same.id, redrives: same.redrives, failedAt: new Date().toISOString() };
        if (updated.redrives === undefined) delete updated.redrives;
        await this.write(all.map((known) => (known === same ? updated : known)));
        return updated;
      }
      const record: DeadLetter = { id: randomUUID(), failedAt: new Date().toISOString(), ...letter };
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, this.lineOf(record));
      await this.remember([...all, record]);
      return record;
    });
  }

  list(): Promise<DeadLetter[]> {
    return this.serially(async () => [...(await this.read())]);
  }

  /** Removes the dead letters with these ids; returns how many were removed. */
  remove(ids: readonly string[]): Promise<number> {
    return this.serially(async () => {
      const removed = new Set(ids);
      const all = await this.read();
      const kept = all.filter((letter) => !removed.has(letter.id));
      if (kept.length !== all.length) await this.write(kept);
      return all.length - kept.length;
    });
  }

  /** Replaces the dead letters with these ids (a redrive's entries that failed again, with their new
   *  reasons) in one rewrite; returns how many were found. */
  update(letters: readonly DeadLetter[]): Promise<number> {
    return this.serially(async () => {
      const byId = new Map(letters.map((letter) => [letter.id, letter]));
      const all = await this.read();
      const found = all.filter((letter) => byId.has(letter.id)).length;
      if (found > 0) await this.write(all.map((letter) => byId.get(letter.id) ?? letter));
      return found;
    });
  }

  /** Written aside, then renamed over the file: a crash mid-write never loses the other dead letters. */
  private async write(letters: readonly DeadLetter[]): Promise<void> {
    const next = `${this.file}.${process.pid}.tmp`;
    await writeFile(next, letters.map((letter) => this.lineOf(letter)).join(''));
    await rename(next, this.file);
    await this.remember([...letters]);
  }

  /** What the file now holds, as written here. */
  private async remember(letters: DeadLetter[]): Promise<void> {
    const { size, mtimeMs } = await stat(this.file);
    this.known = { size, mtimeMs, letters };
  }

  private async read(): Promise<DeadLetter[]> {
    let text: string;
    try {
      const { size, mtimeMs } = await stat(this.file);
      if (this.known && this.known.size === size && this.known.mtimeMs === mtimeMs) return this.known.letters;
      this.known = undefined;
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const letters: DeadLetter[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const letter = JSON.parse(line) as DeadLetter;
        this.lines.set(letter, `${line}\n`);
        letters.push(letter);
      } catch {
        // A line cut short by a crash mid-append: skip it rather than hide every other dead letter.
      }
    }
    return letters;
  }

  private lineOf(letter: DeadLetter): string {
    let line = this.lines.get(letter);
    if (line === undefined) {
      line = `${JSON.stringify(letter)}\n`;
      this.lines.set(letter, line);
    }
    return line;
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** The domain event's id where it has one, else the envelope's. */
function eventIdOf(event: EventBridgeEvent<string, unknown>): string {
  const detail = event.detail as { eventId?: unknown } | undefined;
  return typeof detail?.eventId === 'string' ? detail.eventId : event.id;
}
