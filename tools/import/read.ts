// Reads a spreadsheet's rows, one household a row, the first row its headers: CSV with csv-parse,
// XLSX (its first worksheet) with exceljs. Every cell comes out as text; a date cell of a workbook
// is written in the mapping's date format, so it is checked exactly as a typed one.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { formatDate, type DateFormat, type SheetRow } from './rows';

export interface Sheet {
  headers: string[];
  rows: SheetRow[];
}

export async function readSheet(file: string, dateFormat: DateFormat): Promise<Sheet> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return readCsv(await readFile(file));
  if (extension === '.xlsx') return readXlsx(file, dateFormat);
  throw new Error(`${file}: a .csv or .xlsx file is needed`);
}

function readCsv(content: Buffer): Sheet {
  const records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as Array<{
    record: string[];
    info: { lines: number };
  }>;
  const [head, ...body] = records;
  const headers = (head?.record ?? []).map((h) => h.trim());
  return {
    headers,
    rows: body.map(({ record, info }) => ({
      rowNumber: info.lines,
      cells: Object.fromEntries(headers.map((h, i) => [h, record[i] ?? ''])),
    })),
  };
}

function cellText(value: ExcelJS.CellValue, dateFormat: DateFormat): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatDate(value, dateFormat);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue, dateFormat); // a formula: its value
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text); // a hyperlink
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

async function readXlsx(file: string, dateFormat: DateFormat): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { headers: [], rows: [] };
  const headerRow = sheet.getRow(1);
  const headers: string[] = [];
  headerRow.eachCell({ includeEmpty: true }, (c, column) => (headers[column - 1] = cellText(c.value, dateFormat).trim()));
  const rows: SheetRow[] = [];
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = Object.fromEntries(headers.map((h, i) => [h, cellText(row.getCell(i + 1).value, dateFormat)]));
    if (Object.values(cells).every((v) => v.trim() === '')) return;
    rows.push({ rowNumber, cells });
  });
  return { headers: headers.map((h) => h ?? ''), rows };
}
