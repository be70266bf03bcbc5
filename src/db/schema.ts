import type { CatalogTables } from '../catalog/schema.js';
import type { CirculationTables } from '../circulation/schema.js';
import type { FundTables } from '../fund/schema.js';
import type { AccountingTables } from '../fund/accounting/schema.js';
import type { InteropTables } from '../interop/schema.js';
import type { OrgTables } from '../org/schema.js';
import type { ReadersTables } from '../readers/schema.js';
import type { ReadingTables } from '../reading/schema.js';
import type { ReclistTables } from '../reclist/schema.js';
import type { TextbooksTables } from '../textbooks/schema.js';
import type { CalendarTables } from '../calendar/schema.js';
import type { EventsTables } from '../events/schema.js';
import type { ReferenceTables } from '../reference/schema.js';

/** Every table, named schema.table; each domain declares its own. */
export interface Database
  extends OrgTables,
    CatalogTables,
    FundTables,
    AccountingTables,
    ReadersTables,
    CirculationTables,
    TextbooksTables,
    ReclistTables,
    InteropTables,
    ReadingTables,
    CalendarTables,
    EventsTables,
    ReferenceTables {}
