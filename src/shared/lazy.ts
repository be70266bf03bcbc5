import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A library that is loaded on its first use, not when the server starts. The document and file
 * libraries (PDF, XLSX, barcodes, mail, the password dictionaries) hold some 100 MB once loaded, and
 * most of a day's requests need none of them. Loaded synchronously, so that the functions that use
 * them keep their signatures; the first PDF or spreadsheet of a run waits for the load.
 */
export function lazy<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}
