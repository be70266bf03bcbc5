/** A MARC record as both MARC 21 and UNIMARC/RUSMARC shape it: a leader and ordered fields. */
export interface Subfield {
  code: string;
  value: string;
}

export interface ControlField {
  tag: string;
  value: string;
}

export interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export type Field = ControlField | DataField;

export interface MarcRecord {
  leader: string;
  fields: Field[];
}

/** Fields 001–009 (and 00X in local use) carry data without indicators or subfields. */
export const isControlTag = (tag: string) => tag.startsWith('00');

export const isControlField = (field: Field): field is ControlField => 'value' in field;

export function dataFields(record: MarcRecord, ...tags: string[]): DataField[] {
  const list: DataField[] = [];
  for (const f of record.fields) if (tags.includes(f.tag) && !isControlField(f)) list.push(f);
  return list;
}

export function controlValue(record: MarcRecord, tag: string): string | undefined {
  const field = record.fields.find((f) => f.tag === tag && isControlField(f));
  return field && isControlField(field) ? field.value : undefined;
}

export function subfield(field: DataField | undefined, code: string): string | undefined {
  if (!field) return undefined;
  for (const s of field.subfields) if (s.code === code) return s.value;
  return undefined;
}

export function subfields(field: DataField, ...codes: string[]): string[] {
  return field.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value);
}

/** The first value of tag$code across the record. */
export function firstValue(record: MarcRecord, tag: string, code: string): string | undefined {
  for (const f of dataFields(record, tag)) {
    const v = subfield(f, code);
    if (v !== undefined && v.trim()) return v;
  }
  return undefined;
}
