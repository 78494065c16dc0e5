// `npm run council-leaving -- --agency <id> --out <dir>`: exports everything the agency has in the
// service into <dir> (projections.ndjson, contacts.ndjson: its own records, contact details included,
// for its data protection officer). `--delete` then deletes it all, once the export is confirmed
// (docs/runbook.md, a council leaving the service). Against AWS with PROJECTIONS_TABLE and
// CONTACTS_TABLE set (the stack's outputs); locally against `npm start`'s DynamoDB Local.
import { parseArgs } from 'node:util';
import { localPort } from '../../local/settings';
import { contactsTable, projectionsTable } from '../../shared/store/tables';
import { dynamoDbLocalAnswers, useLocalDynamoDb } from '../local-data';
import { deleteAgencyData, exportAgencyData } from './agency-data';

const usage = 'usage: npm run council-leaving -- --agency <id> --out <dir> [--delete]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { agency: { type: 'string' }, out: { type: 'string' }, delete: { type: 'boolean', default: false } },
  });
  if (!values.agency || !/^[A-Za-z0-9_.-]{1,64}$/.test(values.agency) || !values.out) {
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  const inAws = Boolean(process.env[projectionsTable.envVar] && process.env[contactsTable.envVar]);
  if (!inAws) {
    const endpoint = `http://127.0.0.1:${localPort('dynamoDbPort')}`;
    if (!(await dynamoDbLocalAnswers(endpoint)))
      throw new Error(`start the local stack (npm start) first, or set ${projectionsTable.envVar} and ${contactsTable.envVar} for AWS`);
    await useLocalDynamoDb(endpoint);
  }
  const exported = await exportAgencyData(values.agency, values.out);
  console.log(
    `Exported ${values.agency} into ${values.out}: ${Object.entries(exported)
      .map(([file, n]) => `${file} ${n} item(s)`)
      .join(', ')}.`,
  );
  if (!values.delete) {
    console.log('Nothing deleted. Check the export with the council, then run again with --delete.');
    return;
  }
  const deleted = await deleteAgencyData(values.agency);
  console.log(
    `Deleted ${values.agency}: ${Object.entries(deleted)
      .map(([file, n]) => `${file.replace('.ndjson', '')} ${n} item(s)`)
      .join(', ')}.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
