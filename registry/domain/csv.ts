import { isBlankRow, parseCsv } from '../../shared/csv'
import { AppFailure } from '../../shared/errors'

export type EntityRow = { entityId: string; label: string; values: Record<string, string> }

/** Reads an ODK-style entity list: a `name` column (the entity id), optional `label`, any others. */
export function readEntityCsv(text: string): { columns: string[]; entities: EntityRow[] } {
  const [header, ...body] = parseCsv(text).filter((row) => !isBlankRow(row))
  const columns = (header ?? []).map((cell) => cell.trim())
  const nameAt = columns.indexOf('name')
  if (nameAt < 0)
    throw new AppFailure(
      'validation',
      'The CSV needs a "name" column holding each entry\'s unique id.',
    )
  const labelAt = columns.indexOf('label')
  const seen = new Set<string>()
  const entities = body.map((cells, index) => {
    const entityId = (cells[nameAt] ?? '').trim()
    const line = index + 2
    if (!entityId) throw new AppFailure('validation', `Row ${line} of the CSV has no name.`)
    if (seen.has(entityId))
      throw new AppFailure('validation', `Row ${line} repeats the name "${entityId}".`)
    if (cells.length > columns.length)
      throw new AppFailure('validation', `Row ${line} has more cells than the header.`)
    seen.add(entityId)
    const values = Object.fromEntries(columns.map((column, at) => [column, cells[at] ?? '']))
    return { entityId, label: labelAt >= 0 ? (cells[labelAt] ?? entityId) : entityId, values }
  })
  return { columns, entities }
}
