// The search method's arguments (issue 10), checked once for every transport.
import { z } from 'zod';
import { idSchema, MAX_CATEGORY_LENGTH, MAX_EVENT_TYPE_LENGTH } from './schemas.ts';
import { MAX_QUERY_LENGTH, parseQuery } from './search-query.ts';
import type { SearchOptions } from './types.ts';

export const MAX_SEARCH_LIMIT = 500;
export const DEFAULT_SEARCH_LIMIT = 50;

export const searchParamsSchema = z
  .strictObject({
    query: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)
      .refine((query) => parseQuery(query).length > 0, 'must have at least one term'),
    threadId: idSchema.optional(),
    runId: idSchema.optional(),
    categories: z.array(z.string().min(1).max(MAX_CATEGORY_LENGTH)).optional(),
    eventTypes: z.array(z.string().min(1).max(MAX_EVENT_TYPE_LENGTH)).optional(),
    limit: z.number().int('must be an integer').min(1, 'must be ≥ 1').max(MAX_SEARCH_LIMIT, `must be ≤ ${MAX_SEARCH_LIMIT}`).optional(),
    cursor: z.string().min(1).nullable().optional(),
  })
  .refine((params) => params.runId === undefined || params.threadId !== undefined, { message: 'needs threadId', path: ['runId'] }) satisfies z.ZodType<
  SearchOptions & { query: string }
>;
