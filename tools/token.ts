// `npm run token -- --group recruitment --agency <id> [--name "Jo Bloggs"] [--region <id>] [--hours 12]`
// prints a local JWT and nothing else, so that `TOKEN=$(npm run -s token -- ...)` works.
import { parseArgs } from 'node:util';
import { roles, type Role } from '../shared/wiring/http-routes';
import { signLocalToken } from '../local/tokens';

const usage = `usage: npm run token -- --group <role> [--group <role>] [--agency <id>] [--region <id>] [--name <display name>] [--hours <n>]

Prints a local token (HS256, signed with LOCAL_JWT_SECRET, default local-dev-secret) for the API that
\`npm start\` serves. Roles: recruitment, marketing, manager (each with --agency), regional (with --region).
--name is who the timelines say recorded a step. Examples:
  npm run token -- --group recruitment --agency cambs --name "Jo Bloggs"
  npm run token -- --group regional --region east-of-england`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      group: { type: 'string', multiple: true, default: [] },
      agency: { type: 'string' },
      region: { type: 'string' },
      hours: { type: 'string', default: '12' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
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
      name: values.name,
      expiresInSeconds: Math.round(hours * 3600),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
