// Reads a .docx as Word would: unzipped (jszip, which exceljs already brings), its word/document.xml.
import JSZip from 'jszip';

export async function documentXml(docx: Buffer): Promise<string> {
  const file = (await JSZip.loadAsync(docx)).file('word/document.xml');
  if (!file) throw new Error('no word/document.xml in the document');
  return file.async('string');
}

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The document's paragraphs as text, one a line (table cells are paragraphs too). */
export async function documentText(docx: Buffer): Promise<string> {
  const xml = await documentXml(docx);
  return [...xml.matchAll(/<w:p[ >].*?<\/w:p>/gs)]
    .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''))
    .join('\n');
}

/** Every table row as its cells' text. */
export async function documentTableRows(docx: Buffer): Promise<string[][]> {
  const xml = await documentXml(docx);
  return [...xml.matchAll(/<w:tr[ >].*?<\/w:tr>/gs)].map((row) =>
    [...row[0].matchAll(/<w:tc>.*?<\/w:tc>/gs)].map((c) =>
      [...c[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => unescape(t[1]!)).join(''),
    ),
  );
}
