/**
 * The only API routes a visitor may call without signing in. Everything else under /api
 * is refused with 401 before its input is even validated: deny by default, so a route
 * added later cannot be left open by forgetting a check.
 */
export const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'GET /api/openapi.json',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  // the public catalogue (OPAC): bibliographic data and availability counts, never readers
  'GET /api/catalog/search',
  'GET /api/catalog/works/:id',
  'GET /api/catalog/works/:id/cover',
  // harvesting by the national union base
  'GET /api/oai',
  'POST /api/oai',
  'GET /api/sru',
]);

export function isPublicRoute(method: string, routeUrl: string | undefined): boolean {
  return routeUrl !== undefined && PUBLIC_ROUTES.has(`${method} ${routeUrl}`);
}
