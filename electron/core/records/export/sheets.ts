import { choiceLabel, type FormLookup } from '../../../../shared/records/labels'
import type { FieldValue, RecordValues, RepeatInstance } from '../../../../shared/records/values'
import { isRepeatValue } from '../../../../shared/records/values'

export type Cell = string | number | null

type Column = { key: string; path: string; multi: boolean; choices: string[] }

/** One output sheet (or CSV file): the main records, or one repeat group at any depth. */
export type SheetSpec = {
  path: string // '' for the main sheet, else the repeat's full path (`members`, `members/visits`)
  name: string
  columns: Map<string, Column>
  children: Map<string, SheetSpec>
}

export type RecordMeta = { id: string; status: string; createdBy: string; createdAt: number; updatedAt: number }

const mainMeta = ['_id', '_status', '_submitted_by', '_submission_time', '_updated_at', '_index']
const repeatMeta = ['_index', '_parent_table_name', '_parent_index', '_submission__id']

const joinPath = (prefix: string, key: string) => (prefix ? `${prefix}/${key}` : key)

export function newSheet(path: string, name: string): SheetSpec {
  return { path, name, columns: new Map(), children: new Map() }
}

/**
 * Learns the columns from the data (first pass of an export): every key seen, repeats as child
 * sheets, select_multiple answers with the union of their choices. Choices the form lists come
 * first, in the form's order, as Kobo prints them.
 */
export function scanValues(sheet: SheetSpec, values: RecordValues | RepeatInstance, lookup?: FormLookup): void {
  for (const [key, value] of Object.entries(values)) {
    const path = joinPath(sheet.path, key)
    if (isRepeatValue(value)) {
      let child = sheet.children.get(key)
      if (!child) sheet.children.set(key, (child = newSheet(path, key)))
      sheet.columns.delete(key) // an empty array seen earlier was this repeat, not a select_multiple
      for (const instance of value) scanValues(child, instance, lookup)
      continue
    }
    if (sheet.children.has(key)) continue
    let column = sheet.columns.get(key)
    if (!column) sheet.columns.set(key, (column = { key, path, multi: false, choices: [] }))
    if (Array.isArray(value)) {
      if (!column.multi) column.choices = (lookup?.choices(path) ?? []).map((c) => c.name)
      column.multi = true
      for (const name of value) if (typeof name === 'string' && !column.choices.includes(name)) column.choices.push(name)
    }
  }
}

/** Every sheet, parents before children; names made unique and Excel-safe (31 chars, no []:*?/\). */
export function allSheets(root: SheetSpec): SheetSpec[] {
  const out: SheetSpec[] = []
  const used = new Set<string>()
  const visit = (sheet: SheetSpec) => {
    const base = sheet.name.replace(/[[\]:*?/\\]/g, '_').slice(0, 28) || 'sheet'
    let name = base
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}`
    used.add(name.toLowerCase())
    sheet.name = name
    out.push(sheet)
    for (const child of sheet.children.values()) visit(child)
  }
  visit(root)
  return out
}

export function headerOf(sheet: SheetSpec, lookup: FormLookup | undefined, labels: boolean): string[] {
  const cells: string[] = []
  for (const c of sheet.columns.values()) {
    cells.push(c.path)
    if (c.multi) for (const name of c.choices) cells.push(`${c.path}/${labels ? choiceLabel(c.path, name, lookup) : name}`)
  }
  return [...cells, ...(sheet.path === '' ? mainMeta : repeatMeta)]
}

function valueCells(sheet: SheetSpec, values: RecordValues | RepeatInstance, lookup: FormLookup | undefined, labels: boolean): Cell[] {
  const cells: Cell[] = []
  const show = (path: string, name: string) => (labels ? choiceLabel(path, name, lookup) : name)
  for (const c of sheet.columns.values()) {
    const value: FieldValue | undefined = values[c.key]
    if (c.multi) {
      const chosen = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? value.split(' ').filter(Boolean) : undefined
      cells.push(chosen ? chosen.map((n) => show(c.path, n)).join(' ') : null)
      for (const name of c.choices) cells.push(chosen ? (chosen.includes(name) ? 1 : 0) : null)
    } else if (value === undefined || value === null || Array.isArray(value)) cells.push(null)
    else if (typeof value === 'boolean') cells.push(value ? 'true' : 'false')
    else cells.push(typeof value === 'string' && lookup?.choices(c.path) ? show(c.path, value) : value)
  }
  return cells
}

export type RowSink = (sheetIndex: number, cells: Cell[]) => void

/**
 * Writes one record: its main row, then each repeat instance as a row of that repeat's sheet
 * with `_index` (its row number there) and `_parent_index` (its parent's row number), as Kobo does.
 */
export function emitRecord(sheets: SheetSpec[], counters: number[], values: RecordValues, meta: RecordMeta, sink: RowSink, lookup: FormLookup | undefined, labels: boolean): void {
  const index = (counters[0] = (counters[0] ?? 0) + 1)
  const iso = (ms: number) => new Date(ms).toISOString()
  const root = sheets[0]
  if (!root) return
  sink(0, [...valueCells(root, values, lookup, labels), meta.id, meta.status, meta.createdBy, iso(meta.createdAt), iso(meta.updatedAt), index])
  const visit = (sheet: SheetSpec, data: RecordValues | RepeatInstance, parentIndex: number) => {
    for (const [key, child] of sheet.children) {
      const instances = data[key]
      if (!isRepeatValue(instances)) continue
      const at = sheets.indexOf(child)
      for (const instance of instances) {
        const own = (counters[at] = (counters[at] ?? 0) + 1)
        sink(at, [...valueCells(child, instance, lookup, labels), own, sheet.name, parentIndex, meta.id])
        visit(child, instance, own)
      }
    }
  }
  visit(root, values, index)
}
