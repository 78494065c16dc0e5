// `npm run token -- --group recruitment --agency <id> [--group manager] [--region <id>] [--hours 12]`
// prints a local JWT and nothing else, so that `TOKEN=$(npm run -s token -- ...)` works.
import { parseArgs } from 'node:util';
import { roles, type Role } from '../shared/wiring/http-routes';
import { signLocalToken } from '../local/tokens';

const usage = 'usage: npm run token -- --group <role> [--group <role>] [--agency <id>] [--region <id>] [--hours <n>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      group: { type: 'string', multiple: true, default: [] },
      agency: { type: 'string' },
      region: { type: 'string' },
      hours: { type: 'string', default: '12' },
    },
  });
  const groups = values.group;
  const unknown = groups.filter((group) => !(roles as readonly string[]).includes(group));
  const hours = Number(values.hours);
  if (groups.length === 0 || unknown.length > 0 || !(hours > 0)) {
    const problem =
      groups.length === 0
        ? 'at least one --group is needed'
        : unknown.length > 0
          ? `unknown group ${unknown.join(', ')}; groups are ${roles.join(', ')}`
          : '--hours must be a positive number';
    console.error(`${problem}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  console.log(
    await signLocalToken({
      groups: groups as Role[],
      agencyId: values.agency,
      regionId: values.region,
      expiresInSeconds: Math.round(hours * 3600),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
