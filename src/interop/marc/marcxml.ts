import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { isControlField, type Field, type MarcRecord } from './record.js';

export const MARCXML_NS = 'http://www.loc.gov/MARC21/slim';

export interface XmlRecordResult {
  number: number;
  record?: MarcRecord;
  /** The record's own XML as in the file, with the namespaces it inherits declared on it. */
  xml: string;
  error?: { code: string; params?: Record<string, string | number> };
}

/** An element of MARC's own (`leader`, `controlfield`, `datafield`) being read. */
interface Capture {
  name: 'leader' | 'controlfield' | 'datafield' | 'subfield';
  attributes: Record<string, string>;
  text: string;
}

/** A `record` element: a MARC record if it has a leader, control or data field of its own (an OAI-PMH `record` has not). */
interface RecordFrame {
  start: number;
  depth: number;
  /** Namespace declarations in scope from the record's ancestors. */
  inherited: Record<string, string>;
  leader?: string;
  fields: Field[];
  marc: boolean;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);
const prefixOf = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '');

/**
 * Reads MARCXML (namespaced or not, prefixed or not; a collection, a single record, or records
 * wrapped in another document such as an OAI-PMH response) as a stream of events, slice by slice,
 * so a file of 50,000 records neither holds up the server nor builds a tree of the whole file. A
 * record without a leader is reported, the others are kept. The XML each record keeps is its own
 * text from the file; a namespace it inherits from an ancestor is declared on it, so it reads
 * on its own.
 */
export class MarcXmlReader {
  readonly records: XmlRecordResult[] = [];
  private parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private offset = 0;
  private depth = 0;
  /** Namespace declarations of the open elements, innermost last. */
  private scopes: Record<string, string>[] = [];
  private frames: RecordFrame[] = [];
  private capture: Capture | null = null;
  private datafield: { tag: string; ind1: string; ind2: string; subfields: { code: string; value: string }[] } | null = null;

  constructor(private text: string) {
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.close(tag));
    this.parser.on('text', (text) => this.addText(text));
    this.parser.on('cdata', (text) => this.addText(text));
  }

  get done(): boolean {
    return this.offset >= this.text.length;
  }

  /** Reads the next `chars` characters of the text; throws at the first place that is not well-formed XML. */
  step(chars: number): void {
    if (this.done) return;
    const end = Math.min(this.text.length, this.offset + chars);
    this.parser.write(this.text.slice(this.offset, end));
    this.offset = end;
    if (this.done) this.parser.close();
  }

  private open(tag: SaxesTagPlain): void {
    this.depth++;
    const declared: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) declared[name] = value;
    }
    this.scopes.push(declared);
    const name = localName(tag.name);
    const frame = this.frames.at(-1);
    if (name === 'record') {
      // the '<' of this start tag: the last one before where the parser stands
      const start = this.text.lastIndexOf('<', this.parser.position - 1);
      const inherited: Record<string, string> = {};
      for (const scope of this.scopes.slice(0, -1)) Object.assign(inherited, scope);
      this.frames.push({ start, depth: this.depth, inherited, fields: [], marc: false });
    } else if (frame && this.depth === frame.depth + 1 && (name === 'leader' || name === 'controlfield' || name === 'datafield')) {
      frame.marc = true;
      if (name === 'datafield') {
        const a = tag.attributes;
        this.datafield = { tag: a.tag ?? '', ind1: (a.ind1 ?? ' ').slice(0, 1) || ' ', ind2: (a.ind2 ?? ' ').slice(0, 1) || ' ', subfields: [] };
      } else this.capture = { name, attributes: tag.attributes, text: '' };
    } else if (frame && this.datafield && this.depth === frame.depth + 2 && name === 'subfield') {
      this.capture = { name, attributes: tag.attributes, text: '' };
    }
  }

  private addText(text: string): void {
    if (this.capture) this.capture.text += text;
  }

  private close(tag: SaxesTagPlain): void {
    const name = localName(tag.name);
    const frame = this.frames.at(-1);
    if (frame && this.depth === frame.depth && name === 'record') {
      this.frames.pop();
      if (frame.marc) this.records.push(this.recordOf(frame, tag));
    } else if (frame && this.capture && this.capture.name === name) {
      const { attributes, text } = this.capture;
      if (name === 'leader') frame.leader = text;
      else if (name === 'controlfield') frame.fields.push({ tag: attributes.tag ?? '', value: text });
      else if (name === 'subfield') this.datafield?.subfields.push({ code: attributes.code ?? '', value: text });
      this.capture = null;
    } else if (frame && this.datafield && name === 'datafield' && this.depth === frame.depth + 1) {
      frame.fields.push(this.datafield);
      this.datafield = null;
    }
    this.scopes.pop();
    this.depth--;
  }

  private recordOf(frame: RecordFrame, tag: SaxesTagPlain): XmlRecordResult {
    const number = this.records.length + 1;
    const xml = this.ownXml(frame, tag);
    const { leader, fields } = frame;
    if (!leader || leader.length !== 24) return { number, xml, error: { code: 'interop.bad_leader', params: { leader: leader ?? '' } } };
    if (fields.some((f) => !/^[0-9A-Za-z]{3}$/.test(f.tag))) return { number, xml, error: { code: 'interop.bad_tag' } };
    return { number, xml, record: { leader, fields } };
  }

  /** The record's text, with the declarations it needs from its ancestors added to its start tag. */
  private ownXml(frame: RecordFrame, tag: SaxesTagPlain): string {
    const xml = this.text.slice(frame.start, this.parser.position);
    const wanted: Record<string, string> = {};
    const prefix = prefixOf(tag.name);
    const key = prefix ? `xmlns:${prefix}` : 'xmlns';
    // records outside any namespace are MARCXML all the same
    const inherited = frame.inherited[key] ?? (prefix ? undefined : MARCXML_NS);
    if (inherited !== undefined && tag.attributes[key] === undefined) wanted[key] = inherited;
    if (!Object.keys(wanted).length) return xml;
    const at = frame.start + 1 + tag.name.length;
    const declarations = Object.entries(wanted).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
    return xml.slice(0, at - frame.start) + declarations + xml.slice(at - frame.start);
  }
}

