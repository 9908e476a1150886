// Runtime schemas of the store's arguments (DESIGN.md §2, guarantee 11). Every
// backend and every transport validates with these, so a rule lives once.
import { z } from 'zod';
import { isZonedIsoDateTime } from './time.ts';
import type { EventInput, JsonValue, ListEventsOptions, ListMessagesOptions } from './types.ts';

export const MAX_ID_LENGTH = 64;
export const MAX_EVENT_TYPE_LENGTH = 32;
export const MAX_CATEGORY_LENGTH = 16;
/** Upper bound for any page, so one request cannot ask a store for everything. */
export const MAX_LIMIT = 100_000;


export const idSchema = z.string().min(1, 'must not be empty').max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`);
export const seqCursorSchema = z.number().int('must be an integer').min(0, 'must be ≥ 0');
export const limitSchema = z.number().int('must be an integer').min(1, 'must be ≥ 1').max(MAX_LIMIT, `must be ≤ ${MAX_LIMIT}`);

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValueSchema), z.record(z.string(), jsonValueSchema)]),
);
export const jsonObjectSchema = z.record(z.string(), jsonValueSchema, { error: 'must be a JSON object' });

export const eventInputSchema = z.object({
  thread_id: idSchema,
  run_id: idSchema,
  event_type: z.string().min(1, 'must not be empty').max(MAX_EVENT_TYPE_LENGTH, `must be at most ${MAX_EVENT_TYPE_LENGTH} characters`),
  category: z.string().min(1, 'must not be empty').max(MAX_CATEGORY_LENGTH, `must be at most ${MAX_CATEGORY_LENGTH} characters`),
  content: jsonValueSchema.optional(),
  metadata: jsonObjectSchema.optional(),
  // What Python's datetime.fromisoformat accepts, with an offset: DeerFlow writes and reads it so.
  created_at: z.string().refine(isZonedIsoDateTime, 'must be an ISO-8601 date-time with a time zone').optional(),
}) satisfies z.ZodType<EventInput>;

export const listMessagesOptionsSchema = z.object({
  limit: limitSchema.optional(),
  beforeSeq: seqCursorSchema.optional(),
  afterSeq: seqCursorSchema.optional(),
}) satisfies z.ZodType<ListMessagesOptions>;

export const listEventsOptionsSchema = z.object({
  eventTypes: z.array(z.string().min(1).max(MAX_EVENT_TYPE_LENGTH)).optional(),
  taskId: z.string().min(1).optional(),
  limit: limitSchema.optional(),
  afterSeq: seqCursorSchema.optional(),
}) satisfies z.ZodType<ListEventsOptions>;

/** A readable one-line message naming the offending field, e.g. `event.thread_id: must not be empty`. */
export function describeIssues(error: z.ZodError, prefix?: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
