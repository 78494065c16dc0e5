// The conversion counts' rebuild in AWS runs only while the keeper cannot write them: its event source
// mapping disabled, and the keeper's timeout passed since, so that a batch handed over before polling
// stopped has ended; the mapping is enabled again afterwards, whatever the rebuild did. The Lambda API
// cannot run here: a fake of one mapping stands in for it, on a clock the test moves.
import {
  GetEventSourceMappingCommand,
  UpdateEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
} from '@aws-sdk/client-lambda';
import { whileKeeperPaused, type EventSourceMappingApi } from '../../tools/keeper-pause';

const UUID = 'a1b2c3d4-0000-4000-8000-000000000001';
const KEEPER_TIMEOUT_MS = 60_000;

/** One mapping whose state moves on a fake clock as Lambda's does: Disabling, then Disabled a few seconds later. */
function fakeMapping(initial: { state: string; lastModified: number }, transitionMs = 3_000) {
  let clock = initial.lastModified + 10 * 60_000;
  let state = initial.state;
  let lastModified = initial.lastModified;
  let settlesAt: { at: number; state: string } | undefined;
  const calls: string[] = [];
  const current = (): EventSourceMappingConfiguration => {
    if (settlesAt && clock >= settlesAt.at) {
      state = settlesAt.state;
      lastModified = settlesAt.at;
      settlesAt = undefined;
    }
    return { UUID, State: state, LastModified: new Date(lastModified) };
  };
  const api = {
    send: async (command: GetEventSourceMappingCommand | UpdateEventSourceMappingCommand) => {
      if (command instanceof GetEventSourceMappingCommand) {
        calls.push('get');
        return current();
      }
      const enabled = command.input.Enabled === true;
      calls.push(enabled ? 'enable' : 'disable');
      current();
      state = enabled ? 'Enabling' : 'Disabling';
      lastModified = clock;
      settlesAt = { at: clock + transitionMs, state: enabled ? 'Enabled' : 'Disabled' };
      return current();
    },
  } as unknown as EventSourceMappingApi;
  return {
    api,
    calls,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
    state: () => current().State,
  };
}

const pausedWork = (mapping: ReturnType<typeof fakeMapping>, seen: Array<{ state?: string; at: number }>) => async () => {
  seen.push({ state: mapping.state(), at: mapping.now() });
  mapping.calls.push('work');
  return 'rebuilt';
};

describe('the rebuild pauses the conversion counts keeper', () => {
  it('disables an enabled mapping, waits until it is Disabled and the keeper timeout has passed, rewrites, then enables it again', async () => {
    const mapping = fakeMapping({ state: 'Enabled', lastModified: 0 });
    const startedAt = mapping.now();
    const seen: Array<{ state?: string; at: number }> = [];
    const result = await whileKeeperPaused(mapping.api, UUID, pausedWork(mapping, seen), {
      keeperTimeoutMs: KEEPER_TIMEOUT_MS,
      pollMs: 1_000,
      now: mapping.now,
      sleep: mapping.sleep,
    });
    expect(result).toBe('rebuilt');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.state).toBe('Disabled');
    // Disabled 3 s after the request; a batch handed over just before may run the keeper's 60 s.
    expect(seen[0]!.at).toBeGreaterThanOrEqual(startedAt + 3_000 + KEEPER_TIMEOUT_MS);
    const order = mapping.calls.filter((c) => c !== 'get');
    expect(order).toEqual(['disable', 'work', 'enable']);
    expect(mapping.state()).toBe('Enabled');
  });

  it('leaves a mapping found disabled as it was, and waits only what is left of the keeper timeout since it was disabled', async () => {
    const mapping = fakeMapping({ state: 'Disabled', lastModified: 0 });
    const disabledAgo = mapping.now(); // ten minutes
    const seen: Array<{ state?: string; at: number }> = [];
    await whileKeeperPaused(mapping.api, UUID, pausedWork(mapping, seen), {
      keeperTimeoutMs: KEEPER_TIMEOUT_MS,
      now: mapping.now,
      sleep: mapping.sleep,
    });
    expect(disabledAgo).toBeGreaterThan(KEEPER_TIMEOUT_MS);
    expect(seen[0]!.at).toBe(disabledAgo);
    expect(mapping.calls.filter((c) => c !== 'get')).toEqual(['work']);
    expect(mapping.state()).toBe('Disabled');

    const justDisabled = fakeMapping({ state: 'Enabled', lastModified: 0 });
    await justDisabled.api.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    await justDisabled.sleep(5_000);
    const disabledAt = justDisabled.now() - 2_000;
    const seenLater: Array<{ state?: string; at: number }> = [];
    await whileKeeperPaused(justDisabled.api, UUID, pausedWork(justDisabled, seenLater), {
      keeperTimeoutMs: KEEPER_TIMEOUT_MS,
      now: justDisabled.now,
      sleep: justDisabled.sleep,
    });
    expect(seenLater[0]!.at).toBe(disabledAt + KEEPER_TIMEOUT_MS);
  });

  it('enables the mapping again when the rewrite fails, and reports the failure', async () => {
    const mapping = fakeMapping({ state: 'Enabled', lastModified: 0 });
    await expect(
      whileKeeperPaused(
        mapping.api,
        UUID,
        async () => {
          throw new Error('ProvisionedThroughputExceededException');
        },
        { keeperTimeoutMs: KEEPER_TIMEOUT_MS, now: mapping.now, sleep: mapping.sleep },
      ),
    ).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(mapping.calls.filter((c) => c !== 'get')).toEqual(['disable', 'enable']);
    expect(mapping.state()).toBe('Enabled');
  });

  it('refuses a mapping in any other state (creating, updating, …) without rewriting anything', async () => {
    const mapping = fakeMapping({ state: 'Updating', lastModified: 0 });
    const seen: Array<{ state?: string; at: number }> = [];
    await expect(
      whileKeeperPaused(mapping.api, UUID, pausedWork(mapping, seen), {
        keeperTimeoutMs: KEEPER_TIMEOUT_MS,
        now: mapping.now,
        sleep: mapping.sleep,
      }),
    ).rejects.toThrow(`the mapping ${UUID} is Updating: run again once it is Enabled or Disabled`);
    expect(seen).toEqual([]);
    expect(mapping.calls).toEqual(['get']);
  });

  it('gives up, without rewriting, when the mapping never reaches Disabled, and asks for it to be enabled again', async () => {
    const mapping = fakeMapping({ state: 'Enabled', lastModified: 0 }, 60 * 60_000);
    const seen: Array<{ state?: string; at: number }> = [];
    await expect(
      whileKeeperPaused(mapping.api, UUID, pausedWork(mapping, seen), {
        keeperTimeoutMs: KEEPER_TIMEOUT_MS,
        settleTimeoutMs: 5 * 60_000,
        now: mapping.now,
        sleep: mapping.sleep,
      }),
    ).rejects.toThrow(
      `the mapping ${UUID} is still Disabling, not Disabled, after 300 s; and the mapping could not be enabled again (the mapping ${UUID} is still Enabling, not Enabled, after 300 s): enable it with aws lambda update-event-source-mapping --uuid ${UUID} --enabled`,
    );
    expect(seen).toEqual([]);
    expect(mapping.calls.filter((c) => c !== 'get')).toEqual(['disable', 'enable']);
  });
});
