// The access audit (docs/security.md): every answer that shows a household's contact details or a
// manager's note, every erasure and every import of contact details appends `{at, sub, agencyId,
// action, householdIds}`, never the search term or the details; `GET /audit` pages through an
// agency's entries; no route changes or deletes one. And the subject access document.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { apiRoutes as routeTable, roles, type ApiRoute, type ApiRouteName, type Role } from '../../shared/wiring/http-routes';
import { signLocalToken } from '../../local/tokens';
import { appendAudit, IMPORT_TOOL_SUB, type AuditEntry } from '../../shared/store/audit';
import { auditTable, tableName } from '../../shared/store/tables';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { runImport } from '../../tools/import/cli';
import { defaultMapping } from '../../tools/import/rows';
import { anEvent } from '../support/funnel-events';
import { routeFixtures } from '../support/route-fixtures';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { localImportTarget } from '../support/import-target';

const apiRoutes: ReadonlyArray<ApiRoute & { name: ApiRouteName }> = routeTable;
const route = (name: ApiRouteName) => apiRoutes.find((r) => r.name === name)!;
const agencyId = 'cambs';
const today = new Date().toISOString().slice(0, 10);
const person = { name: 'Wilhelmina Quarrendon', email: 'wilhelmina.q@example.org', phone: '07700 900123' };
const NOTE = 'Carer mentioned a hospital stay';
/** Anything of the details, the note or a search term, as it could be written. */
const secrets = ['Wilhelmina', 'Quarrendon', 'quarrendon', 'wilhelmina.q', 'example.org', '900123', NOTE, 'hospital', 'Imported Person'];

let stack: InProcessStack;
const token = (role: Role, subject = `sub-${role}`) => signLocalToken({ secret: stack.jwtSecret, groups: [role], agencyId, subject });
let householdId: string;
let carerId: string;

async function auditItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbDocumentClient().send(
      new ScanCommand({ TableName: tableName(auditTable), ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
/** The agency's entries of today with this action, as a manager reads them through `GET /audit`. */
async function entriesFor(action: string): Promise<AuditEntry[]> {
  const answer = await stack.call(route('Audit'), { query: { from: today, to: today } }, await token('manager'));
  expect(answer.status).toBe(200);
  return (answer.body.entries as AuditEntry[]).filter((entry) => entry.action === action);
}

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack();
  const logged = await stack.call(route('ReceiveEnquiry'), { body: { channel: 'website', contact: person } }, await token('recruitment'));
  expect(logged.status).toBe(202);
  householdId = logged.body.householdId;
  carerId = 'carer-with-note';
  await stack.record(
    anEvent('EnquiryReceived', '2019-06-03T10:00:00Z', { agencyId, householdId: carerId, channel: 'website' }),
    anEvent('HouseholdApproved', '2019-08-01T10:00:00Z', { agencyId, householdId: carerId, category: 'mainstream', approvedBeds: 1 }),
  );
  const flagged = await stack.call(
    route('FlagResignationRisk'),
    { path: { householdId: carerId }, body: { reason: 'health', note: NOTE } },
    await token('manager'),
  );
  expect(flagged.status).toBe(202);
  await stack.idle();
}, 60_000);
afterAll(() => stack?.stop());

describe('each audited action writes its entry, with no term or detail in it', () => {
  test('viewed: recruitment reads the record with its contact details', async () => {
    expect((await stack.call(route('GetHousehold'), { path: { householdId } }, await token('recruitment'))).body.contact).toEqual(person);
    expect(await entriesFor('viewed')).toEqual([
      { at: expect.any(String), sub: 'sub-recruitment', agencyId, action: 'viewed', householdIds: [householdId] },
    ]);
  });

  test('not for an answer that shows neither: marketing reads the same record', async () => {
    await stack.call(route('GetHousehold'), { path: { householdId } }, await token('marketing'));
    expect((await entriesFor('viewed')).filter((entry) => entry.sub === 'sub-marketing')).toEqual([]);
  });

  test("viewed: a manager reads a record that shows a manager's note", async () => {
    const answer = await stack.call(route('GetHousehold'), { path: { householdId: carerId } }, await token('manager'));
    expect(answer.body.riskFlags[0].note).toBe(NOTE);
    expect((await entriesFor('viewed')).filter((entry) => entry.sub === 'sub-manager')).toEqual([
      expect.objectContaining({ householdIds: [carerId] }),
    ]);
  });

  test('listed: the work list with names, naming the households of the page', async () => {
    const answer = await stack.call(route('Caseload'), { query: { on: today } }, await token('recruitment'));
    expect(answer.body.households.map((h: { name: string }) => h.name)).toContain(person.name);
    expect(await entriesFor('listed')).toEqual([expect.objectContaining({ sub: 'sub-recruitment', householdIds: [householdId] })]);
    // The managers' list has no names: nothing to audit.
    await stack.call(route('Caseload'), { query: { on: today } }, await token('manager'));
    expect(await entriesFor('listed')).toHaveLength(1);
  });

  test('searched: the households a search showed, not what was searched for', async () => {
    const answer = await stack.call(route('FindHouseholds'), { query: { q: 'quarrendon' } }, await token('recruitment'));
    expect(answer.body.households.map((h: { householdId: string }) => h.householdId)).toEqual([householdId]);
    expect(await entriesFor('searched')).toEqual([expect.objectContaining({ sub: 'sub-recruitment', householdIds: [householdId] })]);
  });

  test('subject_access: the document holds the contact details, the notes, the state and every event with who recorded it', async () => {
    const answer = await stack.call(route('SubjectAccess'), { path: { householdId: carerId } }, await token('manager'));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ householdId: carerId, agencyId, contact: null, state: { status: expect.any(String) } });
    expect(answer.body.managersNotes).toEqual([expect.objectContaining({ note: NOTE })]);
    expect(answer.body.events.map((e: { type: string; recordedBy: string | null }) => [e.type, e.recordedBy])).toEqual([
      ['EnquiryReceived', null],
      ['HouseholdApproved', null],
      ['ResignationRiskFlagged', 'sub-manager'],
    ]);
    const enquirer = await stack.call(route('SubjectAccess'), { path: { householdId } }, await token('manager'));
    expect(enquirer.body.contact).toEqual(person);
    expect(enquirer.body.events).toEqual([expect.objectContaining({ type: 'EnquiryReceived', recordedBy: 'sub-recruitment' })]);
    expect((await entriesFor('subject_access')).map((entry) => entry.householdIds)).toEqual([[carerId], [householdId]]);
  });

  test('imported: the households whose contact details an import wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-import-'));
    const file = join(dir, 'households.csv');
    writeFileSync(file, 'Key,Enquired,Channel,Name,Email\nrow-1,2024-01-10,website,Imported Person,imported@example.org\n');
    const target = await localImportTarget(stack);
    try {
      const report = await runImport({
        agencyId,
        file,
        mapping: {
          ...defaultMapping,
          key: 'Key',
          dateFormat: 'YYYY-MM-DD',
          columns: { enquiredOn: 'Enquired', channel: 'Channel', name: 'Name', email: 'Email' },
        },
        dryRun: false,
        target,
        progress: false,
        log: () => undefined,
      });
      expect(report.contactsWritten).toBe(1);
    } finally {
      target.destroy();
    }
    expect(await entriesFor('imported')).toEqual([expect.objectContaining({ sub: IMPORT_TOOL_SUB, householdIds: [expect.any(String)] })]);
  });

  test('erased: the erasure on request', async () => {
    expect((await stack.call(route('EraseContact'), { path: { householdId } }, await token('recruitment'))).body.erased).toBe(true);
    expect(await entriesFor('erased')).toEqual([expect.objectContaining({ sub: 'sub-recruitment', householdIds: [householdId] })]);
  });

  test('no entry holds a name, an email, a phone, a note or a search term: only its five fields', async () => {
    const items = await auditItems();
    expect(items.length).toBeGreaterThan(6);
    const text = JSON.stringify(items);
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
    const entries = (await stack.call(route('Audit'), { query: { from: today, to: today } }, await token('manager'))).body.entries;
    for (const entry of entries) expect(Object.keys(entry).sort()).toEqual(['action', 'agencyId', 'at', 'householdIds', 'sub']);
  });
});

