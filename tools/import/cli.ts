// `npm run import -- --agency <id> <file.csv|file.xlsx> [--mapping <file.json>] [--dry-run] [--aws]`:
// a spreadsheet's history published through the bus, row by row checked first (docs/adopting.md).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as z from 'zod';
import { todayUtc } from '../../shared/domain/calendar';
import { foldHousehold } from '../../shared/domain/household';
import { defaultRetentionPeriods, dueForErasure, type RetentionPeriods } from '../../shared/domain/retention';
import { EVENT_BUS_NAME_ENV, LOCAL_SEARCH_KEY_ENV, SEARCH_KEY_SECRET_ENV } from '../../shared/wiring/environment';
import { DEFAULT_LOCAL_SEARCH_KEY, hasherFromSecret, hasherOf, type TermHasher } from '../../shared/store/search-hash';
import { localPort } from '../../local/settings';
import { describeIssues, EVENT_SOURCE, Identifier, type DomainEvent, type HouseholdEvent } from '../../shared/events/catalogue';
import { EVENT_BUS_NAME } from '../../shared/wiring/event-routes';
import { auditTable, contactsTable } from '../../shared/store/tables';
import { auditItems, IMPORT_TOOL_SUB } from '../../shared/store/audit';
import { contactPuts } from '../../shared/store/contacts';
import { createTables } from '../../local/create-tables';
import { LocalRuntimeError } from '../../local/errors';
import { localDynamoDbClientConfig } from '../../local/dynamodb-local';
import { LOCAL_REGION } from '../../local/main';
import { ProgressBar } from '../progress-bar';
import { defaultMapping, MappingSchema, missingHeaders, planImport, type Mapping, type RowError, type RowImport } from './rows';
import { readSheet } from './read';

const usage = 'usage: npm run import -- --agency <id> <file.csv|file.xlsx> [--mapping <file.json>] [--dry-run] [--aws]';

export class ImportError extends Error {}

/** Where the events and the contact details go. */
export interface ImportTarget {
  eventBridge: EventBridgeClient;
  busName: string;
  /** The contacts table: each household's details and search entries. */
  contacts?: { client: DynamoDBDocumentClient; tableName: string };
  /** The access audit, where the import of contact details is recorded (with the contacts' client). */
  audit?: { tableName: string };
  /** Hashes the search terms with the deployment's key (the running stack's, locally). */
  hashTerm: TermHasher;
}

export interface ImportReport {
  rows: number;
  bad: RowError[];
  imported: number;
  events: number;
  contactsWritten: number;
  /** Details of households whose retention period had already run out: not stored. */
  contactsPastRetention: number;
  dryRun: boolean;
}

