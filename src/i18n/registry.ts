import type { Messages } from './types.js';
import { messages as catalog } from '../catalog/messages.js';
import { messages as fund } from '../fund/messages.js';
import { messages as accounting } from '../fund/accounting/messages.js';
import { messages as readers } from '../readers/messages.js';
import { messages as circulation } from '../circulation/messages.js';
import { messages as textbooks } from '../textbooks/messages.js';
import { messages as reading } from '../reading/messages.js';
import { messages as reclist } from '../reclist/messages.js';
import { messages as interop } from '../interop/messages.js';
import { messages as reports } from '../reports/messages.js';
import { messages as org } from '../org/messages.js';
import { messages as backup } from '../backup/messages.js';
import { messages as calendar } from '../calendar/messages.js';
import { messages as events } from '../events/messages.js';
import { messages as reference } from '../reference/messages.js';

/** Each domain keeps the translations of its own errors beside its code. */
export const domainMessages: Messages[] = [org, catalog, fund, accounting, readers, circulation, textbooks, reclist, reading, interop, reports, backup, calendar, events, reference];
