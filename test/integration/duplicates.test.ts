// Duplicates (docs/rules.md): an enquiry whose email or phone matches a household of the same agency
// that is open, or was closed in the 12 months before it, is recorded and marked a possible duplicate
// of it, whichever path it came by. Recruitment closes it as `duplicate` (it is then no enquiry in any
// figure, and its campaign moves to the earlier household if that had none) or clears the mark.
// Real handlers behind the local HTTP server, DynamoDB Local, the local bus and outbox.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiRoute, type ApiRouteName } from '../../shared/wiring/http-routes';
import { defaultMapping } from '../../tools/import/rows';
import { runImport } from '../../tools/import/cli';
import { anEvent } from '../support/funnel-events';
import { documentTableRows } from '../support/docx';
import { nextLoopbackAddress, openForm } from '../support/route-fixtures';
import { stackWithStaff, type StaffCall } from '../support/staff-calls';
import { localImportTarget } from '../support/import-target';

const agencyId = 'cambs';
const staff = stackWithStaff(agencyId, ['recruitment', 'manager', 'marketing'], (stack) => openForm({ agencyId, record: stack.record }));
const call: StaffCall = (...request) => staff.call(...request);
const at = (day: string) => `${day}T10:00:00Z`;

/** Logs an enquiry as staff do, on the day given (today when none). */
async function enquire(contact: { name: string; email?: string; phone?: string }, fields: Record<string, unknown> = {}) {
  const answer = await call('ReceiveEnquiry', 'recruitment', { body: { channel: 'phone', contact, ...fields } });
  expect(answer.status).toBe(202);
  return answer.body as { householdId: string; reference: string };
}
const record = async (householdId: string) => (await call('GetHousehold', 'recruitment', { path: { householdId } })).body;
const markOf = async (householdId: string) =>
  ((await record(householdId)).possibleDuplicateOf as Array<{ householdId: string }>).map((h) => h.householdId);
const close = (householdId: string, reason: string, on: string) =>
  call('CloseEnquiry', 'recruitment', { path: { householdId }, body: { reason, occurredAt: at(on) } });

