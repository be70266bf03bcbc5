import { z } from 'zod';
import type { Routes } from '../../http/types.js';
import { fundKindSchema } from '../../fund/copies-schemas.js';
import { availabilityLibrary, noteIfNothingFound, searchCatalogue, TOTAL_CAP } from '../search.js';
import { ACCESSIBLE_FORMATS, AGE_CATEGORIES } from '../schema.js';
import { tags } from './shared.js';

const availabilitySchema = z.object({ total: z.number(), available: z.number(), onLoan: z.number() });
const searchHitSchema = z.object({
  workId: z.number(),
  title: z.string(),
  subtitle: z.string().nullable(),
  authors: z.array(z.object({ id: z.number(), name: z.string() })),
  publishYear: z.number().nullable(),
  publisher: z.string().nullable(),
  isbn: z.string().nullable(),
  language: z.string().nullable(),
  ageRating: z.string().nullable(),
  accessibleFormat: z.string().nullable(),
  availability: availabilitySchema,
});

/** The catalogue search, in any script, open to visitors of the public catalogue too. */
export const searchRoutes: Routes = (app) => {
  app.get(
    '/api/catalog/search',
    {
      schema: {
        tags,
        summary: `Search the catalogue in any script (Kazakh Cyrillic or Latin, Russian keyboard); ranked, with one library's availability. total counts up to ${TOTAL_CAP}.`,
        querystring: z.object({
          q: z.string().max(300).default(''),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).max(10_000).default(0),
          organisationId: z.coerce.number().int().positive().optional(),
          language: z.string().max(8).optional(),
          fund: fundKindSchema.optional(),
          available: z.enum(['true', 'false']).optional(),
          accessibleFormat: z.enum([...ACCESSIBLE_FORMATS, 'any']).optional(),
          ageCategory: z.enum(AGE_CATEGORIES).optional(),
          asked: z.enum(['true', 'false']).optional().describe('true: a search a reader submitted; when it finds nothing it is noted as an unmet request'),
        }),
        response: { 200: z.object({ items: z.array(searchHitSchema), total: z.number(), totalCapped: z.boolean() }) },
      },
    },
    async (req) => {
      const { q, limit, offset, organisationId, language, fund, available, accessibleFormat, ageCategory, asked } = req.query;
      const input = { q, limit, offset, organisationId: availabilityLibrary(req.actor, organisationId), filters: { language, fund, available: available === 'true', accessibleFormat, ageCategory } };
      const result = await searchCatalogue(app.db, input);
      if (asked === 'true') await noteIfNothingFound(app.db, req.actor, input, result);
      return result;
    },
  );
};
