import { XMLParser } from 'fast-xml-parser';
import { isControlField, type Field, type MarcRecord } from './record.js';

export const MARCXML_NS = 'http://www.loc.gov/MARC21/slim';

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

const nameOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@')!;
const childrenOf = (node: XmlNode) => (node[nameOf(node)] as XmlNode[]) ?? [];
const textOf = (node: XmlNode) =>
  childrenOf(node)
    .map((c) => (typeof c['#text'] === 'string' || typeof c['#text'] === 'number' ? String(c['#text']) : ''))
    .join('');

export interface XmlRecordResult {
  number: number;
  record?: MarcRecord;
  /** The record's own XML, kept as the original. */
  xml: string;
  error?: { code: string; params?: Record<string, string | number> };
}

/**
 * Reads MARCXML (namespaced or not; a collection, a single record, or records wrapped in another
 * document such as an OAI-PMH response). A record without a leader is reported, the others are kept.
 */
export function readMarcXml(text: string): XmlRecordResult[] {
  const tree = parser.parse(text) as XmlNode[];
  const records: XmlNode[] = [];
  const collect = (nodes: XmlNode[]) => {
    for (const node of nodes) {
      if (node['#text'] !== undefined || node['?xml'] !== undefined) continue;
      if (nameOf(node) === 'record' && childrenOf(node).some((c) => ['leader', 'datafield', 'controlfield'].includes(nameOf(c)))) {
        records.push(node);
      } else collect(childrenOf(node));
    }
  };
  collect(tree);
  return records.map((node, i) => readRecord(node, i + 1));
}

function readRecord(node: XmlNode, number: number): XmlRecordResult {
  const xml = writeRecordNode(node);
  let leader: string | undefined;
  const fields: Field[] = [];
  for (const child of childrenOf(node)) {
    if (child['#text'] !== undefined) continue;
    const name = nameOf(child);
    const attrs = child[':@'] ?? {};
    if (name === 'leader') leader = textOf(child);
    else if (name === 'controlfield') fields.push({ tag: attrs.tag ?? '', value: textOf(child) });
    else if (name === 'datafield') {
      fields.push({
        tag: attrs.tag ?? '',
        ind1: (attrs.ind1 ?? ' ').slice(0, 1) || ' ',
        ind2: (attrs.ind2 ?? ' ').slice(0, 1) || ' ',
        subfields: childrenOf(child)
          .filter((s) => s['#text'] === undefined && nameOf(s) === 'subfield')
          .map((s) => ({ code: s[':@']?.code ?? '', value: textOf(s) })),
      });
    }
  }
  if (!leader || leader.length !== 24) return { number, xml, error: { code: 'interop.bad_leader', params: { leader: leader ?? '' } } };
  if (fields.some((f) => !/^[0-9A-Za-z]{3}$/.test(f.tag))) return { number, xml, error: { code: 'interop.bad_tag' } };
  return { number, xml, record: { leader, fields } };
}

/** Re-serialises a parsed record node, so each record's original XML can be kept on its own. */
function writeRecordNode(node: XmlNode): string {
  const name = nameOf(node);
  if (name === '#text') return escapeXml(String(node['#text']));
  const attrs = Object.entries(node[':@'] ?? {})
    .filter(([k]) => !k.startsWith('xmlns'))
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  const ns = name === 'record' ? ` xmlns="${MARCXML_NS}"` : '';
  return `<${name}${ns}${attrs}>${childrenOf(node).map(writeRecordNode).join('')}</${name}>`;
}

export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function writeMarcXmlRecord(record: MarcRecord, indent = ''): string {
  const lines = [`${indent}<record xmlns="${MARCXML_NS}">`, `${indent}  <leader>${escapeXml(record.leader)}</leader>`];
  for (const f of record.fields) {
    if (isControlField(f)) {
      lines.push(`${indent}  <controlfield tag="${escapeXml(f.tag)}">${escapeXml(f.value)}</controlfield>`);
      continue;
    }
    lines.push(`${indent}  <datafield tag="${escapeXml(f.tag)}" ind1="${escapeXml(f.ind1)}" ind2="${escapeXml(f.ind2)}">`);
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
