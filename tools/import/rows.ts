// The import (docs/adopting.md), the pure part: the mapping file, and one spreadsheet row checked with zod and
// turned into the §3 events (each dated 12:00 UTC on its day, ids derived from the agency, the row's
// key and the step) plus its contact details, which never join the events.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { detailSchemas, type DomainEvent, type FieldError } from '../../shared/events/catalogue';
import { ApprovalCategory, Channel, ClosureReason, Interest } from '../../shared/events/vocabulary';
import { ContactDetailsSchema } from '../../shared/api/request-schemas';
import type { ContactDetails } from '../../shared/store/contacts';
import { IMPORT_TOOL_SUB } from '../../shared/store/audit';

export const columnIds = [
  'enquiredOn',
  'channel',
  'campaignId',
  'interests',
  'postcodeDistrict',
  'initialVisitOn',
  'assessmentOn',
  'prospectiveBeds',
  'approvedOn',
  'category',
  'approvedBeds',
  'closedOn',
  'closureReason',
  'name',
  'email',
  'phone',
] as const;
export type ColumnId = (typeof columnIds)[number];
/** Columns whose cells may be translated by the mapping's `values`: `campaignId` maps the
 *  spreadsheet's campaign names to campaign ids, `closureReason` may map an outcome to `approved`. */
const translatable = ['channel', 'campaignId', 'category', 'closureReason', 'interests'] as const;
/** What an outcome column's value may mean besides a closure reason: the household was approved (on the closure column's date). */
const APPROVED = 'approved';

export const dateFormats = ['DD/MM/YYYY', 'YYYY-MM-DD', 'D/M/YYYY'] as const;
export type DateFormat = (typeof dateFormats)[number];

export const MappingSchema = z.strictObject({
  key: z.string().min(1).describe('the header of the column that identifies a row (a household) for good'),
  dateFormat: z.enum(dateFormats).default('YYYY-MM-DD'),
  columns: z.strictObject({
    enquiredOn: z.string().min(1),
    channel: z.string().min(1),
    ...Object.fromEntries(columnIds.filter((c) => c !== 'enquiredOn' && c !== 'channel').map((c) => [c, z.string().min(1).optional()])),
  } as Record<'enquiredOn' | 'channel', z.ZodString> & Record<Exclude<ColumnId, 'enquiredOn' | 'channel'>, z.ZodOptional<z.ZodString>>),
  values: z
    .strictObject(
      Object.fromEntries(translatable.map((c) => [c, z.record(z.string(), z.string()).optional()])) as Record<
        (typeof translatable)[number],
        z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>
      >,
    )
    .default({}),
});
export type Mapping = z.infer<typeof MappingSchema>;

/** Without --mapping: the spreadsheet's headers are the mapping's column names themselves (`enquiredOn`, `channel`, …), `key` the key. */
export const defaultMapping: Mapping = {
  key: 'key',
  dateFormat: 'YYYY-MM-DD',
  columns: Object.fromEntries(columnIds.map((c) => [c, c])) as Mapping['columns'],
  values: {},
};

const datePatterns: Record<DateFormat, { pattern: RegExp; order: [number, number, number] }> = {
  'DD/MM/YYYY': { pattern: /^(\d{2})\/(\d{2})\/(\d{4})$/, order: [3, 2, 1] },
  'D/M/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{2})-(\d{2})$/, order: [1, 2, 3] },
};

/** A calendar date in the mapping's format as YYYY-MM-DD, or undefined (31/02/2019 is not a date).
 *  By hand: three fixed formats, and no installed library parses a date strictly in a given one. */
