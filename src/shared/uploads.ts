/**
 * Bounds of a file sent to the server (a roster, a MARC file, a list): far above what a real
 * school sends — a roster of a whole school is a few hundred rows, a library's catalogue a few
 * tens of thousands of records — and low enough that reading one never takes the server's memory
 * past a few hundred megabytes or holds the desk up. Past them the file is refused whole, with
 * a translated error naming the bound.
 */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_UPLOAD_MEGABYTES = MAX_UPLOAD_BYTES / 1024 / 1024;
export const MAX_UPLOAD_ROWS = 100_000;

/** Whether an error is the multipart reader's refusal of a file larger than its limit. */
export const isFileTooLarge = (err: unknown): boolean => (err as { code?: string } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
