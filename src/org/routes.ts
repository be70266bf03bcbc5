import type { Routes } from '../http/types.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { organisationRoutes } from './routes/organisations.js';

/** Signing in, organisations, accounts and the audit log (src/org/routes/, one module per subject). */
export const orgRoutes: Routes = async (app) => {
  await authRoutes(app);
  await organisationRoutes(app);
  await auditRoutes(app);
};
