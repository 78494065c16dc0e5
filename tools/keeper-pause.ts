// Runs a piece of work with the conversion counts' keeper paused (its event source mapping disabled),
// so that the counts' rebuild in AWS is their only writer (docs/decisions.md). Written by hand.
import {
  GetEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
  type GetEventSourceMappingCommandOutput,
  type UpdateEventSourceMappingCommandOutput,
} from '@aws-sdk/client-lambda';

/** What the pause asks of the Lambda API (a LambdaClient). */
export interface EventSourceMappingApi {
  send(command: GetEventSourceMappingCommand): Promise<GetEventSourceMappingCommandOutput>;
  send(command: UpdateEventSourceMappingCommand): Promise<UpdateEventSourceMappingCommandOutput>;
}

export interface KeeperPauseOptions {
  /** How long a batch handed to the keeper may run (its function timeout). */
  keeperTimeoutMs: number;
  /** How long the mapping may take to reach Disabled or Enabled. */
  settleTimeoutMs?: number;
  pollMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

export class KeeperPauseError extends Error {
  override name = 'KeeperPauseError';
}

/**
 * Runs `work` while the mapping `uuid` is disabled. A mapping found enabled is disabled first and
 * enabled again afterwards, whether the work succeeded or not (left disabled, the counts would miss
 * every change older than the stream's 24 hours); one found disabled is left so. Any other state
 * (creating, updating, …) is refused: the work does not run.
 */
// A day item the rebuild rewrote from a state read before a change the keeper then applied would
// lose that change. A batch already handed to the keeper when polling stops may still be running,
// so the work waits the keeper's timeout after the mapping's last change.
export async function whileKeeperPaused<T>(
  lambda: EventSourceMappingApi,
  uuid: string,
  work: () => Promise<T>,
  options: KeeperPauseOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const log = options.log ?? (() => undefined);
  const pollMs = options.pollMs ?? 2_000;
  const settleTimeoutMs = options.settleTimeoutMs ?? 5 * 60_000;

  const mapping = () => lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
  const reach = async (state: 'Enabled' | 'Disabled') => {
    const deadline = now() + settleTimeoutMs;
    for (;;) {
      const current = await mapping();
      if (current.State === state) return current;
      if (now() >= deadline)
        throw new KeeperPauseError(`the mapping ${uuid} is still ${current.State}, not ${state}, after ${settleTimeoutMs / 1000} s`);
      await sleep(pollMs);
    }
  };

  const found = await mapping();
  if (found.State !== 'Enabled' && found.State !== 'Disabled') {
    throw new KeeperPauseError(`the mapping ${uuid} is ${found.State}: run again once it is Enabled or Disabled`);
  }
  const resume = found.State === 'Enabled';
  const enableAgain = `aws lambda update-event-source-mapping --uuid ${uuid} --enabled`;
  let outcome: { done: true; value: T } | { done: false; error: unknown };
  try {
    if (resume) {
      log(`disabling the conversion counts' keeper (mapping ${uuid}); if this run is stopped, enable it again with:\n  ${enableAgain}`);
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    }
    const disabled = await reach('Disabled');
    // The last batch handed over before polling stopped has run to its end a keeper timeout after
    // polling stopped: at the latest when it was seen Disabled here, or, for a mapping found disabled,
    // when it last changed.
    const stoppedBy = resume ? now() : (disabled.LastModified?.getTime() ?? now());
    const quietFrom = stoppedBy + options.keeperTimeoutMs;
    if (now() < quietFrom) {
      log(`waiting ${Math.ceil((quietFrom - now()) / 1000)} s for a batch the keeper may still be running...`);
      await sleep(quietFrom - now());
    }
    outcome = { done: true, value: await work() };
  } catch (error) {
    outcome = { done: false, error };
  }
  if (resume) {
    try {
      await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
      await reach('Enabled');
      log('the keeper is enabled again: it resumes where it stopped');
    } catch (error) {
      const before = outcome.done ? '' : `${messageOf(outcome.error)}; and `;
      throw new KeeperPauseError(`${before}the mapping could not be enabled again (${messageOf(error)}): enable it with ${enableAgain}`);
    }
  }
  if (!outcome.done) throw outcome.error;
  return outcome.value;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