export async function readMapping(file: string | undefined): Promise<Mapping> {
  if (!file) return defaultMapping;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new ImportError(`${file}: not readable JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = MappingSchema.safeParse(raw);
  if (!parsed.success) throw new ImportError(`${file}: not a mapping file: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Checks every row, then (unless a dry run) writes the good rows' contact details and publishes their events. */
export async function runImport(options: {
  agencyId: string;
  file: string;
  mapping: Mapping;
  dryRun: boolean;
  target?: ImportTarget;
  today?: string;
  /** The periods rows are judged by (default: the service's defaults, the law's minimums for applicants and carers). */
  retentionPeriods?: RetentionPeriods;
  progress?: boolean;
  log?: (line: string) => void;
}): Promise<ImportReport> {
  const log = options.log ?? ((line: string) => console.error(line));
  const agency = Identifier.safeParse(options.agencyId);
  if (!agency.success) throw new ImportError(`--agency: ${agency.error.issues[0]?.message}`);
  const sheet = await readSheet(options.file, options.mapping.dateFormat);
  const missing = missingHeaders(options.mapping, sheet.headers);
  if (missing.length > 0)
    throw new ImportError(
      `${options.file}: no column ${missing.map((h) => `"${h}"`).join(', ')} (its headers: ${sheet.headers.filter(Boolean).join(', ')})`,
    );
  const today = options.today ?? todayUtc();
  const { imports, bad } = planImport(options.agencyId, options.mapping, sheet.rows, today);
  for (const row of bad) log(`row ${row.rowNumber}: ${row.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  const events = imports.flatMap((r) => r.events);
  const report: ImportReport = {
    rows: sheet.rows.length,
    bad,
    imported: imports.length,
    events: events.length,
    contactsWritten: 0,
    contactsPastRetention: 0,
    dryRun: options.dryRun,
  };
  if (options.dryRun) return report;
  if (!options.target) throw new ImportError('no target to import into');
  const { contactsWritten, contactsPastRetention } = await writeContacts(
    options.target,
    options.agencyId,
    imports,
    options.retentionPeriods ?? defaultRetentionPeriods,
  );
  await publish(options.target, events, options.progress ?? true);
  return { ...report, contactsWritten, contactsPastRetention };
}

/** Each household's contact details with their search entries (name, email, phone and the row's key),
 *  or the key's search entry alone; written once: an import again leaves them as they are. */
async function writeContacts(target: ImportTarget, agencyId: string, imports: readonly RowImport[], retentionPeriods: RetentionPeriods) {
  let contactsPastRetention = 0;
  const written: string[] = [];
  const now = new Date().toISOString();
  if (!target.contacts) throw new ImportError("there is no contacts table to write the households' search entries to");
  if (!target.audit) throw new ImportError('there is no audit table to record the import of contact details in');
  for (const row of imports) {
    const household = foldHousehold(agencyId, row.householdId, row.events as HouseholdEvent[], []);
    const pastRetention = row.contact !== undefined && dueForErasure({ household }, now, retentionPeriods);
    if (pastRetention) contactsPastRetention += 1;
    const contact = pastRetention ? undefined : row.contact;
    try {
      const TransactItems = contactPuts(agencyId, row.householdId, contact, {
        hashTerm: target.hashTerm,
        externalRef: row.key,
        table: target.contacts.tableName,
      });
      await target.contacts.client.send(new TransactWriteCommand({ TransactItems }));
      if (contact) written.push(row.householdId);
    } catch (error) {
      // Written by an earlier import of the same row.
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }
  // The import of contact details is audited like every other way to them: which households, never what.
  if (written.length > 0) {
    const entry = { at: now, sub: IMPORT_TOOL_SUB, agencyId, action: 'imported' as const, householdIds: written };
    for (const Item of auditItems(entry))
      await target.contacts.client.send(
        new PutCommand({ TableName: target.audit.tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
  }
  const contactsWritten = written.length;
  return { contactsWritten, contactsPastRetention };
}

const BATCH_SIZE = 10; // PutEvents takes at most 10 entries
const CALLS_IN_FLIGHT = 4;

async function publish(target: ImportTarget, events: readonly DomainEvent[], showProgress: boolean): Promise<void> {
  let sent = 0;
  const progress =
    showProgress && events.length >= 100 ? new ProgressBar('Importing', events.length, () => sent, 'accepted by the bus') : undefined;
  let next = 0;
  const publishing = async () => {
    while (next < events.length) {
      const batch = events.slice(next, (next += BATCH_SIZE));
      const answer = await target.eventBridge.send(
        new PutEventsCommand({
          Entries: batch.map(({ detailType, detail }) => ({
            EventBusName: target.busName,
            Source: EVENT_SOURCE,
            DetailType: detailType,
            Detail: JSON.stringify(detail),
          })),
        }),
      );
      const failed = answer.Entries?.find((entry) => entry.ErrorCode);
      if (answer.FailedEntryCount || failed)
        throw new ImportError(`the bus refused ${answer.FailedEntryCount} events: ${failed?.ErrorCode} ${failed?.ErrorMessage}`);
      sent += batch.length;
      progress?.sent(batch.length);
    }
  };
  progress?.start();
  try {
    await Promise.all(Array.from({ length: CALLS_IN_FLIGHT }, publishing));
  } finally {
    progress?.finish();
  }
}

/** The running `npm start`: its bus at EVENTS_PORT, its DynamoDB Local at DYNAMODB_PORT. */
async function localTarget(): Promise<ImportTarget> {
  const eventBridge = new EventBridgeClient({
    endpoint: `http://127.0.0.1:${localPort('eventsPort')}`,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = new DynamoDBClient(localDynamoDbClientConfig(`http://127.0.0.1:${localPort('dynamoDbPort')}`));
  // The running stack's tables, by their local names (created by then; creating is a no-op).
  const names = await createTables(client);
  return {
    eventBridge,
    busName: EVENT_BUS_NAME,
    contacts: { client: DynamoDBDocumentClient.from(client), tableName: names[contactsTable.envVar]! },
    audit: { tableName: names[auditTable.envVar]! },
    hashTerm: hasherOf(process.env[LOCAL_SEARCH_KEY_ENV] || DEFAULT_LOCAL_SEARCH_KEY),
  };
}

/** The environment's AWS credentials and region, the bus EVENT_BUS_NAME (default `fostering`), the
 *  contacts table CONTACTS_TABLE (the stack's ContactsTableName output) and the audit AUDIT_TABLE (AuditTableName). */
async function awsTarget(): Promise<ImportTarget> {
  const eventBridge = new EventBridgeClient({});
  const busName = process.env[EVENT_BUS_NAME_ENV] || EVENT_BUS_NAME;
  const tableName = process.env[contactsTable.envVar];
  if (!tableName)
    throw new ImportError(`${contactsTable.envVar} must name the deployed Contacts table (the stack's ContactsTableName output)`);
  const auditTableName = process.env[auditTable.envVar];
  if (!auditTableName) throw new ImportError(`${auditTable.envVar} must name the deployed Audit table (the stack's AuditTableName output)`);
  const searchKeySecret = process.env[SEARCH_KEY_SECRET_ENV];
  if (!searchKeySecret)
    throw new ImportError(`${SEARCH_KEY_SECRET_ENV} must name the deployed search key's secret (the stack's SearchKeySecretName output)`);
  return {
    hashTerm: await hasherFromSecret(searchKeySecret),
    eventBridge,
    busName,
    contacts: { client: DynamoDBDocumentClient.from(new DynamoDBClient({})), tableName },
    audit: { tableName: auditTableName },
  };
}

const ArgsSchema = z.object({
  agency: z.string().min(1, '--agency is required'),
  file: z.string().min(1, 'the spreadsheet file is required'),
});

async function main(): Promise<number> {
  let values: { agency?: string; mapping?: string; 'dry-run'?: boolean; aws?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        agency: { type: 'string' },
        mapping: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        aws: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const args = ArgsSchema.safeParse({ agency: values.agency ?? '', file: positionals[0] ?? '' });
  if (!args.success || positionals.length > 1) {
    console.error(`${args.success ? 'one spreadsheet at a time' : args.error.issues.map((i) => i.message).join('; ')}\n${usage}`);
    return 2;
  }
  const mapping = await readMapping(values.mapping);
  const dryRun = values['dry-run'] === true;
  const target = dryRun ? undefined : values.aws ? await awsTarget() : await localTarget();
  process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';
  const report = await runImport({ agencyId: args.data.agency, file: args.data.file, mapping, dryRun, target });
  const good = `${report.imported} of ${report.rows} rows good (${report.events} events)`;
  if (report.dryRun) {
    console.log(`Dry run: ${good}; ${report.bad.length} bad. Nothing was sent.`);
  } else {
    console.log(
      `Imported ${good} into agency ${args.data.agency}${values.aws ? '' : ' (the local stack)'}; contact details stored for ${report.contactsWritten} new households` +
        `${report.contactsPastRetention ? `, left out for ${report.contactsPastRetention} past their retention period` : ''}.` +
        `${report.bad.length ? ` ${report.bad.length} bad rows were not sent: fix them and import again (the good rows change nothing the second time).` : ''}`,
    );
  }
  return report.bad.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof ImportError || error instanceof LocalRuntimeError ? error.message : error);
      process.exit(error instanceof ImportError ? 2 : 1);
    },
  );
}
