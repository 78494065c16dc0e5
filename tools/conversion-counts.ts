// `npm run conversion-counts -- --agency <id> [--agency <id> …] [--aws --keeper <mapping uuid>]`: rewrites
// agencies' conversion counts from their stored states, as their only writer (docs/deploy.md).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Identifier } from '../shared/events/catalogue';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { KEEPER_TIMEOUT_SECONDS, rebuildConversionCounts } from '../shared/store/conversion-counts';
import { projectionsTable } from '../shared/store/tables';
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local';
import { LocalRuntimeError } from '../local/errors';
import { localDataDir, localPort } from '../local/settings';
import { dynamoDbLocalAnswers, useLocalDynamoDb } from './local-data';
import { KeeperPauseError, whileKeeperPaused } from './keeper-pause';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { agency: { type: 'string', multiple: true }, aws: { type: 'boolean', default: false }, keeper: { type: 'string' } },
  });
  const agencies = values.agency ?? [];
  const bad = agencies.filter((a) => !Identifier.safeParse(a).success);
  if (agencies.length === 0 || bad.length > 0) {
    throw new LocalRuntimeError(
      `name each agency to rebuild with --agency <id> (1 to 64 letters, digits, -, _ or .)${bad.length ? `; not an id: ${bad.join(', ')}` : ''}`,
    );
  }
  const rebuild = async () => {
    for (const agencyId of agencies) {
      const report = await rebuildConversionCounts(agencyId);
      console.log(
        `${agencyId}: the conversion counts of ${report.households} households rewritten: ${report.itemsWritten} day and month items written, ${report.itemsRemoved} removed.`,
      );
    }
  };
  if (values.aws) {
    if (!process.env[projectionsTable.envVar])
      throw new LocalRuntimeError(`--aws needs ${projectionsTable.envVar}: the deployed table's name`);
    if (!values.keeper) {
      throw new LocalRuntimeError(
        "--aws needs --keeper <uuid>: the keeper's event source mapping (the stack's output ConversionCountsKeeperMapping), paused while the counts are rewritten",
      );
    }
    await whileKeeperPaused(new LambdaClient({}), values.keeper, rebuild, {
      keeperTimeoutMs: KEEPER_TIMEOUT_SECONDS * 1000,
      log: (line) => console.log(line),
    });
    return;
  }
  if (values.keeper) throw new LocalRuntimeError('--keeper is for --aws: locally the keeper runs in `npm start`, which must be stopped');
  const port = localPort('dynamoDbPort');
  if (await dynamoDbLocalAnswers(`http://127.0.0.1:${port}`)) {
    throw new LocalRuntimeError(
      `a DynamoDB Local answers on port ${port}: stop \`npm start\` first, so that its stream reader does not write the counts meanwhile`,
    );
  }
  let started: DynamoDbLocal | undefined;
  try {
    started = await startDynamoDbLocal({ port, dbPath: join(resolve(localDataDir()), 'dynamodb') });
    await useLocalDynamoDb(started.endpoint);
    await rebuild();
  } finally {
    await started?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalRuntimeError || error instanceof KeeperPauseError ? error.message : error);
  process.exitCode = 1;
});
