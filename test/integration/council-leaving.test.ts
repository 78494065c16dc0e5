// A council leaving the service: everything it has is exported (its records as stored, contact
// details included, for its data protection officer), then deleted; no other agency's item moves.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDbDocumentClient } from '../../shared/aws-clients';
import { appendHouseholdEvent } from '../../shared/store/households';
import { recordCampaign } from '../../shared/store/campaigns';
import { saveContact } from '../../shared/store/contacts';
import { contactsTable, projectionsTable, tableName } from '../../shared/store/tables';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import { deleteAgencyData, exportAgencyData } from '../../tools/council-leaving/agency-data';
import { enquiry, initialVisit } from '../support/funnel-events';
import { useFreshTables } from '../support/tables';

const inAgency = (agencyId: string, event: HouseholdEvent) => ({ ...event, detail: { ...event.detail, agencyId } }) as HouseholdEvent;
// An agency whose id starts with the leaver's: the key prefixes must not catch it.
const agencies = ['leaving', 'staying', 'leaving-too'] as const;

async function allItems(): Promise<Array<Record<string, unknown>>> {
  const scan = async (TableName: string) => (await dynamoDbDocumentClient().send(new ScanCommand({ TableName }))).Items ?? [];
  return [...(await scan(tableName(projectionsTable))), ...(await scan(tableName(contactsTable)))];
}
const belongsTo = (agencyId: string) => (item: Record<string, unknown>) =>
  item.agencyId === agencyId || String(item.pk).startsWith(`HOUSEHOLD#${agencyId}#`) || String(item.pk).startsWith(`AGENCY#${agencyId}#`);

beforeAll(async () => {
  await useFreshTables();
  for (const agencyId of agencies) {
    await appendHouseholdEvent(inAgency(agencyId, enquiry('h1', '2026-10-01', { reference: `${agencyId.toUpperCase()}-1` })), {
      publish: true,
    });
    await appendHouseholdEvent(inAgency(agencyId, initialVisit('h1', '2026-10-10')), { publish: true });
    await appendHouseholdEvent(inAgency(agencyId, enquiry('h2', '2026-10-03')));
    await recordCampaign({
      eventId: `launch-${agencyId}`,
      agencyId,
      occurredAt: '2026-09-01T09:00:00.000Z',
      campaignId: 'autumn',
      name: 'Autumn',
      channels: ['website'],
      startsOn: '2026-09-01',
      agencyIds: [agencyId],
    });
    await saveContact(agencyId, 'h1', { name: 'Sam Carer', email: `sam@${agencyId}.example` });
  }
});

it("exports every item of the leaving agency's, and only those, then deletes exactly them", async () => {
  const before = await allItems();
  const theirs = before.filter(belongsTo('leaving'));
  expect(theirs.length).toBeGreaterThan(6);

  const dir = mkdtempSync(join(tmpdir(), 'council-leaving-'));
  const exported = await exportAgencyData('leaving', dir);
  const lines = ['projections.ndjson', 'contacts.ndjson'].flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  );
  expect(lines.length).toBe(theirs.length);
  expect(lines.every(belongsTo('leaving'))).toBe(true);
  // The contact record and its search entries.
  expect(exported['contacts.ndjson']).toBeGreaterThan(1);
  expect(exported['projections.ndjson']! + exported['contacts.ndjson']!).toBe(theirs.length);
  expect(readFileSync(join(dir, 'contacts.ndjson'), 'utf8')).toContain('sam@leaving.example');

  const deleted = await deleteAgencyData('leaving');
  expect(deleted).toEqual(exported);
  const after = await allItems();
  expect(after.filter(belongsTo('leaving'))).toEqual([]);
  expect(after).toHaveLength(before.length - theirs.length);
  expect(after.filter(belongsTo('leaving-too')).length).toBe(before.filter(belongsTo('leaving-too')).length);
});
