import type { Generated } from 'kysely';
import type { DateString } from '../org/schema.js';

export const REFERENCE_KINDS = ['thematic', 'address', 'clarifying', 'factographic'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
export const READER_GROUPS = ['1-4', '5-9', '10-11', 'teachers', 'parents', 'others'] as const;
export type ReaderGroup = (typeof READER_GROUPS)[number];
export const LANGUAGES = ['kk', 'ru', 'en', 'other'] as const;
export type Language = (typeof LANGUAGES)[number];
export const UNMET_STATUSES = ['open', 'to_purchase', 'met', 'declined'] as const;
export type UnmetStatus = (typeof UNMET_STATUSES)[number];
export const DOCUMENT_ACCESS = ['readers', 'public', 'licence'] as const;
export type DocumentAccess = (typeof DOCUMENT_ACCESS)[number];

export interface RequestTable {
  id: Generated<number>;
  organisation_id: number;
  asked_on: DateString;
  kind: ReferenceKind;
  question: string;
  answer: string | null;
  reader_group: ReaderGroup;
  language: Language;
  virtual: Generated<boolean>;
  question_id: number | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface QuestionTable {
  id: Generated<number>;
  organisation_id: number;
  asked_by: number;
  asked_at: Generated<Date>;
  question: string;
  answer: string | null;
  answered_by: number | null;
  answered_at: Date | string | null;
}

export interface UnmetTable {
  id: Generated<number>;
  organisation_id: number;
  noted_on: DateString;
  source: 'desk' | 'search' | 'question';
  title: string;
  author: string | null;
  reader_group: ReaderGroup | null;
  times: Generated<number>;
  status: Generated<UnmetStatus>;
  note: string | null;
  created_at: Generated<Date>;
}

export interface ListTable {
  id: Generated<number>;
  organisation_id: number;
  kind: 'recommendation' | 'index';
  title: string;
  audience: string | null;
  compiler: string | null;
  intro: string | null;
  created_at: Generated<Date>;
}

export interface ListItemTable {
  id: Generated<number>;
  list_id: number;
  position: Generated<number>;
  work_id: number | null;
  article_id: number | null;
  annotation: string | null;
}

export interface PeriodicalTable {
  id: Generated<number>;
  organisation_id: number;
  title: string;
  issn: string | null;
  kind: Generated<'newspaper' | 'magazine'>;
  language: Language;
  for_children: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface SubscriptionTable {
  id: Generated<number>;
  organisation_id: number;
  periodical_id: number;
  year: number;
  half: number;
  issues_expected: Generated<number>;
  price_tiyn: Generated<number>;
}

export interface IssueTable {
  id: Generated<number>;
  organisation_id: number;
  periodical_id: number;
  label: string;
  issue_date: DateString | null;
  received_on: DateString;
}

export interface ArticleTable {
  id: Generated<number>;
  organisation_id: number;
  issue_id: number;
  title: string;
  authors: string | null;
  pages: string | null;
  subjects: string | null;
  annotation: string | null;
  created_at: Generated<Date>;
}

export interface DocumentTable {
  id: Generated<number>;
  organisation_id: number;
  kind: 'book' | 'article' | 'other';
  title: string;
  authors: string | null;
  work_id: number | null;
  article_id: number | null;
  pages: Generated<number>;
  access: DocumentAccess;
  licence_note: string | null;
  file_name: string | null;
  file_size: number | null;
  file_sha256: string | null;
  created_by: number | null;
  created_at: Generated<Date>;
}

export interface DocumentUseTable {
  id: Generated<number>;
  organisation_id: number;
  document_id: number;
  used_on: DateString;
  action: 'view' | 'download';
  reader_group: string;
}

export interface DocumentChunkTable {
  document_id: number;
  n: number;
  bytes: Buffer;
}

export interface ReferenceTables {
  'reference.document_chunks': DocumentChunkTable;
  'reference.requests': RequestTable;
  'reference.questions': QuestionTable;
  'reference.unmet': UnmetTable;
  'reference.lists': ListTable;
  'reference.list_items': ListItemTable;
  'reference.periodicals': PeriodicalTable;
  'reference.subscriptions': SubscriptionTable;
  'reference.issues': IssueTable;
  'reference.articles': ArticleTable;
  'reference.documents': DocumentTable;
  'reference.document_uses': DocumentUseTable;
}
