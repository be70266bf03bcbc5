import type { Routes } from '../http/types.js';
import { actionRoutes } from './routes/actions.js';
import { bingoRoutes } from './routes/bingo.js';
import { challengeRoutes } from './routes/challenges.js';
import { communityRoutes } from './routes/community.js';
import { contestRoutes } from './routes/contests.js';
import { drawRoutes } from './routes/draws.js';
import { myRoutes } from './routes/my.js';
import { recordRoutes } from './routes/records.js';
import { standingRoutes } from './routes/standings.js';

/** The reading movement (src/reading/routes/, one module per subject). */
export const readingRoutes: Routes = async (app) => {
  await recordRoutes(app);
  await myRoutes(app);
  await standingRoutes(app);
  await contestRoutes(app);
  await challengeRoutes(app);
  await bingoRoutes(app);
  await drawRoutes(app);
  await communityRoutes(app);
  await actionRoutes(app);
};
