// The one retry loop on a concurrent change: a write guarded by what it read (a version, an item's
// absence) fails when someone wrote first; the whole read-decide-write is then tried again.

/** Tries before giving up (a command answers 409, a delivery fails and is retried later). */
const MAX_ATTEMPTS = 10;

export class ConcurrentChangeError extends Error {
  override name = 'ConcurrentChangeError';
  constructor(readonly subject: string) {
    super(`${subject} kept changing under ${MAX_ATTEMPTS} attempts`);
  }
}

/** Runs `attempt` until it returns something other than 'conflict', pausing a little longer each time. */
export async function retryOnConflict<T>(what: string, attempt: () => Promise<T | 'conflict'>): Promise<T> {
  for (let tries = 1; tries <= MAX_ATTEMPTS; tries++) {
    const result = await attempt();
    if (result !== 'conflict') return result;
    // Jittered, so that writers who collided do not collide again.
    const ms = Math.min(200, 5 * 2 ** tries) * (0.5 + Math.random() / 2);
    await new Promise((done) => setTimeout(done, ms));
  }
  throw new ConcurrentChangeError(what);
}