/** Reads a whole MARCXML text at once; throws if it is not well-formed XML. */
export function readMarcXml(text: string): XmlRecordResult[] {
  const reader = new MarcXmlReader(text);
  reader.step(text.length);
  return reader.records;
}

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * An indicator as MARCXML can hold it: a digit, a lowercase letter or a blank (MARC 21). Some
 * systems export '#', the sign documentation prints for a blank, and that is a blank; an uppercase
 * letter is taken for its lowercase; anything else, or nothing, is a blank. ISO 2709 export keeps
 * the indicator as it came.
 */
export function marcXmlIndicator(value: string | undefined): string {
  const c = value?.[0] ?? ' ';
  if (/^[0-9a-z ]$/.test(c)) return c;
  return /^[A-Z]$/.test(c) ? c.toLowerCase() : ' ';
}

export function writeMarcXmlRecord(record: MarcRecord, indent = ''): string {
  const lines = [`${indent}<record xmlns="${MARCXML_NS}">`, `${indent}  <leader>${escapeXml(record.leader)}</leader>`];
  for (const f of record.fields) {
    if (isControlField(f)) {
      lines.push(`${indent}  <controlfield tag="${escapeXml(f.tag)}">${escapeXml(f.value)}</controlfield>`);
      continue;
    }
    lines.push(`${indent}  <datafield tag="${escapeXml(f.tag)}" ind1="${marcXmlIndicator(f.ind1)}" ind2="${marcXmlIndicator(f.ind2)}">`);
    for (const s of f.subfields) lines.push(`${indent}    <subfield code="${escapeXml(s.code)}">${escapeXml(s.value)}</subfield>`);
    lines.push(`${indent}  </datafield>`);
  }
  lines.push(`${indent}</record>`);
  return lines.join('\n');
}

export function writeMarcXmlCollection(records: MarcRecord[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<collection xmlns="${MARCXML_NS}">`,
    ...records.map((r) => writeMarcXmlRecord(r, '  ')),
    '</collection>',
    '',
  ].join('\n');
}
