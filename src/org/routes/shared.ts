import { z } from 'zod';

/** The enums the route modules of organisations and accounts share. */
export const roleSchema = z.enum(['admin', 'methodologist', 'librarian', 'teacher', 'student', 'parent']);
export const localeSchema = z.enum(['kk', 'ru', 'en']);
export const orgKindSchema = z.enum(['republic', 'region', 'district', 'school', 'college', 'children_library']);