describe('an enquiry is marked a possible duplicate whichever path it came by', () => {
  it('POST /enquiries: the same email in another case marks it, in the record and the work list', async () => {
    const earlier = await enquire({ name: 'Alex Firth', email: 'alex.firth@example.org' });
    const again = await enquire({ name: 'Alex and Jo Firth', email: 'Alex.Firth@Example.org' });
    const other = await enquire({ name: 'Alex Firth', email: 'someone.else@example.org' });

    const shown = await record(again.householdId);
    expect(shown.possibleDuplicateOf).toEqual([{ householdId: earlier.householdId, reference: earlier.reference }]);
    expect(await markOf(earlier.householdId)).toEqual([]);
    expect(await markOf(other.householdId)).toEqual([]); // a name alone is no match

    await staff.stack.idle();
    const today = new Date().toISOString().slice(0, 10);
    const list = (await call('Caseload', 'recruitment', { query: { on: today } })).body.households as Array<{
      householdId: string;
      possibleDuplicateOf: string[];
    }>;
    expect(list.find((h) => h.householdId === again.householdId)?.possibleDuplicateOf).toEqual([earlier.householdId]);
    expect(list.find((h) => h.householdId === earlier.householdId)?.possibleDuplicateOf).toEqual([]);
  });

  it('the public form: a phone given as +44 matches the same number given as 07…', async () => {
    const earlier = await enquire({ name: 'Kim Hale', phone: '07700 900461' });
    const posted = await staff.stack.call(apiRoute('ReceivePublicEnquiry'), {
      path: { agencyId },
      body: { contact: { name: 'Kim Hale', phone: '+44 7700 900461' }, consent: true },
      localAddress: nextLoopbackAddress(),
    });
    expect(posted.status).toBe(202);
    const found = (await call('FindHouseholds', 'recruitment', { query: { q: posted.body.reference } })).body.households;
    expect(await markOf(found[0].householdId)).toEqual([earlier.householdId]);
  });

  it("another system's EnquiryReceived on the bus brings no email or phone (none is ever on the bus): recorded, unmarked", async () => {
    await enquire({ name: 'Pat Moss', email: 'pat.moss@example.org' });
    await staff.stack.record(
      anEvent('EnquiryReceived', new Date().toISOString(), { agencyId, householdId: 'from-case-system-1', channel: 'phone' }),
    );
    expect(await markOf('from-case-system-1')).toEqual([]);
  });

  it('the import: a row whose email matches a household already stored is marked', async () => {
    const earlier = await enquire({ name: 'Lee Brand', email: 'lee.brand@example.org' }, { occurredAt: at('2019-05-02') });
    const dir = mkdtempSync(join(tmpdir(), 'duplicates-import-'));
    const target = await localImportTarget(staff.stack);
    try {
      const file = join(dir, 'tracker.csv');
      const row: Record<string, string> = { enquiredOn: '2019-06-10', channel: 'phone', name: 'Lee Brand', email: 'lee.brand@example.org' };
      const columns = Object.values(defaultMapping.columns);
      const line = (cells: readonly string[]) => cells.join(',');
      writeFileSync(file, `${line(['key', ...columns])}\n${line(['ROW-1', ...columns.map((c) => row[c] ?? '')])}\n`);
      const report = await runImport({
        agencyId,
        file,
        mapping: defaultMapping,
        dryRun: false,
        target,
        today: '2019-12-31',
        progress: false,
        log: () => undefined,
      });
      expect(report.imported).toBe(1);
      await staff.stack.idle();
      const found = (await call('FindHouseholds', 'recruitment', { query: { q: 'ROW-1' } })).body.households;
      expect(await markOf(found[0].householdId)).toEqual([earlier.householdId]);
    } finally {
      target.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the 12 months', () => {
  it('a household closed 13 months before the enquiry is not matched; one closed 11 months before, or open, is', async () => {
    const long = await enquire({ name: 'Ray Old', email: 'ray@example.org' }, { occurredAt: at('2018-01-10') });
    expect((await close(long.householdId, 'not_proceeding', '2018-05-02')).status).toBe(202);
    const recent = await enquire({ name: 'Ray Old', phone: '01223 555 010' }, { occurredAt: at('2018-02-10') });
    expect((await close(recent.householdId, 'no_response', '2018-07-10')).status).toBe(202);
    const open = await enquire({ name: 'Ray Old', phone: '01223 555 010' }, { occurredAt: at('2016-03-01') });

    const again = await enquire({ name: 'Ray Old', email: 'ray@example.org', phone: '01223555010' }, { occurredAt: at('2019-06-03') });
    // Earliest enquiry first: the one its campaign would move to.
    expect(await markOf(again.householdId)).toEqual([open.householdId, recent.householdId]);
  });

  it('a household that enquired after it is not an earlier one', async () => {
    const later = await enquire({ name: 'Sid Late', email: 'sid@example.org' }, { occurredAt: at('2019-08-01') });
    const backdated = await enquire({ name: 'Sid Late', email: 'sid@example.org' }, { occurredAt: at('2019-07-01') });
    expect(await markOf(backdated.householdId)).toEqual([]);
    expect(await markOf(later.householdId)).toEqual([]);
  });
});

describe('clearing the mark', () => {
  it('POST /households/{id}/not-duplicate clears it; the household is then no possible duplicate and cannot be closed as one', async () => {
    const earlier = await enquire({ name: 'Mo Grant', email: 'mo@example.org' });
    const again = await enquire({ name: 'Mo Grant', email: 'mo@example.org' });
    expect(await markOf(again.householdId)).toEqual([earlier.householdId]);

    const cleared = await call('ClearPossibleDuplicate', 'recruitment', { path: { householdId: again.householdId } });
    expect(cleared.status).toBe(202);
    const shown = await record(again.householdId);
    expect(shown.possibleDuplicateOf).toEqual([]);
    expect(shown.timeline.map((e: { type: string }) => e.type)).toEqual(['EnquiryReceived', 'PossibleDuplicateCleared']);

    const twice = await call('ClearPossibleDuplicate', 'recruitment', { path: { householdId: again.householdId } });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'not_a_possible_duplicate' } } });
    const closed = await close(again.householdId, 'duplicate', new Date().toISOString().slice(0, 10));
    expect(closed).toMatchObject({ status: 409, body: { error: { code: 'not_a_possible_duplicate' } } });
    // Only recruitment decides it.
    const byManager = await call('ClearPossibleDuplicate', 'manager', { path: { householdId: earlier.householdId } });
    expect(byManager.status).toBe(403);
  });
});

