import { z } from 'zod'

/**
 * A record's JSON projection, as the form runtime produces it and the store keeps it.
 *
 * - Keys are field paths relative to the form's root, groups joined with '/': `hh_name`,
 *   `location/district`. Groups do not nest objects; only repeats do.
 * - A repeat is an array of instances; each instance is again a flat map whose keys are paths
 *   relative to the repeat (`members: [{ name: 'Ana', age: 31 }]`). Repeats may nest.
 * - select_multiple is an array of choice names (`['maize', 'beans']`), select_one a string,
 *   numbers are numbers, unanswered questions are absent or null, everything else (dates, geo
 *   points, file names of attachments) is the ODK text form as a string.
 */
export type ScalarValue = string | number | boolean | null
export type FieldValue = ScalarValue | string[] | RepeatInstance[]
export type RepeatInstance = { [path: string]: FieldValue }
export type RecordValues = { [path: string]: FieldValue }

export const scalarValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])

export const fieldValueSchema: z.ZodType<FieldValue> = z.lazy(() =>
  z.union([scalarValueSchema, z.array(z.string()), z.array(repeatInstanceSchema)]),
)

const fieldPathSchema = z
  .string()
  .min(1, 'A field path cannot be empty.')
  .max(500)
  .regex(/^[^\s[\]"]+$/, 'A field path is a question name, with groups joined by "/".')

export const repeatInstanceSchema: z.ZodType<RepeatInstance> = z.lazy(() => z.record(fieldPathSchema, fieldValueSchema))

export const recordValuesSchema: z.ZodType<RecordValues> = z.record(fieldPathSchema, fieldValueSchema)

export { fieldPathSchema }

export function isRepeatValue(value: FieldValue | undefined): value is RepeatInstance[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'object' && item !== null)
}

export function isMultiSelectValue(value: FieldValue | undefined): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/** Field values compare by their JSON text: the store's notion of "changed". */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}
