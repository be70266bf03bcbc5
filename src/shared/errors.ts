/**
 * One error type for the whole product: a stable code (also the translation key),
 * an HTTP status and the values the translated message needs. Domain logic throws it;
 * the HTTP layer renders it in the reader's language.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, string | number> = {},
    readonly details?: unknown,
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const notFound = (entity: string, id?: string | number) =>
  new AppError('common.not_found', 404, { entity, id: id ?? '' });
export const forbidden = () => new AppError('auth.forbidden', 403);
export const unauthorised = () => new AppError('auth.unauthorised', 401);
export const invalid = (code: string, params: Record<string, string | number> = {}, details?: unknown) =>
  new AppError(code, 400, params, details);
export const conflict = (code: string, params: Record<string, string | number> = {}, details?: unknown) =>
  new AppError(code, 409, params, details);

/** PostgreSQL's unique_violation, raised by both drivers with the same SQLSTATE. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e?.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
