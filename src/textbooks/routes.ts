import type { Routes } from '../http/types.js';
import { curriculumRoutes } from './routes/curriculum.js';
import { issueRoutes } from './routes/issues.js';
import { stockRoutes } from './routes/stock.js';
import { supplyRoutes } from './routes/supply.js';

/** The textbook fund, kept by title and count (src/textbooks/routes/, one module per subject). */
export const textbooksRoutes: Routes = async (app) => {
  await curriculumRoutes(app);
  await stockRoutes(app);
  await issueRoutes(app);
  await supplyRoutes(app);
};
