import { backupRoutes } from '../backup/routes.js';
import { catalogRoutes } from '../catalog/routes.js';
import { circulationRoutes } from '../circulation/routes.js';
import { reservationRoutes } from '../circulation/reservation-routes.js';
import { fundRoutes } from '../fund/routes.js';
import { accountingRoutes } from '../fund/accounting/routes.js';
import { interopRoutes } from '../interop/routes.js';
import { orgRoutes } from '../org/routes.js';
import { privacyRoutes } from '../readers/privacy-routes.js';
import { readersRoutes } from '../readers/routes.js';
import { readingRoutes } from '../reading/routes.js';
import { reclistRoutes } from '../reclist/routes.js';
import { reportsRoutes } from '../reports/routes.js';
import { textbooksRoutes } from '../textbooks/routes.js';
import { calendarRoutes } from '../calendar/routes.js';
import { eventsRoutes } from '../events/routes.js';
import { referenceRoutes } from '../reference/routes.js';
import type { Routes } from './types.js';

/** Every domain's HTTP routes, all under /api. */
export const domainRoutes: Routes[] = [
  orgRoutes,
  catalogRoutes,
  fundRoutes,
  accountingRoutes,
  readersRoutes,
  privacyRoutes,
  circulationRoutes,
  reservationRoutes,
  textbooksRoutes,
  reclistRoutes,
  readingRoutes,
  interopRoutes,
  reportsRoutes,
  backupRoutes,
  calendarRoutes,
  eventsRoutes,
  referenceRoutes,
];
