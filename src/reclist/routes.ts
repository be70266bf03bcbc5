import type { Routes } from '../http/types.js';
import { coverageRoutes } from './routes/coverage.js';
import { matchingRoutes } from './routes/matching.js';
import { monitoringRoutes } from './routes/monitoring.js';
import { versionRoutes } from './routes/versions.js';

/** The recommended list: its versions, matching, coverage and monitoring upward (src/reclist/routes/, one module per subject). */
export const reclistRoutes: Routes = async (app) => {
  await versionRoutes(app);
  await matchingRoutes(app);
  await coverageRoutes(app);
  await monitoringRoutes(app);
};
