import { lazy, type ComponentType, type ReactNode } from 'react';
import type { Role } from './session.js';

/** Menu groups, in menu order; labels are 'nav.section.<section>'. */
export const SECTIONS = ['catalog', 'circulation', 'readers', 'fund', 'events', 'reading', 'reports', 'admin', 'my'] as const;
export type Section = (typeof SECTIONS)[number];

export interface PageDef {
  /** react-router path, e.g. '/catalog/works/:id'. */
  path: string;
  /** Translation key of the menu entry and the page title. */
  labelKey: string;
  /** Who may open it; 'public' pages also work without signing in. */
  roles: Role[] | 'public';
  section: Section;
  element: ReactNode;
  /** False for pages reached from other pages (a work, a reader), not from the menu. */
  menu?: boolean;
}

/** A page component loaded only when first opened, so the phone of a student downloads little. */
function load(importer: () => Promise<{ default: ComponentType }>): ReactNode {
  const Page = lazy(importer);
  return <Page />;
}

const STAFF: Role[] = ['admin', 'librarian'];

/** The one registry of pages: the router and the menu are both built from it. */
export const pages: PageDef[] = [
  { path: '/', labelKey: 'nav.catalog.search', roles: 'public', section: 'catalog', element: load(() => import('./pages/catalog/SearchPage.js')) },
  { path: '/catalog/works/:id', labelKey: 'nav.catalog.search', roles: 'public', section: 'catalog', menu: false, element: load(() => import('./pages/catalog/WorkPage.js')) },
  { path: '/catalog/new', labelKey: 'nav.catalog.new', roles: STAFF, section: 'catalog', element: load(() => import('./pages/catalog/NewWorkPage.js')) },
  { path: '/interop/marc', labelKey: 'nav.interop.marc', roles: STAFF, section: 'catalog', element: load(() => import('./pages/interop/MarcPage.js')) },
  { path: '/desk', labelKey: 'nav.circulation.desk', roles: STAFF, section: 'circulation', element: load(() => import('./pages/circulation/DeskPage.js')) },
  { path: '/desk/holds', labelKey: 'nav.circulation.holds', roles: STAFF, section: 'circulation', element: load(() => import('./pages/circulation/HoldsPage.js')) },
  { path: '/readers', labelKey: 'nav.readers.list', roles: STAFF, section: 'readers', element: load(() => import('./pages/readers/ReadersPage.js')) },
  { path: '/readers/new', labelKey: 'nav.readers.new', roles: STAFF, section: 'readers', menu: false, element: load(() => import('./pages/readers/ReaderPage.js')) },
  { path: '/readers/requests', labelKey: 'nav.readers.requests', roles: STAFF, section: 'readers', element: load(() => import('./pages/privacy/RequestsPage.js')) },
  { path: '/readers/:id', labelKey: 'nav.readers.list', roles: STAFF, section: 'readers', menu: false, element: load(() => import('./pages/readers/ReaderPage.js')) },
  { path: '/readers/import', labelKey: 'nav.readers.import', roles: STAFF, section: 'readers', element: load(() => import('./pages/readers/ImportPage.js')) },
  { path: '/readers/promotion', labelKey: 'nav.readers.promotion', roles: STAFF, section: 'readers', element: load(() => import('./pages/readers/PromotionPage.js')) },
  { path: '/debtors', labelKey: 'nav.circulation.debtors', roles: ['admin', 'librarian', 'teacher'], section: 'circulation', element: load(() => import('./pages/circulation/DebtorsPage.js')) },
  { path: '/my', labelKey: 'nav.circulation.my', roles: ['student', 'parent'], section: 'my', element: load(() => import('./pages/circulation/MyBooksPage.js')) },
  { path: '/my/data', labelKey: 'nav.my.data', roles: ['student', 'parent'], section: 'my', element: load(() => import('./pages/privacy/MyDataPage.js')) },
  { path: '/fund/receipts', labelKey: 'nav.fund.receipts', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/ReceiptsPage.js')) },
  { path: '/fund/opening', labelKey: 'nav.fund.opening', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/OpeningPage.js')) },
  { path: '/fund/reconciliation', labelKey: 'nav.fund.reconciliation', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/ReconciliationPage.js')) },
  { path: '/fund/write-offs', labelKey: 'nav.fund.writeOffs', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/WriteOffsPage.js')) },
  { path: '/fund/books', labelKey: 'nav.fund.books', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/BooksPage.js')) },
  { path: '/fund/checks', labelKey: 'nav.fund.checks', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/ChecksPage.js')) },
  { path: '/fund/losses', labelKey: 'nav.fund.losses', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/LossesPage.js')) },
  { path: '/fund/renumber', labelKey: 'nav.fund.renumber', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/RenumberPage.js')) },
  { path: '/fund/group-rules', labelKey: 'nav.fund.groupRules', roles: ['admin', 'librarian', 'methodologist'], section: 'fund', element: load(() => import('./pages/fund/GroupRulesPage.js')) },
  { path: '/textbooks/classes', labelKey: 'nav.textbooks.classes', roles: ['admin', 'librarian', 'teacher'], section: 'fund', element: load(() => import('./pages/textbooks/ClassPage.js')) },
  { path: '/textbooks/fund', labelKey: 'nav.textbooks.fund', roles: STAFF, section: 'fund', element: load(() => import('./pages/textbooks/FundPage.js')) },
  { path: '/textbooks/curriculum', labelKey: 'nav.textbooks.curriculum', roles: STAFF, section: 'fund', element: load(() => import('./pages/textbooks/CurriculumPage.js')) },
  { path: '/textbooks/sets', labelKey: 'nav.textbooks.sets', roles: ['admin', 'librarian', 'methodologist'], section: 'fund', element: load(() => import('./pages/textbooks/SetsPage.js')) },
  { path: '/fund/weeding', labelKey: 'nav.fund.weeding', roles: STAFF, section: 'fund', element: load(() => import('./pages/fund/WeedingPage.js')) },
  { path: '/catalog/new-acquisitions', labelKey: 'nav.catalog.bulletin', roles: 'public', section: 'catalog', element: load(() => import('./pages/catalog/BulletinPage.js')) },
  { path: '/textbooks/order', labelKey: 'nav.textbooks.order', roles: STAFF, section: 'fund', element: load(() => import('./pages/textbooks/OrderPage.js')) },
  { path: '/reclist/coverage', labelKey: 'nav.reclist.coverage', roles: STAFF, section: 'fund', element: load(() => import('./pages/reclist/CoveragePage.js')) },
  { path: '/reclist/list', labelKey: 'nav.reclist.list', roles: ['admin', 'librarian', 'methodologist'], section: 'fund', element: load(() => import('./pages/reclist/ListPage.js')) },
  { path: '/reclist/matching', labelKey: 'nav.reclist.matching', roles: STAFF, section: 'fund', element: load(() => import('./pages/reclist/MatchingPage.js')) },
  { path: '/textbooks/overview', labelKey: 'nav.textbooks.overview', roles: ['admin', 'methodologist'], section: 'reports', element: load(() => import('./pages/textbooks/OverviewPage.js')) },
  { path: '/reclist/monitoring', labelKey: 'nav.reclist.monitoring', roles: ['admin', 'methodologist'], section: 'reports', element: load(() => import('./pages/reclist/MonitoringPage.js')) },
  { path: '/reclist/schools/:id', labelKey: 'nav.reclist.monitoring', roles: ['admin', 'methodologist', 'librarian'], section: 'reports', menu: false, element: load(() => import('./pages/reclist/SchoolPage.js')) },
  { path: '/reading/my', labelKey: 'nav.reading.my', roles: ['student', 'parent'], section: 'reading', element: load(() => import('./pages/reading/MyReadingPage.js')) },
  { path: '/reading/records', labelKey: 'nav.reading.records', roles: STAFF, section: 'reading', element: load(() => import('./pages/reading/RecordsPage.js')) },
  { path: '/reading/standings', labelKey: 'nav.reading.standings', roles: ['admin', 'librarian', 'teacher'], section: 'reading', element: load(() => import('./pages/reading/StandingsPage.js')) },
  { path: '/reading/class', labelKey: 'nav.reading.class', roles: ['teacher'], section: 'reading', element: load(() => import('./pages/reading/ClassPage.js')) },
  { path: '/reading/hundred', labelKey: 'nav.reading.hundred', roles: ['admin', 'librarian', 'teacher'], section: 'reading', element: load(() => import('./pages/reading/HundredPage.js')) },
  { path: '/reading/contests', labelKey: 'nav.reading.contests', roles: STAFF, section: 'reading', element: load(() => import('./pages/reading/ContestsPage.js')) },
  { path: '/reading/challenges', labelKey: 'nav.reading.challenges', roles: STAFF, section: 'reading', element: load(() => import('./pages/reading/ChallengesPage.js')) },
  { path: '/reading/bingo', labelKey: 'nav.reading.bingo', roles: STAFF, section: 'reading', element: load(() => import('./pages/reading/BingoPage.js')) },
  { path: '/reading/draws', labelKey: 'nav.reading.draws', roles: STAFF, section: 'reading', element: load(() => import('./pages/reading/DrawsPage.js')) },
  { path: '/reading/community', labelKey: 'nav.reading.community', roles: STAFF, section: 'reading', element: load(() => import('./pages/reading/CommunityPage.js')) },
  { path: '/reading/actions', labelKey: 'nav.reading.actions', roles: ['admin', 'librarian', 'teacher'], section: 'reading', element: load(() => import('./pages/reading/ActionsPage.js')) },
  { path: '/events/plan', labelKey: 'nav.events.plan', roles: ['admin', 'librarian', 'teacher'], section: 'events', element: load(() => import('./pages/events/PlanPage.js')) },
  { path: '/events/held', labelKey: 'nav.events.held', roles: ['admin', 'librarian', 'teacher'], section: 'events', element: load(() => import('./pages/events/EventsPage.js')) },
  { path: '/events/exhibitions', labelKey: 'nav.events.exhibitions', roles: ['admin', 'librarian', 'teacher'], section: 'events', element: load(() => import('./pages/events/ExhibitionsPage.js')) },
  { path: '/events/clubs', labelKey: 'nav.events.clubs', roles: ['admin', 'librarian', 'teacher'], section: 'events', element: load(() => import('./pages/events/ClubsPage.js')) },
  { path: '/calendar', labelKey: 'nav.calendar.dates', roles: ['admin', 'librarian', 'teacher', 'methodologist'], section: 'events', element: load(() => import('./pages/calendar/CalendarPage.js')) },
  { path: '/reference', labelKey: 'nav.reference.log', roles: STAFF, section: 'events', element: load(() => import('./pages/reference/ReferencePage.js')) },
  { path: '/reference/ask', labelKey: 'nav.reference.ask', roles: ['student', 'parent'], section: 'my', element: load(() => import('./pages/reference/AskPage.js')) },
  { path: '/events/submissions', labelKey: 'nav.events.submissions', roles: ['admin', 'methodologist'], section: 'reports', element: load(() => import('./pages/events/SubmissionsPage.js')) },
  { path: '/reports/annual', labelKey: 'nav.reports.annual', roles: ['admin', 'librarian', 'methodologist'], section: 'reports', element: load(() => import('./pages/reports/AnnualReportPage.js')) },
  { path: '/reports/plan', labelKey: 'nav.reports.plan', roles: STAFF, section: 'reports', element: load(() => import('./pages/reports/PlanPage.js')) },
  { path: '/reports/schedule', labelKey: 'nav.reports.schedule', roles: ['admin', 'methodologist'], section: 'reports', element: load(() => import('./pages/reports/SchedulePage.js')) },
  { path: '/admin/people', labelKey: 'nav.admin.people', roles: STAFF, section: 'admin', element: load(() => import('./pages/admin/PeoplePage.js')) },
  { path: '/admin/audit', labelKey: 'nav.admin.audit', roles: STAFF, section: 'admin', element: load(() => import('./pages/admin/AuditPage.js')) },
  { path: '/admin/retention', labelKey: 'nav.admin.retention', roles: STAFF, section: 'admin', element: load(() => import('./pages/privacy/RetentionPage.js')) },
  { path: '/admin/backups', labelKey: 'nav.admin.backups', roles: ['admin'], section: 'admin', element: load(() => import('./pages/admin/BackupsPage.js')) },
  { path: '/login', labelKey: 'nav.login', roles: 'public', section: 'admin', menu: false, element: load(() => import('./pages/auth/LoginPage.js')) },
];

export function canOpen(page: PageDef, role: Role | null): boolean {
  return page.roles === 'public' || (role !== null && page.roles.includes(role));
}

/** The menu of a role: pages grouped by section, in registry order. */
export function menuFor(role: Role | null): { section: Section; pages: PageDef[] }[] {
  return SECTIONS.map((section) => ({
    section,
    pages: pages.filter((p) => p.section === section && p.menu !== false && canOpen(p, role)),
  })).filter((group) => group.pages.length > 0);
}
