import type { Routes } from '../http/types.js';
import { clubRoutes } from './routes/clubs.js';
import { exhibitionRoutes } from './routes/exhibitions.js';
import { heldRoutes } from './routes/held.js';
import { planRoutes } from './routes/plans.js';
import { figuresAndPublicRoutes } from './routes/public.js';

/** The mass work of a library (src/events/routes/, one module per subject). */
export const eventsRoutes: Routes = async (app) => {
  await planRoutes(app);
  await heldRoutes(app);
  await exhibitionRoutes(app);
  await clubRoutes(app);
  await figuresAndPublicRoutes(app);
};
