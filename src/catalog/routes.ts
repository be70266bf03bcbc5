import type { Routes } from '../http/types.js';
import { cataloguingAidRoutes } from './routes/aids.js';
import { authorRoutes } from './routes/authors.js';
import { searchRoutes } from './routes/search.js';
import { workRoutes } from './routes/works.js';

/** The shared catalogue (src/catalog/routes/, one module per subject). */
export const catalogRoutes: Routes = async (app) => {
  await searchRoutes(app);
  await workRoutes(app);
  await cataloguingAidRoutes(app);
  await authorRoutes(app);
};