describe('GET /audit', () => {
  test("pages through the agency's entries, by household and by sub", async () => {
    const at = (n: number) => `2021-03-0${1 + Math.floor(n / 60)}T10:${String(n % 60).padStart(2, '0')}:00.000Z`;
    for (let n = 0; n < 105; n += 1)
      await appendAudit({ at: at(n), sub: n % 2 ? 'sub-odd' : 'sub-even', agencyId, action: 'viewed', householdIds: [`h-${n % 3}`] });
    await appendAudit({ at: at(1), sub: 'sub-odd', agencyId: 'norfolk', action: 'viewed', householdIds: ['h-1'] });

    const manager = await token('manager');
    const first = await stack.call(route('Audit'), { query: { from: '2021-03-01', to: '2021-03-02' } }, manager);
    expect(first.body.entries).toHaveLength(100);
    expect(first.body.entries[0]).toEqual({ at: at(0), sub: 'sub-even', agencyId, action: 'viewed', householdIds: ['h-0'] });
    const second = await stack.call(route('Audit'), { query: { from: '2021-03-01', to: '2021-03-02', cursor: first.body.next } }, manager);
    expect(second.body.entries.map((e: AuditEntry) => e.at)).toEqual([100, 101, 102, 103, 104].map(at));
    expect(second.body.next).toBeUndefined();

    const ofOne = await stack.call(
      route('Audit'),
      { query: { from: '2021-03-01', to: '2021-03-02', householdId: 'h-1', sub: 'sub-odd' } },
      manager,
    );
    expect(ofOne.body.entries.map((e: AuditEntry) => e.at)).toEqual(
      Array.from({ length: 105 }, (_, n) => n)
        .filter((n) => n % 2 === 1 && n % 3 === 1)
        .map(at),
    );
  });

  test('refuses a window that is not one, naming the fields', async () => {
    const answer = await stack.call(
      route('Audit'),
      { query: { from: '2021-03-05', to: '2021-03-01', cursor: 'x' } },
      await token('manager'),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['cursor', 'to']);
  });
});

test('no route changes or deletes an entry: every route of the table, called with every group', async () => {
  const before = await auditItems();
  const everyone = await signLocalToken({
    secret: stack.jwtSecret,
    groups: roles,
    agencyId,
    regionId: 'east-of-england',
    subject: 'sub-all',
  });
  for (const each of apiRoutes) {
    const request = await routeFixtures[each.name].prepare({ agencyId, record: stack.record });
    const answer = await stack.call(each, request, everyone);
    expect([each.name, answer.status < 500]).toEqual([each.name, true]);
  }
  await stack.idle();
  const after = new Map((await auditItems()).map((item) => [`${item.pk}|${item.sk}`, item]));
  expect(before.filter((item) => JSON.stringify(after.get(`${item.pk}|${item.sk}`)) !== JSON.stringify(item))).toEqual([]);
}, 120_000);
