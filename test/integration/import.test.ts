// Bringing history in (docs/adopting.md): a spreadsheet of households, one row each, checked row by row and
// imported through the bus as any other system's events; contact details to the contacts store only.
// Real bus, projectors and DynamoDB Local; the spreadsheet in CSV and in XLSX (written with exceljs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { apiRoute } from '../../shared/wiring/http-routes';
import { contactsTable, projectionsTable, tableName } from '../../shared/store/tables';
import { signLocalToken } from '../../local/tokens';
import { MappingSchema, importedHouseholdId, type Mapping } from '../../tools/import/rows';
import { runImport } from '../../tools/import/cli';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { localImportTarget, type LocalImportTarget } from '../support/import-target';

/** The example mapping of docs/adopting.md: the spreadsheet's headers and values. */
const mapping: Mapping = MappingSchema.parse({
  key: 'Ref',
  dateFormat: 'DD/MM/YYYY',
  columns: {
    enquiredOn: 'Date of enquiry',
    channel: 'Source',
    campaignId: 'Campaign',
    interests: 'Interested in',
    postcodeDistrict: 'Postcode',
    initialVisitOn: 'Initial visit',
    assessmentOn: 'Application',
    prospectiveBeds: 'Places offered',
    approvedOn: 'Approved',
    category: 'Type of carer',
    approvedBeds: 'Approved places',
    closedOn: 'Closed',
    closureReason: 'Reason closed',
    name: 'Name',
    email: 'Email',
    phone: 'Phone',
  },
  values: {
    channel: { Facebook: 'facebook', 'Info event': 'information_event' },
    closureReason: { 'Not suitable': 'not_suitable' },
    category: { Link: 'short_breaks' },
  },
});
const headers = [
  'Ref',
  'Date of enquiry',
  'Source',
  'Campaign',
  'Interested in',
  'Postcode',
  'Initial visit',
  'Application',
  'Places offered',
  'Approved',
  'Type of carer',
  'Approved places',
  'Closed',
  'Reason closed',
  'Name',
  'Email',
  'Phone',
];

