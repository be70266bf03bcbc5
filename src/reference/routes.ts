import type { Routes } from '../http/types.js';
import { documentRoutes } from './routes/documents.js';
import { listRoutes } from './routes/lists.js';
import { requestRoutes } from './routes/requests.js';

/** The reference service of a library (src/reference/routes/, one module per subject). */
export const referenceRoutes: Routes = async (app) => {
  await requestRoutes(app);
  await listRoutes(app);
  await documentRoutes(app);
};