export function parseDate(text: string, format: DateFormat): string | undefined {
  const { pattern, order } = datePatterns[format];
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = order.map((i) => Number(match[i]));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** A Date cell of a workbook written out in the mapping's format, so it is checked like text. */
export function formatDate(date: Date, format: DateFormat): string {
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const pad = (n: number) => String(n).padStart(2, '0');
  if (format === 'YYYY-MM-DD') return `${y}-${pad(m)}-${pad(d)}`;
  return format === 'DD/MM/YYYY' ? `${pad(d)}/${pad(m)}/${y}` : `${d}/${m}/${y}`;
}

const cell = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

function rowSchema(mapping: Mapping, today: string) {
  const values = mapping.values as Partial<Record<(typeof translatable)[number], Record<string, string>>>;
  const translate = (column: (typeof translatable)[number]) => (text: string) => values[column]?.[text.trim()] ?? text.trim();
  const date = z.string().transform((text, context) => {
    const parsed = parseDate(text, mapping.dateFormat);
    if (parsed === undefined) context.addIssue({ code: 'custom', message: `"${text}" is not a date written ${mapping.dateFormat}` });
    else if (parsed > today) context.addIssue({ code: 'custom', message: `${text} is in the future` });
    return parsed ?? '';
  });
  const beds = z.string().trim().regex(/^\d+$/, 'not a whole number of beds').transform(Number).pipe(z.number().int().min(1).max(20));
  const step = cell(date.optional());
  return z
    .object({
      key: z.string().trim().min(1, 'the key is empty').max(200),
      enquiredOn: cell(date),
      channel: cell(z.string().transform(translate('channel')).pipe(Channel)),
      campaignId: cell(
        z
          .string()
          .transform(translate('campaignId'))
          .pipe(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "not a campaign id: name it under the mapping's values.campaignId"))
          .optional(),
      ),
      interests: cell(
        z
          .string()
          .transform((text) =>
            text
              .split(/[,;]/)
              .map((part) => part.trim())
              .filter(Boolean)
              .map((part) =>
                translate('interests')(part)
                  .toLowerCase()
                  .replace(/[\s-]+/g, '_'),
              ),
          )
          .pipe(z.array(Interest).max(20))
          .optional(),
      ),
      postcodeDistrict: cell(
        z
          .string()
          .transform((text) => text.trim().toUpperCase().split(/\s+/)[0] ?? '')
          .pipe(detailSchemas.EnquiryReceived.shape.postcodeDistrict.unwrap())
          .optional(),
      ),
      initialVisitOn: step,
      assessmentOn: step,
      prospectiveBeds: cell(beds.optional()),
      approvedOn: step,
      category: cell(z.string().transform(translate('category')).pipe(ApprovalCategory).optional()),
      approvedBeds: cell(beds.optional()),
      closedOn: step,
      closureReason: cell(
        z
          .string()
          .transform(translate('closureReason'))
          .pipe(z.union([ClosureReason, z.literal(APPROVED)]))
          .optional(),
      ),
      name: cell(ContactDetailsSchema.shape.name.optional()),
      email: cell(z.string().trim().pipe(ContactDetailsSchema.shape.email.unwrap()).optional()),
      phone: cell(z.string().trim().pipe(ContactDetailsSchema.shape.phone.unwrap()).optional()),
    })
    .superRefine((read, context) => {
      const row = withOutcome(read);
      const issue = (path: ColumnId, message: string) => context.addIssue({ code: 'custom', path: [path], message });
      const order: Array<[ColumnId, string | undefined]> = [
        ['enquiredOn', row.enquiredOn],
        ['initialVisitOn', row.initialVisitOn],
        ['assessmentOn', row.assessmentOn],
        ['approvedOn', row.approvedOn],
      ];
      let previous: [ColumnId, string] | undefined;
      for (const [column, on] of order) {
        if (!on) continue;
        if (previous && on < previous[1]) issue(column, `is before ${previous[0]} (${previous[1]})`);
        previous = [column, on];
      }
      if (read.closureReason === APPROVED && !row.approvedOn) issue('closedOn', 'an approval needs its date');
      if (row.approvedOn) {
        if (!row.category) issue('category', 'an approval needs the type of carer');
        if (row.approvedBeds === undefined) issue('approvedBeds', 'an approval needs its approved beds');
        if (row.closedOn) issue('closedOn', 'an approved household resigns; it is not closed');
      } else {
        if (row.category) issue('category', 'is given, but no approval date');
        if (row.approvedBeds !== undefined) issue('approvedBeds', 'are given, but no approval date');
      }
      if (row.closedOn && !row.closureReason) issue('closureReason', 'a closure needs its reason');
      if (!row.closedOn && row.closureReason) issue('closedOn', 'a reason is given, but no closure date');
      if (row.closedOn && row.enquiredOn && row.closedOn < row.enquiredOn) issue('closedOn', `is before enquiredOn (${row.enquiredOn})`);
      if (row.prospectiveBeds !== undefined && !row.assessmentOn) issue('prospectiveBeds', 'are given, but no application date');
      if ((row.email || row.phone) && !row.name) issue('name', 'contact details need a name');
    })
    .transform(withOutcome);
}

/** An outcome that says the household was approved is its approval, on the outcome's (closure column's) date. */
function withOutcome<R extends { closureReason?: string; closedOn?: string; approvedOn?: string }>({ closureReason, ...row }: R) {
  return closureReason === APPROVED
    ? { ...row, approvedOn: row.approvedOn ?? row.closedOn, closedOn: undefined, closureReason: undefined }
    : { ...row, closureReason: closureReason as z.infer<typeof ClosureReason> | undefined };
}
export type ImportRow = z.infer<ReturnType<typeof rowSchema>>;

/** A row as read: its spreadsheet row number and its cells by header. */
export interface SheetRow {
  rowNumber: number;
  cells: Record<string, string>;
}

export interface RowError {
  rowNumber: number;
  errors: FieldError[];
}
export interface RowImport {
  rowNumber: number;
  key: string;
  householdId: string;
  events: DomainEvent[];
  contact?: ContactDetails;
}

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');
/** The same agency and key give the same household, whatever the file or the day of the import. */
export const importedHouseholdId = (agencyId: string, key: string) => `imported-${hash(agencyId, key).slice(0, 24)}`;
export const importedEventId = (agencyId: string, key: string, step: string) => `import-${hash(agencyId, key, step).slice(0, 32)}`;