// Seven good rows and three bad ones. Worked by hand, for enquiries 1 April – 30 September 2019:
// 6 enquiries (E7 enquired in 2018), 4 initial visits (E1, E2, E3, E4), 3 applications (E1, E2, E3),
// 2 approvals (E1 mainstream 2 beds, E2 Link 1 bed); closed: E4 not_suitable, E5 not_proceeding;
// open: E3 (in assessment) and E6. 18 events. Four rows name a person; E5's enquiry closed in July
// 2019, more than the two years of retention ago, so its details are not stored: three are.
const rows: string[][] = [
  [
    'E1',
    '03/04/2019',
    'Facebook',
    'spring-2019',
    'Teenagers',
    'CB4 1AA',
    '20/04/2019',
    '01/05/2019',
    '2',
    '15/09/2019',
    'mainstream',
    '2',
    '',
    '',
    'Ann Archer',
    'ann.archer@example.org',
    '01223 111111',
  ],
  [
    'E2',
    '10/04/2019',
    'Info event',
    'spring-2019',
    '',
    'PE1',
    '25/04/2019',
    '10/05/2019',
    '1',
    '20/09/2019',
    'Link',
    '1',
    '',
    '',
    'Bob Baker',
    '',
    '',
  ],
  [
    'E3',
    '01/05/2019',
    'website',
    '',
    'Teenagers; short breaks',
    '',
    '15/05/2019',
    '01/07/2019',
    '2',
    '',
    '',
    '',
    '',
    '',
    'Cath Cooper',
    'cath@example.org',
    '',
  ],
  ['E4', '02/06/2019', 'phone', '', '', '', '12/06/2019', '', '', '', '', '', '30/06/2019', 'Not suitable', '', '', ''],
  [
    'E5',
    '05/07/2019',
    'Facebook',
    'summer-2019',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '20/07/2019',
    'not_proceeding',
    'Dan Dyer',
    '',
    '07700 900000',
  ],
  ['E6', '09/09/2019', 'radio', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  ['E7', '15/10/2018', 'print', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  // Bad: 31 February; an unknown channel; a bed count in words (and an approval without its type).
  ['B1', '31/02/2019', 'website', '', '', '', '', '', '', '', '', '', '', '', 'Eve Evans', '', ''],
  ['B2', '04/04/2019', 'Carrier pigeon', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
  ['B3', '05/04/2019', 'phone', '', '', '', '06/04/2019', '07/04/2019', 'two', '08/08/2019', '', '', '', '', '', '', ''],
];
const badRows = [
  'row 9: Date of enquiry: "31/02/2019" is not a date written DD/MM/YYYY',
  'row 10: Source: Invalid option: expected one of "website"|"phone"|"facebook"|"social_other"|"information_event"|"radio"|"print"|"referral"|"other"',
  'row 11: Places offered: not a whole number of beds; Type of carer: an approval needs the type of carer; Approved places: an approval needs its approved beds',
];

let dir: string;
let csvFile: string;
let xlsxFile: string;
let mappingFile: string;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  dir = mkdtempSync(join(tmpdir(), 'fostering-import-'));
  csvFile = join(dir, 'tracker.csv');
  writeFileSync(csvFile, stringify([headers, ...rows]));
  mappingFile = join(dir, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(mapping));
  // The same rows as a workbook, its dates as real date cells (as Excel keeps them).
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Tracker');
  sheet.addRow(headers);
  const asDate = (text: string) => {
    const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
    return match && !(match[1] === '31' && match[2] === '02')
      ? new Date(Date.UTC(Number(match[3]), Number(match[2]) - 1, Number(match[1])))
      : text;
  };
  for (const row of rows)
    sheet.addRow(
      row.map((value, i) =>
        /visit|enquiry|Application|Approved$|Closed/.test(headers[i]!)
          ? asDate(value)
          : /^\d+$/.test(value) && /places|Places/.test(headers[i]!)
            ? Number(value)
            : value,
      ),
    );
  xlsxFile = join(dir, 'tracker.xlsx');
  await workbook.xlsx.writeFile(xlsxFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the dry run names each bad row and every bad column, sends nothing, and exits 1', () => {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'tools/import/cli.ts', '--agency', 'cambs', csvFile, '--mapping', mappingFile, '--dry-run'],
    {
      cwd: join(__dirname, '../..'),
      encoding: 'utf8',
      env: { ...process.env, EVENTS_PORT: '1', DYNAMODB_PORT: '1' },
    },
  );
  expect(run.stderr.split('\n').filter((line) => line.startsWith('row '))).toEqual(badRows);
  expect(run.stdout).toContain('Dry run: 7 of 10 rows good (18 events); 3 bad. Nothing was sent.');
  expect(run.status).toBe(1);
});

describe('an import into the local stack', () => {
  let stack: InProcessStack;
  let target: LocalImportTarget;
  let documents: DynamoDBDocumentClient;
  beforeAll(async () => {
    stack = await startInProcessStack();
    target = await localImportTarget(stack);
    documents = target.contacts.client;
  });
  afterAll(async () => {
    target?.destroy();
    await stack?.stop();
  });

  const importFile = async (agencyId: string, file: string, dryRun = false) => {
    const lines: string[] = [];
    const report = await runImport({
      agencyId,
      file,
      mapping,
      dryRun,
      target,
      today: '2019-12-31',
      progress: false,
      log: (line) => lines.push(line),
    });
    await stack.idle(); // the outbox too: the conversion counts are kept from the stream
    return { report, lines };
  };
  const figures = async (agencyId: string) => {
    const manager = await signLocalToken({ secret: stack.jwtSecret, groups: ['manager'], agencyId });
    const read = async (name: Parameters<typeof apiRoute>[0], query: Record<string, string>) =>
      (await stack.call(apiRoute(name), { query }, manager)).body;
    return {
      conversion: await read('CampaignConversion', { from: '2019-04-01', to: '2019-09-30' }),
      byCampaign: await read('CampaignConversion', { from: '2018-01-01', to: '2019-12-31', groupBy: 'campaign' }),
      capacity: await read('Capacity', { at: '2019-09-30' }),
      annualReturn: await read('AnnualReturn', { financialYear: '2019' }),
    };
  };

  test('a dry run against the stack sends nothing and stores no contact', async () => {
    const before = stack.settled.length;
    const { report, lines } = await importFile('cambs', csvFile, true);
    expect({ lines, imported: report.imported, events: report.events }).toEqual({ lines: badRows, imported: 7, events: 18 });
    expect(stack.settled.length).toBe(before);
    expect(await stack.itemCount(contactsTable)).toBe(0);
    expect(await stack.itemCount(projectionsTable)).toBe(0);
  });

  test('gives the figures worked out by hand; the bad rows are not sent; contacts go to the contacts store only', async () => {
    const { report } = await importFile('cambs', csvFile);
    expect({
      imported: report.imported,
      events: report.events,
      bad: report.bad.map((b) => b.rowNumber),
      contacts: report.contactsWritten,
      pastRetention: report.contactsPastRetention,
    }).toEqual({ imported: 7, events: 18, bad: [9, 10, 11], contacts: 3, pastRetention: 1 });
    expect(stack.deadLetters).toEqual([]);
    const { conversion, capacity, annualReturn } = await figures('cambs');
    expect(conversion.cohort).toEqual({
      enquiries: 6,
      initialVisits: 4,
      assessments: 3,
      approvals: 2,
      approvedBeds: 3,
      open: 2,
      closed: { not_suitable: 1, not_proceeding: 1 },
    });
    // E1 17 days to visit, E2 15, E3 14, E4 10: median 14.5; visit to application 11, 15, 47: 15;
    // application to approval E1 137, E2 133: 135.
    expect(conversion.timeliness).toEqual({ enquiryToVisitDays: 14.5, visitToAssessmentDays: 15, assessmentToApprovalDays: 135 });
    expect(capacity).toMatchObject({
      households: 2,
      approvedBeds: 3,
      byCategory: { mainstream: { households: 1, approvedBeds: 2 }, short_breaks: { households: 1, approvedBeds: 1 } },
    });
    expect(annualReturn).toMatchObject({ enquiries: 6, initialVisits: 4, applications: 3, approvals: 2 });

    // Every event is the row's, dated 12:00 UTC; no contact detail travelled on the bus.
    const published = stack.settled.map((s) => s.event.detail as { occurredAt: string });
    expect(published.every((d) => d.occurredAt.endsWith('T12:00:00Z'))).toBe(true);
    const onTheBus = JSON.stringify(stack.settled.map((s) => s.event));
    for (const personal of ['Ann Archer', 'ann.archer@example.org', '01223 111111', 'Dan Dyer', '07700 900000', 'Cath'])
      expect(onTheBus).not.toContain(personal);
    // Three households' details, with their search entries; every row's key is searchable too.
    const named = await documents.send(
      new ScanCommand({
        TableName: tableName(contactsTable),
        FilterExpression: 'attribute_exists(#name)',
        ExpressionAttributeNames: { '#name': 'name' },
      }),
    );
    expect(named.Items?.map((item) => item.householdId).sort()).toEqual(
      ['E1', 'E2', 'E3'].map((key) => importedHouseholdId('cambs', key)).sort(),
    );
    const recruitment = await signLocalToken({ secret: stack.jwtSecret, groups: ['recruitment'], agencyId: 'cambs' });
    const e1 = await stack.call(apiRoute('GetHousehold'), { path: { householdId: importedHouseholdId('cambs', 'E1') } }, recruitment);
    expect(e1.body.contact).toEqual({ name: 'Ann Archer', email: 'ann.archer@example.org', phone: '01223 111111' });
  });

  test('a second import of the same file changes nothing', async () => {
    const before = {
      figures: await figures('cambs'),
      items: await stack.itemCount(projectionsTable),
      contacts: await stack.itemCount(contactsTable),
    };
    const { report } = await importFile('cambs', csvFile);
    expect(report.contactsWritten).toBe(0);
    expect({
      figures: await figures('cambs'),
      items: await stack.itemCount(projectionsTable),
      contacts: await stack.itemCount(contactsTable),
    }).toEqual(before);
  });

  test('the same rows as XLSX give the same figures as the CSV', async () => {
    const { report, lines } = await importFile('peterborough', xlsxFile);
    expect({ lines, imported: report.imported, events: report.events }).toEqual({ lines: badRows, imported: 7, events: 18 });
    expect(await figures('peterborough')).toEqual(await figures('cambs'));
  });
});

describe("a council's own spreadsheet: three years, campaigns by name, an outcome column", () => {
  // 420 rows, deterministic: one enquiry every 2–3 days from April 2016, so some are years old and
  // were never answered (the stale rows a real tracker holds).
  const councilMapping: Mapping = MappingSchema.parse({
    key: 'Enquiry no.',
    dateFormat: 'DD/MM/YYYY',
    columns: {
      enquiredOn: 'Enquired',
      channel: 'How they heard',
      campaignId: 'Campaign',
      initialVisitOn: 'IV date',
      assessmentOn: 'Application',
      category: 'Type of carer',
      approvedBeds: 'Places',
      closedOn: 'Outcome date',
      closureReason: 'Outcome',
      name: 'Name',
      email: 'Email',
      phone: 'Phone',
    },
    values: {
      channel: { Facebook: 'facebook', 'Info evening': 'information_event', Radio: 'radio', Website: 'website' },
      campaignId: { 'Summer radio 2016': 'summer-radio-2016', 'Christmas Wishes 2017': 'christmas-wishes-2017' },
      closureReason: { Approved: 'approved', 'Not suitable': 'not_suitable', Withdrew: 'not_proceeding', 'No response': 'no_response' },
      category: { Mainstream: 'mainstream' },
    },
  });
  const councilHeaders = [councilMapping.key, ...Object.values(councilMapping.columns).filter((h): h is string => Boolean(h))];
  const dayMs = 86_400_000;
  const ddmmyyyy = (ms: number) => new Date(ms).toISOString().slice(0, 10).split('-').reverse().join('/');
  const rowsOfCouncil = Array.from({ length: 420 }, (_, i) => {
    const enquired = Date.UTC(2016, 3, 1) + Math.floor(i * 2.6) * dayMs;
    const kind = i % 7; // 0 approved, 1 withdrew after a visit, 2 not suitable, 3 no response, 4 in assessment, 5–6 never answered
    const visited = kind <= 1 || kind === 4 ? enquired + 12 * dayMs : undefined;
    const applied = kind === 0 || kind === 4 ? enquired + 30 * dayMs : undefined;
    const outcome =
      kind === 0
        ? ['Approved', enquired + 220 * dayMs]
        : kind === 1
          ? ['Withdrew', enquired + 40 * dayMs]
          : kind === 2
            ? ['Not suitable', enquired + 5 * dayMs]
            : kind === 3
              ? ['No response', enquired + 60 * dayMs]
              : undefined;
    // An outcome after the day of the import has not happened yet: the row is still open.
    if (outcome && (outcome[1] as number) > Date.UTC(2019, 5, 28)) outcome.splice(0);
    const cells: Record<string, string> = {
      'Enquiry no.': `ENQ/${1000 + i}`,
      Enquired: ddmmyyyy(enquired),
      'How they heard': ['Facebook', 'Info evening', 'Radio', 'Website'][i % 4]!,
      Campaign: i % 5 === 0 ? 'Summer radio 2016' : i % 5 === 1 ? 'Christmas Wishes 2017' : '',
      'IV date': visited ? ddmmyyyy(visited) : '',
      Application: applied ? ddmmyyyy(applied) : '',
      'Type of carer': kind === 0 && outcome?.length ? 'Mainstream' : '',
      Places: kind === 0 && outcome?.length ? '2' : '',
      'Outcome date': outcome?.length ? ddmmyyyy(outcome[1] as number) : '',
      Outcome: outcome?.length ? (outcome[0] as string) : '',
      Name: `Carer${i} Household${i % 50}`,
      Email: `enquirer${i}@example.org`,
      Phone: `07700 9${String(i).padStart(5, '0')}`,
    };
    return councilHeaders.map((h) => cells[h] ?? '');
  });
  let stack: InProcessStack;
  let recruitment: string;
  const agencyId = 'norfolk';
  const on = '2019-06-28';
  beforeAll(async () => {
    stack = await startInProcessStack();
    const target = await localImportTarget(stack);
    const file = join(dir, 'council.csv');
    writeFileSync(file, stringify([councilHeaders, ...rowsOfCouncil]));
    const report = await runImport({
      agencyId,
      file,
      mapping: councilMapping,
      dryRun: false,
      target,
      today: on,
      retentionPeriods: { enquiryRetentionDays: 100_000, applicantRetentionDays: 100_000, carerRetentionDays: 100_000 },
      progress: false,
      log: () => undefined,
    });
    expect({ bad: report.bad, imported: report.imported }).toEqual({ bad: [], imported: 420 });
    await stack.idle();
    target.destroy();
    recruitment = await signLocalToken({ secret: stack.jwtSecret, groups: ['recruitment'], agencyId });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });
  const get = async (name: Parameters<typeof apiRoute>[0], query: Record<string, string>, path?: Record<string, string>) =>
    (await stack.call(apiRoute(name), { query, ...(path ? { path } : {}) }, recruitment)).body;

  test('every imported household has its own reference, and the outcome "Approved" is an approval', async () => {
    const references = await Promise.all(
      rowsOfCouncil.map(async (row) => (await get('GetHousehold', {}, { householdId: importedHouseholdId(agencyId, row[0]!) })).reference),
    );
    expect(references.every((r) => /^NORFOL-201[6-9]-\d{4}$/.test(r))).toBe(true);
    expect(new Set(references).size).toBe(420);
    // 60 rows of kind 0 (every 7th), approved 220 days after their enquiry, by 28 June 2019.
    const approvals = (await get('CampaignConversion', { from: '2016-01-01', to: '2019-06-28' })).cohort.approvals;
    expect(approvals).toBe(
      rowsOfCouncil.filter((_, i) => i % 7 === 0 && Date.UTC(2016, 3, 1) + (Math.floor(i * 2.6) + 220) * dayMs <= Date.UTC(2019, 5, 28))
        .length,
    );
    // Campaigns by the spreadsheet's names: every fifth row the summer campaign's.
    const byCampaign = await get('CampaignConversion', { from: '2016-01-01', to: '2019-06-28', groupBy: 'campaign' });
    const summer = byCampaign.groups.find((g: { key: string }) => g.key === 'summer-radio-2016');
    expect(summer.cohort.enquiries).toBe(84);
  });

  test('search finds an imported household by its reference, a word of its name, its email, its phone and its key', async () => {
    const row = rowsOfCouncil[123]!;
    const householdId = importedHouseholdId(agencyId, row[0]!);
    const { reference } = await get('GetHousehold', {}, { householdId });
    for (const q of [reference, 'carer123', 'enquirer123@example.org', '07700 900123', 'ENQ/1123', 'enq/1123']) {
      const found = await get('FindHouseholds', { q });
      expect({ q, ids: found.households.map((h: { householdId: string }) => h.householdId) }).toEqual({ q, ids: [householdId] });
    }
  });

  test("the work list reaches every open household, page by page, and its counts are the caseload's", async () => {
    const counts = await get('CaseloadCounts', { on });
    const listed: Array<{ householdId: string; overdue: boolean }> = [];
    let cursor: string | undefined;
    do {
      const page = await get('Caseload', { on, ...(cursor ? { cursor } : {}) });
      expect(page.households.length).toBeLessThanOrEqual(100);
      listed.push(...page.households);
      cursor = page.next;
    } while (cursor);
    expect(listed.length).toBeGreaterThan(100);
    expect(new Set(listed.map((h) => h.householdId)).size).toBe(listed.length);
    expect(listed.length).toBe(counts.open);
    expect(listed.filter((h) => h.overdue).length).toBe(counts.overdue);
  });
});