describe('closed as a duplicate, a household is no enquiry in any figure', () => {
  const window = { from: '2021-10-01', to: '2021-10-31' };
  let earlier: { householdId: string; reference: string };
  let again: { householdId: string; reference: string };

  const figures = async () => {
    await staff.stack.idle();
    const read = async (name: ApiRouteName, query: Record<string, string>) => (await call(name, 'manager', { query })).body;
    const docx = (await call('FosteringServiceUpdate', 'manager', { query: window })).body as Buffer;
    const rows = await documentTableRows(docx);
    return {
      funnel: (await read('CampaignConversion', window)).cohort.enquiries,
      autumnRadio: (await read('CampaignConversion', { ...window, campaignId: 'autumn-radio-2021' })).cohort.enquiries,
      caseload: (await read('CaseloadCounts', { on: '2021-11-30', ...window })).enquiries,
      firstResponses: (await read('Timeliness', window)).firstResponse.households,
      annualReturn: (await read('AnnualReturn', { financialYear: '2021' })).enquiries,
      committeeReport: rows.find((row) => row[0] === 'Enquiries')?.[1],
    };
  };

  beforeAll(async () => {
    const launched = await call('LaunchCampaign', 'marketing', {
      body: { campaignId: 'autumn-radio-2021', name: 'Autumn radio', channels: ['radio'], startsOn: '2021-09-01' },
    });
    expect(launched.status).toBe(202);
    earlier = await enquire({ name: 'Dee Shaw', email: 'dee.shaw@example.org' }, { occurredAt: at('2021-10-02') });
    again = await enquire(
      { name: 'Dee Shaw', email: 'dee.shaw@example.org' },
      { occurredAt: at('2021-10-14'), channel: 'radio', campaignId: 'autumn-radio-2021' },
    );
    const attempt = { method: 'phone', outcome: 'reached', occurredAt: at('2021-10-15') };
    expect((await call('RecordContactAttempt', 'recruitment', { path: { householdId: again.householdId }, body: attempt })).status).toBe(
      202,
    );
  });

  it('counts in every figure while it is open', async () => {
    expect(await figures()).toEqual({ funnel: 2, autumnRadio: 1, caseload: 2, firstResponses: 1, annualReturn: 2, committeeReport: '2' });
  });

  it('closed as a duplicate: out of the funnel, the caseload and timeliness, the annual return and the committee report; its campaign moves to the earlier household', async () => {
    expect((await close(again.householdId, 'duplicate', '2021-10-16')).status).toBe(202);
    // The campaign figure still counts one enquiry: the earlier household's, which named no campaign.
    expect(await figures()).toEqual({ funnel: 1, autumnRadio: 1, caseload: 1, firstResponses: 0, annualReturn: 1, committeeReport: '1' });
    expect((await record(earlier.householdId)).enquiry).toMatchObject({
      campaignId: 'autumn-radio-2021',
      campaignMovedFrom: again.householdId,
    });
    const counts = (await call('CaseloadCounts', 'manager', { query: { on: '2021-11-30', ...window } })).body;
    expect(counts.closedByReason).toEqual({});
    // Still found, and its record says why it is closed.
    expect((await record(again.householdId)).closure).toMatchObject({ reason: 'duplicate' });
    const found = (await call('FindHouseholds', 'recruitment', { query: { q: again.reference } })).body.households;
    expect(found.map((h: { householdId: string }) => h.householdId)).toEqual([again.householdId]);
  });

  it('the closure corrected, it counts again and takes its campaign back', async () => {
    const closure = (await record(again.householdId)).timeline.find((e: { type: string }) => e.type === 'EnquiryClosed');
    const corrected = await call('CorrectStep', 'recruitment', {
      path: { householdId: again.householdId },
      body: { correctedEventId: closure.eventId },
    });
    expect(corrected.status).toBe(202);
    expect(await figures()).toEqual({ funnel: 2, autumnRadio: 1, caseload: 2, firstResponses: 1, annualReturn: 2, committeeReport: '2' });
    expect((await record(earlier.householdId)).enquiry.campaignId).toBeUndefined();
  });

  it('the mark, the closure and the cleared mark carry no email or phone onto the bus or into the event export', async () => {
    const onTheBus = JSON.stringify(staff.stack.settled.map((s) => s.event));
    const exported = (await call('ExportEvents', 'manager', { query: { from: '2016-01-01', to: '2025-12-31' } })).body as string;
    const places: Array<[string, string]> = [
      ['bus', onTheBus],
      ['export', exported],
    ];
    for (const [where, text] of places) {
      for (const personal of ['dee.shaw@example.org', 'alex.firth', 'ray@example.org', '+44 7700', '01223 555', 'Dee Shaw'])
        expect([where, text.toLowerCase().includes(personal.toLowerCase())]).toEqual([where, false]);
      expect([where, text.includes('possibleDuplicateOf')]).toEqual([where, true]);
    }
  });
});
