import type { Transaction } from 'kysely';
import type { Db } from './connect.js';
import type { Database } from './schema.js';

/** The database or a transaction on it: domain functions take either. */
export type Executor = Db | Transaction<Database>;
