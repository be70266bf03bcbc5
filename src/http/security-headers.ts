import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './types.js';

/**
 * Pages made to be embedded in other sites (a school's website showing its catalogue): the only
 * answers another site may frame. Path prefixes of the web UI; add a page here when it is built
 * for embedding. Everything else refuses to be framed (frame-ancestors 'none').
 */
export const EMBEDDABLE_PAGES: string[] = [
  // a library's public page: its events, exhibitions (virtual ones too) and new acquisitions; it reads only /api/public
  '/public',
];

export function isEmbeddable(url: string): boolean {
  const path = url.split('?')[0]!;
  return EMBEDDABLE_PAGES.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

/**
 * The policy of the web UI: scripts, styles, fonts and requests from this server only; images from
 * this server and the data:/blob: addresses the pages make themselves (previews, charts, barcodes).
 * Inline styles are allowed (React and ECharts set style attributes); inline scripts are not.
 */
function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

const PAGE_POLICY = contentSecurityPolicy("'none'");
const EMBEDDABLE_POLICY = contentSecurityPolicy('*');
/**
 * A PDF the server makes opens in the browser's own viewer, which a document policy would block;
 * it gets only the frame rule (our pages may show it in a frame, other sites may not).
 */
const PDF_POLICY = "frame-ancestors 'self'";

/** One year; sent only on answers that came over TLS, as a browser ignores it otherwise. */
const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Security headers on every answer: a Content-Security-Policy, nosniff, a Referrer-Policy, no framing by
 * other sites, HSTS over TLS, and no caching of API answers (they carry readers' data) unless a route
 * says otherwise (a cover image may be cached).
 */
export function installSecurityHeaders(app: App, options: { tls?: boolean } = {}): void {
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    const embeddable = isEmbeddable(req.url);
    const pdf = type.startsWith('application/pdf');
    reply.header('content-security-policy', pdf ? PDF_POLICY : embeddable ? EMBEDDABLE_POLICY : PAGE_POLICY);
    if (!embeddable) reply.header('x-frame-options', pdf ? 'SAMEORIGIN' : 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (options.tls || req.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
