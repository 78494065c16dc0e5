// The committee report (docs/adopting.md): GET /reports/fostering-service-update returns a Word document with
// the reference report's §2 sections, every figure equal to the API's for the same dates, and no
// enquirer's name or contact detail. The .docx is unzipped and its word/document.xml read.
import { categoryWords, holdReasonWords, placementTypeWords, resignationReasonWords } from '../../shared/words';
import { apiRoute } from '../../shared/wiring/http-routes';
import { signLocalToken } from '../../local/tokens';
import { startInProcessStack, type InProcessStack } from '../support/in-process-stack';
import { documentTableRows, documentText } from '../support/docx';
import {
  anEvent,
  approval,
  assessment,
  closure,
  enquiry,
  holdStart,
  initialVisit,
  placementStart,
  resignation,
  riskFlag,
} from '../support/funnel-events';

const agencyId = 'cambs';
let stack: InProcessStack;
const contact = { name: 'Harriet Quimby-Example', email: 'harriet.q@example.org', phone: '01223 998877' };

/** A small known history of one agency, 2018–2019. */
function history() {
  const mine = <T extends { detail: { agencyId: string } }>(e: T): T => ({ ...e, detail: { ...e.detail, agencyId } });
  return [
    anEvent('CampaignLaunched', '2019-06-25', {
      agencyId,
      campaignId: 'link-2019',
      name: 'July Link campaign',
      channels: ['facebook', 'information_event'],
      startsOn: '2019-07-01',
      agencyIds: [agencyId],
    }),
    anEvent('CampaignSpendRecorded', '2019-07-02', { agencyId, campaignId: 'link-2019', amountPence: 450_000 }),
    // A year earlier: two enquiries, one in assessment at 30 September 2018.
    ...['old-1', 'old-2'].map((h) => mine(enquiry(h, '2018-07-10', { channel: 'website' }))),
    mine(initialVisit('old-1', '2018-07-20')),
    mine(assessment('old-1', '2018-08-01', 2)),
    // The period: three Link campaign enquiries and one by phone.
    ...['link-1', 'link-2', 'link-3'].map((h, i) =>
      mine(
        enquiry(h, `2019-07-0${i + 3}`, {
          channel: i === 0 ? 'information_event' : 'facebook',
          campaignId: 'link-2019',
          interests: ['teenagers'],
        }),
      ),
    ),
    mine(enquiry('phone-1', '2019-08-01', { channel: 'phone' })),
    mine(initialVisit('link-1', '2019-07-15')),
    mine(assessment('link-1', '2019-08-01', 2)),
    mine(closure('link-2', '2019-07-20', 'not_suitable')),
    // Approved carers: one placed and with a secondary bed on hold, one on hold with none placed,
    // one who resigned in the year, one flagged at risk.
    mine(enquiry('carer-1', '2016-01-10')),
    mine(approval('carer-1', '2016-09-01', 2, 'mainstream')),
    mine(placementStart('carer-1', 'child-1', '2019-03-01', 'time_limited')),
    mine(holdStart('carer-1', 'hold-1', '2019-09-01', 'matching', 1)),
    mine(enquiry('carer-2', '2017-01-10')),
    mine(approval('carer-2', '2017-09-01', 1, 'short_breaks')),
    mine(holdStart('carer-2', 'hold-2', '2019-09-10', 'standards_of_care')),
    mine(enquiry('carer-3', '2015-01-10')),
    mine(approval('carer-3', '2015-09-01', 1, 'connected_person_reg24')),
    mine(placementStart('carer-3', 'child-2', '2019-02-01', 'matched_long_term')),
    mine(enquiry('carer-4', '2014-01-10')),
    mine(approval('carer-4', '2014-09-01', 2, 'mainstream')),
    mine(resignation('carer-4', '2019-06-30', 'moved_area')),
    mine(riskFlag('carer-3', '2019-09-15', 'retirement', 1)),
    anEvent('ChildrenInCareRecorded', '2019-09-20', { agencyId, childrenInCare: 769, fosteredInHouse: 272, fosteredAgency: 180 }),
  ];
}

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  stack = await startInProcessStack();
  await stack.record(...history());
  const recruitment = await signLocalToken({ secret: stack.jwtSecret, groups: ['recruitment'], agencyId });
  const logged = await stack.call(
    apiRoute('ReceiveEnquiry'),
    { body: { channel: 'phone', occurredAt: '2019-09-02T10:00:00Z', contact } },
    recruitment,
  );
  expect(logged.status).toBe(202);
  await stack.idle();
});
afterAll(() => stack?.stop());