/** Checks one row; its errors name the spreadsheet's own headers. */
export function checkRow(mapping: Mapping, row: SheetRow, today: string): { row: ImportRow } | { errors: FieldError[] } {
  const header = (id: string) => (id === 'key' ? mapping.key : ((mapping.columns as Record<string, string | undefined>)[id] ?? id));
  const input: Record<string, string | undefined> = { key: row.cells[mapping.key] ?? '' };
  for (const id of columnIds) {
    const column = (mapping.columns as Record<string, string | undefined>)[id];
    if (column !== undefined) input[id] = row.cells[column] ?? '';
  }
  const parsed = rowSchema(mapping, today).safeParse(input);
  if (parsed.success) return { row: parsed.data };
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const id = String(issue.path[0] ?? 'key');
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is empty' : issue.message;
    const text = `${header(id)}\u0000${message}`;
    if (seen.has(text)) continue;
    seen.add(text);
    errors.push({ field: header(id), message });
  }
  return { errors };
}

/** The row's §3 events, each step once, dated 12:00 UTC on the row's date. */
export function rowEvents(agencyId: string, row: ImportRow): { householdId: string; events: DomainEvent[]; contact?: ContactDetails } {
  const householdId = importedHouseholdId(agencyId, row.key);
  const common = (step: string, on: string) => ({
    eventId: importedEventId(agencyId, row.key, step),
    agencyId,
    occurredAt: `${on}T12:00:00Z`,
    householdId,
    // Says who recorded it, and tells the projector its contact details were stored before it came.
    recordedBy: IMPORT_TOOL_SUB,
  });
  const events: DomainEvent[] = [
    {
      detailType: 'EnquiryReceived',
      detail: detailSchemas.EnquiryReceived.parse(
        withoutUndefined({
          ...common('enquiry', row.enquiredOn),
          channel: row.channel,
          campaignId: row.campaignId,
          interests: row.interests?.length ? row.interests : undefined,
          postcodeDistrict: row.postcodeDistrict,
          externalRef: row.key,
        }),
      ),
    },
  ];
  if (row.initialVisitOn)
    events.push({
      detailType: 'InitialVisitCompleted',
      detail: detailSchemas.InitialVisitCompleted.parse(common('initial-visit', row.initialVisitOn)),
    });
  if (row.assessmentOn) {
    events.push({
      detailType: 'AssessmentStarted',
      detail: detailSchemas.AssessmentStarted.parse(
        withoutUndefined({ ...common('assessment', row.assessmentOn), prospectiveBeds: row.prospectiveBeds }),
      ),
    });
  }
  if (row.approvedOn) {
    events.push({
      detailType: 'HouseholdApproved',
      detail: detailSchemas.HouseholdApproved.parse({
        ...common('approval', row.approvedOn),
        category: row.category,
        approvedBeds: row.approvedBeds,
      }),
    });
  }
  if (row.closedOn)
    events.push({
      detailType: 'EnquiryClosed',
      detail: detailSchemas.EnquiryClosed.parse({ ...common('closure', row.closedOn), reason: row.closureReason }),
    });
  const contact = row.name ? withoutUndefined({ name: row.name, email: row.email, phone: row.phone }) : undefined;
  return { householdId, events, ...(contact ? { contact } : {}) };
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Every row checked before anything is sent: the good rows' events, and each bad row with every bad column. */
export function planImport(
  agencyId: string,
  mapping: Mapping,
  rows: readonly SheetRow[],
  today: string,
): { imports: RowImport[]; bad: RowError[] } {
  const imports: RowImport[] = [];
  const bad: RowError[] = [];
  const keys = new Map<string, number>();
  for (const sheetRow of rows) {
    const checked = checkRow(mapping, sheetRow, today);
    const key = (sheetRow.cells[mapping.key] ?? '').trim();
    const errors = 'errors' in checked ? [...checked.errors] : [];
    const first = keys.get(key);
    if (key && first !== undefined) errors.push({ field: mapping.key, message: `the same key as row ${first}` });
    else if (key) keys.set(key, sheetRow.rowNumber);
    if (errors.length > 0 || !('row' in checked)) {
      bad.push({ rowNumber: sheetRow.rowNumber, errors });
      continue;
    }
    imports.push({ rowNumber: sheetRow.rowNumber, key: checked.row.key, ...rowEvents(agencyId, checked.row) });
  }
  return { imports, bad };
}

/** The mapping's headers that the spreadsheet does not have. */
export function missingHeaders(mapping: Mapping, headers: readonly string[]): string[] {
  const wanted = [mapping.key, ...Object.values(mapping.columns).filter((h): h is string => typeof h === 'string')];
  return [...new Set(wanted)].filter((h) => !headers.includes(h));
}
