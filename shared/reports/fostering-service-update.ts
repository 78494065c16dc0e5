// The committee report (docs/adopting.md) written with `docx` from the metric answers for the same
// dates: only figures, campaign names and the service's categories and reasons; no household.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { CommitteeReportFigures } from '../queries/committee-report';
import type { ActivityCount } from '../domain/campaign-conversion';
import {
  categoryWords,
  channelWords,
  closureWords,
  holdReasonWords,
  interestWords,
  placementTypeWords,
  resignationReasonWords,
  wordFor,
} from '../words';

/** A label inside a sentence: its first letter lower case, unless it starts with a code (AW3). */
const lowerFirst = (text: string) => (/^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1));

const dateText = (iso: string) =>
  new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const pounds = (pence: number | null) =>
  pence === null ? 'n/a' : `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const percent = (rate: number | null) => (rate === null ? 'n/a' : `${Math.round(rate * 1000) / 10}%`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const change = (a: ActivityCount) => (a.changePct === null ? 'no figure a year earlier' : `${a.changePct > 0 ? '+' : ''}${a.changePct}%`);

const heading = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 } });
const para = (text: string) => new Paragraph({ children: [new TextRun(text)], spacing: { after: 120 } });

function table(header: string[], rows: Array<Array<string | number>>): Table {
  const row = (cells: Array<string | number>, bold = false) =>
    new TableRow({
      tableHeader: bold,
      children: cells.map(
        (c, i) =>
          new TableCell({
            children: [
              new Paragraph({
                alignment: i === 0 ? AlignmentType.LEFT : AlignmentType.RIGHT,
                children: [new TextRun({ text: String(c), bold })],
              }),
            ],
          }),
      ),
    });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(header, true), ...rows.map((r) => row(r))] });
}

const BAR_WIDTH = 30;
/** A bar chart as a table: the label, a bar of shaded blocks in proportion, the figure. Not a picture:
 *  nothing here draws a PNG without a browser or a native canvas, and Word shows an SVG only with a
 *  PNG beside it; a bar of text stays sharp and editable. */
function barChart(title: string, bars: Array<[string, number]>): Array<Paragraph | Table> {
  if (bars.length === 0) return [];
  const max = Math.max(...bars.map(([, n]) => n), 1);
  return [
    new Paragraph({ children: [new TextRun({ text: title, italics: true })], spacing: { before: 120, after: 60 } }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: bars.map(
        ([name, n]) =>
          new TableRow({
            children: [
              new TableCell({ width: { size: 35, type: WidthType.PERCENTAGE }, children: [new Paragraph(name)] }),
              new TableCell({
                width: { size: 55, type: WidthType.PERCENTAGE },
                children: [
                  new Paragraph({
                    children: [new TextRun({ text: '█'.repeat(Math.round((n / max) * BAR_WIDTH)) || '▏', color: '1F6FB2' })],
                  }),
                ],
              }),
              new TableCell({
                width: { size: 10, type: WidthType.PERCENTAGE },
                children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun(String(n))] })],
              }),
            ],
          }),
      ),
    }),
  ];
}

const closedText = (closed: Record<string, number>) =>
  Object.entries(closed)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${lowerFirst(wordFor(closureWords, reason))}`)
    .join(', ');