test("the report holds every section, each figure the API's for the same dates, and no contact detail", async () => {
  const manager = await signLocalToken({ secret: stack.jwtSecret, groups: ['manager'], agencyId });
  const query = { from: '2019-07-01', to: '2019-09-30' };
  const answer = await stack.call(apiRoute('FosteringServiceUpdate'), { query }, manager);
  expect(answer.status).toBe(200);
  expect(answer.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const docx = answer.body as Buffer;
  const text = await documentText(docx);
  const rows = await documentTableRows(docx);
  const row = (first: string) => rows.find((r) => r[0] === first);

  const api = async (name: Parameters<typeof apiRoute>[0], q: Record<string, string>) =>
    (await stack.call(apiRoute(name), { query: q }, manager)).body;
  const byCampaign = await api('CampaignConversion', { ...query, groupBy: 'campaign' });
  const conversion = await api('CampaignConversion', query);
  const capacity = await api('Capacity', { at: query.to });
  const hold = await api('BedsOnHold', { at: query.to });
  const sufficiency = await api('Sufficiency', { at: query.to });
  const forecast = await api('ResignationForecast', { financialYear: '2019', asOf: query.to });

  for (const heading of [
    'Outcome of the campaigns',
    'Recruitment performance to 30 September 2019',
    'Profile of children',
    'Profile of foster carers',
    'Carers on hold',
    'Foster carers leaving',
    'Pipeline to 31 March 2020',
  ])
    expect(text).toContain(heading);

  // Campaign outcomes: the Link campaign's cohort, row for row.
  const link = byCampaign.groups.find((g: { key: string }) => g.key === 'link-2019');
  expect(row('July Link campaign')).toEqual([
    'July Link campaign',
    ...[link.cohort.enquiries, link.cohort.initialVisits, link.cohort.assessments, link.cohort.approvals, link.cohort.open].map(String),
    '£4,500.00',
    '£1,500.00',
  ]);
  expect(link.cohort).toMatchObject({ enquiries: 3, initialVisits: 1, assessments: 1, approvals: 0, open: 2 });
  expect(text).toContain(
    'The July Link campaign resulted in 3 enquiries. Of these, 1 household received an initial visit, 1 applied and 0 were approved; 2 are still open, and the others closed: 1 not suitable.',
  );

  // Against the same period a year earlier.
  const a = conversion.activity;
  expect(row('Enquiries')).toEqual([
    'Enquiries',
    String(a.enquiries.count),
    String(a.enquiries.previousYear),
    `+${a.enquiries.changePct}%`,
  ]);
  expect(row('In assessment at the end')).toEqual([
    'In assessment at the end',
    String(a.inAssessmentAt.count),
    String(a.inAssessmentAt.previousYear),
    `+${a.inAssessmentAt.changePct}%`,
  ]);
  expect([a.enquiries.count, a.enquiries.previousYear, a.inAssessmentAt.count, a.inAssessmentAt.previousYear]).toEqual([5, 2, 2, 1]); // old-1 is still in assessment

  // Children placed by type; households and beds by category.
  expect(row(placementTypeWords.time_limited)?.slice(0, 2)).toEqual([
    placementTypeWords.time_limited,
    String(capacity.placementsByType.time_limited),
  ]);
  expect(row(placementTypeWords.matched_long_term)?.slice(0, 2)).toEqual([
    placementTypeWords.matched_long_term,
    String(capacity.placementsByType.matched_long_term),
  ]);
  expect(text).toContain(
    `the latest count recorded ${sufficiency.childrenInCare} children in care, ${sufficiency.fosteredInHouse} of them fostered in house`,
  );
  expect(row(categoryWords.mainstream)).toEqual([
    categoryWords.mainstream,
    String(capacity.byCategory.mainstream.households),
    String(capacity.byCategory.mainstream.approvedBeds),
  ]);
  expect(row(categoryWords.short_breaks)).toEqual([
    categoryWords.short_breaks,
    String(capacity.byCategory.short_breaks.households),
    String(capacity.byCategory.short_breaks.approvedBeds),
  ]);
  expect(text).toContain(
    `there were ${capacity.households} approved fostering households, approved for ${capacity.approvedBeds} beds. ${capacity.occupiedBeds} of those beds were filled, ${capacity.vacantBeds} vacant and ${capacity.bedsOnHold} on hold, leaving ${capacity.availableBeds} available.`,
  );
  expect([capacity.households, capacity.approvedBeds, capacity.occupiedBeds]).toEqual([3, 4, 2]);

  // Carers on hold: primary and secondary, reasons, concerns.
  expect(text).toContain(
    `On 30 September 2019 ${hold.households} households, or ${hold.beds} beds, were on hold. Of these, ${hold.primary.households} household had primary vacancies`,
  );
  expect(text).toContain(`${hold.secondary.households} household had ${hold.secondary.beds} secondary vacancy on hold`);
  expect(text).toContain(`working with ${hold.concerns} standards of care or allegation concern.`);
  // The dashboard's words (shared/words.ts), the same in the report.
  expect(row(holdReasonWords.matching)).toEqual([holdReasonWords.matching, '1', '1']);
  expect(row(holdReasonWords.standards_of_care)).toEqual([holdReasonWords.standards_of_care, '1', '1']);

  // Carers leaving, and expected to; the pipeline to 31 March.
  expect(text).toContain(
    `Between 1 April 2019 and 30 September 2019, ${forecast.resignedToDate} household has resigned. The service anticipates that ${forecast.anticipated.households} further household may resign, and expects about ${Math.round(forecast.expectedYearEnd)} resignations in all by 31 March 2020 (between ${forecast.low} and ${forecast.high})`,
  );
  expect(row(resignationReasonWords.moved_area)).toEqual([resignationReasonWords.moved_area, '1']);
  const p = forecast.pipeline;
  expect(row('In assessment')).toEqual(['In assessment', String(p.inAssessment)]);
  expect(row('Prospective beds')).toEqual(['Prospective beds', String(p.prospectiveBeds)]);
  expect(row('Due to reach a decision by 31 March')).toEqual(['Due to reach a decision by 31 March', String(p.dueByYearEnd)]);
  expect(row('Expected approvals by 31 March')).toEqual(['Expected approvals by 31 March', String(p.expectedApprovalsYearEnd)]);
  expect(text).toContain(
    `The service expects to have approved about ${Math.round(p.expectedApprovalsYearEnd)} households by 31 March 2020`,
  );
  expect(row('Expected approved beds at 31 March')).toEqual(['Expected approved beds at 31 March', String(p.expectedBedsYearEnd)]);
  expect(text).toContain(
    `Of these, ${p.byInterest.teenagers.households} household has expressed an interest in teenagers, offering ${p.byInterest.teenagers.prospectiveBeds} beds.`,
  );

  // No enquirer's name or contact detail, and no household id.
  const xml = text + JSON.stringify(rows);
  for (const personal of [contact.name, 'Quimby', contact.email, contact.phone, '998877', 'carer-1', 'link-1'])
    expect(xml).not.toContain(personal);
});

test('a finished year states what happened: no expectation above it', async () => {
  const manager = await signLocalToken({ secret: stack.jwtSecret, groups: ['manager'], agencyId });
  // The council's own name for its service, from its settings, heads the paper.
  const named = await stack.call(
    apiRoute('ChangeAgencySettings'),
    { body: { attritionRate: 0.1, targetInHouseShare: 0.6, serviceName: 'Cambridgeshire County Council Fostering Service' } },
    manager,
  );
  expect(named.status).toBe(202);
  const answer = await stack.call(apiRoute('FosteringServiceUpdate'), { query: { from: '2019-04-01', to: '2020-03-31' } }, manager);
  expect(answer.status).toBe(200);
  const text = await documentText(answer.body as Buffer);
  const rows = await documentTableRows(answer.body as Buffer);
  const forecast = (await stack.call(apiRoute('ResignationForecast'), { query: { financialYear: '2019', asOf: '2020-03-31' } }, manager))
    .body;
  // Over: what the forecast expects is what happened.
  expect([forecast.expectedYearEnd, forecast.low, forecast.high]).toEqual([
    forecast.resignedToDate,
    forecast.resignedToDate,
    forecast.resignedToDate,
  ]);
  expect(forecast.pipeline).toMatchObject({ dueByYearEnd: 0, expectedApprovalsYearEnd: forecast.pipeline.approvedToDate });
  expect(text).toContain(`Between 1 April 2019 and 31 March 2020, ${forecast.resignedToDate} household`);
  expect(text).toContain('Approvals in the year to 31 March 2020');
  expect(text).toContain(`In the financial year to 31 March 2020, ${forecast.pipeline.approvedToDate} household`);
  expect(text).not.toMatch(/expects|anticipates/);
  expect(text).toContain('Cambridgeshire County Council Fostering Service: figures for 1 April 2019 to 31 March 2020');
  expect(text).not.toContain('Agency ');
  // No campaign paragraph for a campaign with nothing in the period.
  expect(text).not.toMatch(/resulted in 0 enquiries/);
  expect(rows.find((r) => r[0] === 'Approved in the financial year')).toEqual([
    'Approved in the financial year',
    String(forecast.pipeline.approvedToDate),
  ]);
  expect(rows.some((r) => r[0]?.startsWith('Expected'))).toBe(false);
});

test('marketing may download it; recruitment may not; bad dates are a 400 naming them', async () => {
  const marketing = await signLocalToken({ secret: stack.jwtSecret, groups: ['marketing'], agencyId });
  const recruitment = await signLocalToken({ secret: stack.jwtSecret, groups: ['recruitment'], agencyId });
  const route = apiRoute('FosteringServiceUpdate');
  expect((await stack.call(route, { query: { from: '2019-04-01', to: '2019-09-30' } }, marketing)).status).toBe(200);
  expect((await stack.call(route, { query: { from: '2019-04-01', to: '2019-09-30' } }, recruitment)).status).toBe(403);
  expect(await stack.call(route, { query: { from: '2019-04-31', to: '2019-01-01' } }, marketing)).toMatchObject({
    status: 400,
    body: { error: { fields: [{ field: 'from' }, { field: 'to' }] } },
  });
});
