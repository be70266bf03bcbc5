import dns from 'node:dns/promises';
import net from 'node:net';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Actor } from '../auth/actor.js';
import { audit } from '../org/audit.js';
import type { Executor } from '../db/executor.js';
import { AppError, invalid, notFound } from '../shared/errors.js';

/** Large enough for a phone photo of a cover, small enough for an old school PC's upload. */
export const MAX_COVER_BYTES = 2 * 1024 * 1024;

export type CoverMime = 'image/jpeg' | 'image/png';

/** A cover larger than this many megapixels is refused before its pixels are allocated. */
const MAX_COVER_MEGAPIXELS = 40;

/** What the bytes claim to be, read from their signature: the file name and the browser's claim are not trusted. */
export function coverMimeOf(bytes: Uint8Array): CoverMime | 'image/webp' | null {
  const b = bytes;
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a) return 'image/png';
  if (b.length > 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'image/webp';
  return null;
}

/** The address the record shows for its own uploaded cover; the version makes browsers fetch a new one. */
export function coverAddress(workId: number, version: Date): string {
  return `/api/catalog/works/${workId}/cover?v=${version.getTime()}`;
}

/**
 * The kind of a cover whose every pixel was decoded: a file that only starts like an image
 * (truncated, corrupt, or another file behind a borrowed signature) is refused before it is
 * stored and served to pupils' browsers. WebP is refused: no decoder without a native binary
 * is well kept, and a phone or a scanner saves covers as JPEG or PNG.
 */
export function decodedCoverMime(bytes: Uint8Array): CoverMime {
  const mime = coverMimeOf(bytes);
  if (mime === 'image/webp') throw invalid('catalog.cover_webp');
  if (!mime) throw invalid('catalog.cover_not_image');
  try {
    if (mime === 'image/jpeg') {
      jpeg.decode(bytes, { useTArray: true, tolerantDecoding: false, maxResolutionInMP: MAX_COVER_MEGAPIXELS, maxMemoryUsageInMB: 256 });
    } else {
      const header = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // the header's size is checked first: a small file may declare a picture of gigabytes
      if (header.length >= 24 && header.readUInt32BE(16) * header.readUInt32BE(20) > MAX_COVER_MEGAPIXELS * 1e6) throw new Error('too many pixels');
      PNG.sync.read(header);
    }
  } catch {
    throw invalid('catalog.cover_broken');
  }
  return mime;
}

/** Stores a cover for a record of the shared catalogue and points the record at it. */
export async function saveCover(db: Executor, actor: Actor | null, workId: number, bytes: Uint8Array): Promise<string> {
  if (bytes.length > MAX_COVER_BYTES) throw invalid('catalog.cover_too_large', { max: MAX_COVER_BYTES / 1024 / 1024 });
  const mime = decodedCoverMime(bytes);
  const work = await db.selectFrom('catalog.works').select('id').where('id', '=', workId).forUpdate().executeTakeFirst();
  if (!work) throw notFound('work', workId);
  const now = new Date();
  const image = Buffer.from(bytes);
  await db
    .insertInto('catalog.covers')
    .values({ work_id: workId, mime, bytes: image, updated_at: now })
    .onConflict((oc) => oc.column('work_id').doUpdateSet({ mime, bytes: image, updated_at: now }))
    .execute();
  const address = coverAddress(workId, now);
  await db.updateTable('catalog.works').set({ cover_url: address, updated_at: now }).where('id', '=', workId).execute();
  await audit(db, actor, 'update', 'work', workId, { cover: mime, bytes: bytes.length }, null);
  return address;
}

export async function readCover(db: Executor, workId: number): Promise<{ mime: CoverMime; bytes: Buffer; updatedAt: Date }> {
  const row = await db.selectFrom('catalog.covers').select(['mime', 'bytes', 'updated_at']).where('work_id', '=', workId).executeTakeFirst();
  if (!row) throw notFound('cover', workId);
  return { mime: row.mime as CoverMime, bytes: Buffer.from(row.bytes), updatedAt: new Date(row.updated_at) };
}

/** Removes an uploaded cover; the record is left without one. */
export async function removeCover(db: Executor, actor: Actor | null, workId: number): Promise<void> {
  const gone = await db.deleteFrom('catalog.covers').where('work_id', '=', workId).returning('work_id').executeTakeFirst();
  if (!gone) throw notFound('cover', workId);
  await db.updateTable('catalog.works').set({ cover_url: null, updated_at: new Date() }).where('id', '=', workId).execute();
  await audit(db, actor, 'update', 'work', workId, { cover: null }, null);
}

/** The address of a cover this server stores: the only kind a browser is ever given. */
export function isOwnCoverAddress(url: string | null | undefined): boolean {
  return !!url && /^\/api\/catalog\/works\/\d+\/cover(\?v=\d+)?$/.test(url);
}

const FETCH_TIMEOUT_MS = 10_000;

/** Loopback, private, link-local and unique-local addresses: a cover URL may not make the server reach into the school's network. */
function isPrivateAddress(address: string): boolean {
  if (net.isIPv4(address)) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/**
 * Fetches a cover image from a URL the librarian gave, so that it is stored and served by the
 * library's own server: a pupil's browser never asks a third party for it. Refused with a
 * translated 4xx when the address cannot be reached, answers with an error, or is not an image.
 */
export async function fetchCover(url: string): Promise<Uint8Array> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw invalid('catalog.cover_bad_url');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw invalid('catalog.cover_bad_url');
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (process.env.KITAPHANA_COVERS_ALLOW_LOCAL !== 'true') {
    let addresses: string[];
    try {
      addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw new AppError('catalog.cover_unreachable', 422, { host });
    }
    if (addresses.some(isPrivateAddress)) throw invalid('catalog.cover_bad_url');
  }
  let res: Response;
  try {
    res = await fetch(target, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow', headers: { accept: 'image/*' } });
  } catch {
    throw new AppError('catalog.cover_unreachable', 422, { host });
  }
  if (!res.ok || !res.body) throw new AppError('catalog.cover_unreachable', 422, { host });
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > MAX_COVER_BYTES) throw invalid('catalog.cover_too_large', { max: MAX_COVER_BYTES / 1024 / 1024 });
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  decodedCoverMime(bytes);
  return bytes;
}
