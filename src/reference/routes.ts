import type { Routes } from '../http/types.js';

export const referenceRoutes: Routes = async () => {};
