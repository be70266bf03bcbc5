// marcjs ships no types; only its ISO 2709 reader is used, to cross-check our writer in tests.
declare module 'marcjs' {
  const marcjs: { Marc: { parse(raw: Buffer, type: 'iso2709' | 'marcxml' | 'mij'): { leader: string; fields: string[][] } } };
  export default marcjs;
}
