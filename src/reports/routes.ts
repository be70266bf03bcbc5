import type { Routes } from '../http/types.js';

export const reportsRoutes: Routes = async () => {};
