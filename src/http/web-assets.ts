import path from 'node:path';
import type { FastifyStaticOptions } from '@fastify/static';

/** A file of the build whose name carries a hash of its content: a new build gives it a new name. */
const HASHED = `${path.sep}assets${path.sep}`;

/** One year, never revalidated: the file at that address never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html (and any file without a hash) is checked each time, so a new build is seen at once. */
export const REVALIDATE = 'no-cache';

/**
 * How the built web UI is served. The build leaves brotli and gzip copies beside each text file
 * (web/build/precompress.ts); the one the browser accepts is sent as it is, with Content-Encoding and
 * `Vary: Accept-Encoding`. Hashed files under /assets are cached for good; the page itself is not.
 */
export function webAssetOptions(root: string): FastifyStaticOptions {
  return {
    root,
    wildcard: false,
    preCompressed: true,
    // the headers below replace the plugin's default `public, max-age=0`
    cacheControl: false,
    setHeaders(reply, file) {
      const relative = path.relative(root, file);
      reply.header('cache-control', `${path.sep}${relative}`.startsWith(HASHED) ? IMMUTABLE : REVALIDATE);
    },
  };
}
