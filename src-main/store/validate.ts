// The store's own argument checks: every backend calls these before touching
// data, so a rejected call changes nothing (guarantee 11).
import type { z } from 'zod';
import { badArgument } from '../../src-shared/errors.ts';
import {
  describeIssues,
  eventInputSchema,
  idSchema,
  listEventsOptionsSchema,
  listMessagesOptionsSchema,
} from '../../src-shared/schemas.ts';
import type { EventInput, ListEventsOptions, ListMessagesOptions } from '../../src-shared/types.ts';

function parseWith<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badArgument(describeIssues(result.error, field));
  return result.data;
}

export function checkId(value: unknown, field: string): string {
  return parseWith(idSchema, value, field);
}

export function checkEventInput(value: unknown, field = 'event'): EventInput {
  return parseWith(eventInputSchema, value, field);
}

export function checkEventInputs(values: unknown): EventInput[] {
  if (!Array.isArray(values)) throw badArgument('events: must be an array');
  return values.map((value, index) => checkEventInput(value, `events.${index}`));
}

export function checkListMessagesOptions(value: unknown): ListMessagesOptions {
  return parseWith(listMessagesOptionsSchema, value ?? {}, 'options');
}

export function checkListEventsOptions(value: unknown): ListEventsOptions {
  return parseWith(listEventsOptionsSchema, value ?? {}, 'options');
}
