// Ctrl-C (SIGINT) and SIGTERM for the commands that start the local stack (`npm run demo`, and
// `npm start` through local/main.ts): whenever one arrives, what was started is stopped (DynamoDB
// Local's JVM last, as the stack stops it) and the process exits 0, the normal end of a program
// that runs until it is stopped.
//
// - Before anything is started: the program exits at its next await (a synchronous step, such as
//   generating the demo's history, finishes first).
// - While something starts (DynamoDB Local takes seconds): it is stopped as soon as it is up; if it
//   fails instead (a Ctrl-C in a terminal reaches the JVM too), that failure is not an error.
// - Once everything runs: it is stopped in reverse order of starting.
// A second signal while stopping changes nothing; if stopping hangs, the process exits anyway after
// STOP_TIMEOUT_MS (DynamoDB Local's JVM is killed on exit: local/dynamodb-local.ts).
//
// An uncaught exception stops everything too, and exits 1.

/** Longer than DynamoDB Local's own SIGTERM-then-SIGKILL grace (5 s), with the API and bus before it. */
const STOP_TIMEOUT_MS = 20_000;

export interface Stoppable {
  stop(): unknown;
}

export interface StopOnSignals {
  /** The signal that arrived, if one did: the program is stopping and will exit 0. */
  readonly signal: NodeJS.Signals | undefined;
  /**
   * Starts something (a stack, the schedules) and keeps it to stop: the last started is stopped first.
   * After a signal it is not started, and the promise never settles: the process is exiting.
   */
  start<T extends Stoppable>(start: () => T | Promise<T>): Promise<T>;
  /** Stops everything started so far, once: a caller and a signal share the same stop. */
  stopAll(): Promise<void>;
}

export function stopOnSignals(options: { log: (line: string) => void }): StopOnSignals {
  const { log } = options;
  const started: Stoppable[] = [];
  /** Starts under way; a stop waits for them, so that what they start is stopped too. */
  const starting = new Set<Promise<unknown>>();
  let signal: NodeJS.Signals | undefined;
  let stopping: Promise<void> | undefined;
  const never = new Promise<never>(() => undefined);

  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      while (starting.size > 0) await Promise.allSettled([...starting]);
      for (const stoppable of started.splice(0).reverse()) {
        try {
          await stoppable.stop();
        } catch (error) {
          log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })());

  const exitAfterStopping = (exitCode: number): void => {
    setTimeout(() => {
      log(`still stopping after ${STOP_TIMEOUT_MS / 1000} s: exiting anyway`);
      process.exit(exitCode);
    }, STOP_TIMEOUT_MS).unref();
    void stopAll().finally(() => process.exit(exitCode));
  };

  const onSignal = (name: NodeJS.Signals): void => {
    // A second one changes nothing (a second Ctrl-C, or npm passing on the one the terminal sent us too).
    if (signal) return;
    signal = name;
    log(`\n${name}: stopping the local stack...`);
    exitAfterStopping(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('uncaughtException', (error) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    // Stopping for a signal already: let it end as it began.
    if (signal) return;
    log('uncaught exception: stopping the local stack...');
    exitAfterStopping(1);
  });

  return {
    get signal() {
      return signal;
    },
    start: <T extends Stoppable>(start: () => T | Promise<T>): Promise<T> => {
      if (signal) return never;
      const starts = Promise.resolve()
        .then(start)
        .then((stoppable) => {
          started.push(stoppable);
          return stoppable;
        });
      const settled = starts.then(
        () => undefined,
        () => undefined,
      );
      starting.add(settled);
      void settled.then(() => starting.delete(settled));
      // Past a signal, the caller never sees what it started, nor its failure: the process is exiting.
      return starts.then(
        (stoppable) => (signal ? never : stoppable),
        (error: unknown) => (signal ? never : Promise.reject(error)),
      );
    },
    stopAll,
  };
}