export function reportSections(f: CommitteeReportFigures): Array<Paragraph | Table> {
  const period = `${dateText(f.from)} to ${dateText(f.to)}`;
  const at = dateText(f.to);
  const yearEnd = dateText(`${f.financialYear + 1}-03-31`);
  const { conversion: c, capacity: cap, bedsOnHold: hold, sufficiency: suf, forecast: fc } = f;
  const a = c.activity;
  const out: Array<Paragraph | Table> = [];

  out.push(heading('Outcome of the campaigns'));
  // A campaign with nothing in the period has no outcome to tell.
  const campaigns = f.byCampaign.groups.filter((g) => g.cohort.enquiries > 0 || (g.cost.spendPence ?? 0) > 0);
  if (campaigns.every((g) => g.cohort.enquiries === 0)) out.push(para(`No enquiries were received between ${period}.`));
  for (const g of campaigns.filter((c) => c.cohort.enquiries > 0)) {
    const campaign = g.key === null ? '' : (f.campaignNames[g.key] ?? g.key);
    const name = g.key === null ? 'Enquiries that named no campaign' : `The ${campaign}${/campaign/i.test(campaign) ? '' : ' campaign'}`;
    const closed = closedText(g.cohort.closed);
    out.push(
      para(
        `${name} resulted in ${plural(g.cohort.enquiries, 'enquiry', 'enquiries')}. Of these, ${plural(g.cohort.initialVisits, 'household')} received an initial visit, ` +
          `${g.cohort.assessments} applied and ${g.cohort.approvals} ${g.cohort.approvals === 1 ? 'was' : 'were'} approved; ${g.cohort.open} ${g.cohort.open === 1 ? 'is' : 'are'} still open` +
          `${closed ? `, and the others closed: ${closed}` : ''}.${(g.cost.spendPence ?? 0) > 0 ? ` It cost ${pounds(g.cost.spendPence)}, ${pounds(g.cost.costPerEnquiry)} an enquiry.` : ''}`,
      ),
    );
  }
  out.push(
    table(
      ['Campaign', 'Enquiries', 'Initial visits', 'Applications', 'Approvals', 'Open', 'Spend', 'Cost per enquiry'],
      campaigns.map((g) => [
        g.key === null ? 'No campaign' : (f.campaignNames[g.key] ?? g.key),
        g.cohort.enquiries,
        g.cohort.initialVisits,
        g.cohort.assessments,
        g.cohort.approvals,
        g.cohort.open,
        pounds(g.cost.spendPence),
        pounds(g.cost.costPerEnquiry),
      ]),
    ),
  );
  out.push(
    ...barChart(
      'How people enquired',
      f.byChannel.groups.map((g) => [wordFor(channelWords, g.key ?? 'other'), g.cohort.enquiries]),
    ),
  );

  out.push(heading(`Recruitment performance to ${at}`));
  out.push(
    para(
      `${plural(a.enquiries.count, 'enquiry was', 'enquiries were')} received between ${period}, compared with ${a.enquiries.previousYear} in the same period a year earlier (${change(a.enquiries)}). ` +
        `At ${at}, ${plural(a.inAssessmentAt.count, 'household was', 'households were')} in assessment, compared with ${a.inAssessmentAt.previousYear} a year earlier (${change(a.inAssessmentAt)}). ` +
        `${plural(a.approvals.count, 'household was', 'households were')} approved in the period, against ${a.approvals.previousYear} a year earlier.`,
    ),
  );
  out.push(
    table(
      ['Activity in the period', 'This period', 'A year earlier', 'Change'],
      (
        [
          ['Enquiries', a.enquiries],
          ['Initial visits', a.initialVisits],
          ['Applications', a.assessments],
          ['Approvals', a.approvals],
          ['In assessment at the end', a.inAssessmentAt],
        ] as const
      ).map(([name, n]) => [name, n.count, n.previousYear, change(n)]),
    ),
  );
  out.push(
    para(
      `Of the ${c.cohort.enquiries} households that enquired in the period, ${percent(c.rates.visitRate)} received an initial visit and ${percent(c.rates.overallRate)} have been approved.`,
    ),
  );

  out.push(heading('Profile of children'));
  const placed = Object.entries(cap.placementsByType).filter(([, n]) => n > 0);
  out.push(
    para(
      `At ${at} the fostering service was caring for ${plural(cap.occupiedBeds, 'child', 'children')} in its own carers' homes` +
        `${suf.childrenInCare === null ? '.' : `; the latest count recorded ${suf.childrenInCare} children in care, ${suf.fosteredInHouse} of them fostered in house and ${suf.fosteredAgency} with independent agencies.`}`,
    ),
  );
  out.push(
    table(
      ['Placement type', 'Children'],
      placed.map(([type, n]) => [wordFor(placementTypeWords, type), n]),
    ),
  );
  out.push(
    ...barChart(
      'Children placed, by type of placement',
      placed.map(([type, n]) => [wordFor(placementTypeWords, type), n]),
    ),
  );

  out.push(heading('Profile of foster carers'));
  out.push(
    para(
      `At ${at} there were ${plural(cap.households, 'approved fostering household')}, approved for ${plural(cap.approvedBeds, 'bed')}. ` +
        `${cap.occupiedBeds} of those beds were filled, ${cap.vacantBeds} vacant and ${cap.bedsOnHold} on hold, leaving ${cap.availableBeds} available. ` +
        `Actual utilisation: ${cap.placementsPerHousehold ?? 'n/a'} placements per household.`,
    ),
  );
  out.push(
    table(
      ['Type of carer', 'Households', 'Approved beds'],
      Object.entries(cap.byCategory).map(([category, n]) => [wordFor(categoryWords, category), n.households, n.approvedBeds]),
    ),
  );

  out.push(heading('Carers on hold'));
  out.push(
    para(
      `On ${at} ${plural(hold.households, 'household')}, or ${plural(hold.beds, 'bed')}, ${hold.households === 1 ? 'was' : 'were'} on hold. ` +
        `Of these, ${plural(hold.primary.households, 'household')} had primary vacancies (no other foster child living with them), with ${plural(hold.primary.beds, 'bed')} on hold between them; ` +
        `${plural(hold.secondary.households, 'household')} had ${plural(hold.secondary.beds, 'secondary vacancy', 'secondary vacancies')} on hold. ` +
        `${hold.serviceInitiated} ${hold.serviceInitiated === 1 ? 'hold was' : 'holds were'} the service's decision, and the service is working with ${plural(hold.concerns, 'standards of care or allegation concern')}.`,
    ),
  );
  out.push(
    table(
      ['Reason', 'Households', 'Beds'],
      hold.byReason.map((r) => [wordFor(holdReasonWords, r.reason), r.households, r.beds]),
    ),
  );

  // A year that is over states what happened, never an expectation (docs/metrics.md, a year that is over).
  const yearOver = fc.asOf === `${f.financialYear + 1}-03-31`;
  const about = (n: number) => `about ${Math.round(n)}`;
  out.push(heading('Foster carers leaving'));
  const resigned = Object.entries(fc.resignedByReason).filter(([, n]) => n > 0);
  const leaving = yearOver
    ? `Between 1 April ${f.financialYear} and ${yearEnd}, ${plural(fc.resignedToDate, 'household', 'households')} resigned, ` +
      `${fc.belowBenchmark ? 'below' : 'not below'} the ${about(fc.benchmark)} expected at the service's rate of ${percent(fc.attritionRate)} a year.`
    : `Each year a fostering service can expect to lose some of its carers: at this service's rate of ${percent(fc.attritionRate)} a year, ${about(fc.benchmark)} households. ` +
      `Between 1 April ${f.financialYear} and ${at}, ${plural(fc.resignedToDate, 'household has', 'households have')} resigned. ` +
      `The service anticipates that ${plural(fc.anticipated.households, 'further household')} may resign, and expects ${about(fc.expectedYearEnd)} resignations in all by ${yearEnd} (between ${fc.low} and ${fc.high}), ` +
      `${fc.belowBenchmark ? 'below' : 'not below'} the expected rate.`;
  out.push(para(leaving));
  out.push(
    table(
      ['Reason for leaving', 'Households'],
      resigned.map(([reason, n]) => [wordFor(resignationReasonWords, reason), n]),
    ),
  );

  out.push(heading(yearOver ? `Approvals in the year to ${yearEnd}` : `Pipeline to ${yearEnd}`));
  const p = fc.pipeline;
  const interests = Object.entries(p.byInterest)
    .map(
      ([interest, n]) =>
        ` Of these, ${plural(n.households, 'household has', 'households have')} expressed an interest in ${lowerFirst(wordFor(interestWords, interest))}, offering ${plural(n.prospectiveBeds, 'bed')}.`,
    )
    .join('');
  out.push(
    para(
      yearOver
        ? `In the financial year to ${yearEnd}, ${plural(p.approvedToDate, 'household was', 'households were')} approved. ` +
            `At its end ${plural(p.inAssessment, 'household was', 'households were')} in assessment, representing a potential ${plural(p.prospectiveBeds, 'further bed')}.` +
            interests
        : `In addition to the ${plural(p.approvedToDate, 'household')} already approved this financial year, ${plural(p.inAssessment, 'household is', 'households are')} in assessment, ` +
            `representing a potential ${plural(p.prospectiveBeds, 'further bed')}.` +
            interests +
            ` ${p.dueByYearEnd} of them ${p.dueByYearEnd === 1 ? 'is' : 'are'} due to reach a decision by ${yearEnd} (an assessment takes ${p.assessmentDays === null ? "its agency's target" : `${Math.round(p.assessmentDays)} days`} here). ` +
            `The service expects to have approved ${about(p.expectedApprovalsYearEnd)} households by ${yearEnd}, and to have ${about(p.expectedBedsYearEnd)} approved beds then.`,
    ),
  );
  out.push(
    table(
      ['Pipeline', 'Figure'],
      yearOver
        ? [
            ['Approved in the financial year', p.approvedToDate],
            ['In assessment at 31 March', p.inAssessment],
            ['Prospective beds', p.prospectiveBeds],
          ]
        : [
            ['Approved this financial year', p.approvedToDate],
            ['In assessment', p.inAssessment],
            ['Prospective beds', p.prospectiveBeds],
            ['Due to reach a decision by 31 March', p.dueByYearEnd],
            ['Expected approvals by 31 March', p.expectedApprovalsYearEnd],
            ['Expected approved beds at 31 March', p.expectedBedsYearEnd],
          ],
    ),
  );
  return out;
}

export async function fosteringServiceUpdateDocx(f: CommitteeReportFigures): Promise<Buffer> {
  const document = new Document({
    creator: 'Fostering recruitment and sufficiency',
    title: `Fostering Service Update, ${f.from} to ${f.to}`,
    sections: [
      {
        children: [
          new Paragraph({ text: 'Fostering Service Update', heading: HeadingLevel.TITLE }),
          para(
            `${f.serviceName ?? `The fostering service (${f.agencyId})`}: figures for ${dateText(f.from)} to ${dateText(f.to)}, and at ${dateText(f.to)}. Every figure is the system's own for those dates; edit the words freely before the paper goes to committee.`,
          ),
          ...reportSections(f),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
