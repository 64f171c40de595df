import type Database from 'better-sqlite3'
import type { z } from 'zod'
import type { exportProgressSchema, RecordsExportResult, recordsExportInputSchema } from '../../../../shared/api'
import { AppFailure } from '../../../../shared/errors'
import { openSqlite } from '../../db/open'
import type { FormLookup } from '../../../../shared/records/labels'
import type { RecordValues } from '../../../../shared/records/values'
import { formLookupFromXForm } from '../../../../shared/records/xform-choices'
import { mediaFor } from '../../forms/media'
import { openCsvWriter, type SheetWriter } from './csv-writer'
import { allSheets, emitRecord, headerOf, newSheet, scanValues, type SheetSpec } from './sheets'
import { openXlsxWriter } from './xlsx-writer'

export type ExportArgs = z.output<typeof recordsExportInputSchema>
export type ExportProgress = z.infer<typeof exportProgressSchema>
type Row = { id: string; status: string; created_by: string; created_at: number; updated_at: number; values_json: string }

const progressEvery = 5_000
const yieldEvery = 2_000
// Let the event loop breathe between batches: exports run in the app's main process.
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve))

function findForm(db: Database.Database, key: string): { id: string; form_id: string; xform: string | undefined; files: Map<string, string> } {
  const form = db.prepare('SELECT id, form_id FROM forms WHERE id = ? OR form_id = ?').get(key, key) as { id: string; form_id: string } | undefined
  if (!form) throw new AppFailure('not_found', `There is no form "${key}" on this laptop; check the form id in the forms list.`)
  const latest = db.prepare('SELECT id, xform FROM form_versions WHERE form_id = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(form.id) as { id: string; xform: string } | undefined
  // The lists the form reads from files (villages.csv, a register), so their labels export too.
  // `outpost export` reads a database as it is (read-only, not migrated): one older than
  // migration 0010 has no such files.
  const hasMedia = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'form_media'").get() !== undefined
  const files = new Map(latest && hasMedia ? mediaFor(db, latest.id, latest.xform).media.map((m) => [m.name, m.text] as const) : [])
  return { ...form, xform: latest?.xform, files }
}

/**
 * Exports a form's live records to CSV or XLSX, streaming: two passes over the rows with
 * better-sqlite3's iterate() (raw SQL on purpose: kysely would buffer the whole result), the
 * first to learn the columns, the second to write. Both passes read one snapshot (a single read
 * transaction on a private read-only connection), so the app keeps writing meanwhile.
 */
export async function exportRecords(dbFile: string, args: ExportArgs, onProgress: (p: ExportProgress) => void = () => {}, lookupFor?: (xform: string | undefined) => FormLookup | undefined, key?: Uint8Array): Promise<RecordsExportResult> {
  const db = openSqlite(dbFile, key, { readonly: true, fileMustExist: true })
  try {
    db.exec('BEGIN')
    const form = findForm(db, args.formId)
    const lookup = lookupFor ? lookupFor(form.xform) : form.xform ? formLookupFromXForm(form.xform, form.files) : undefined
    const total = (db.prepare('SELECT COUNT(*) AS n FROM records WHERE form_id = ? AND deleted_at IS NULL').get(form.id) as { n: number }).n
    const select = db.prepare('SELECT id, status, created_by, created_at, updated_at, values_json FROM records WHERE form_id = ? AND deleted_at IS NULL ORDER BY rid')
    const root = newSheet('', form.form_id)
    let done = 0
    onProgress({ formId: form.id, phase: 'scan', done, total })
    for (const row of select.iterate(form.id) as IterableIterator<Row>) {
      scanValues(root, JSON.parse(row.values_json) as RecordValues, lookup)
      if (++done % progressEvery === 0) onProgress({ formId: form.id, phase: 'scan', done, total })
    }
    const sheets = allSheets(root)
    const result = await writeSheets(sheets, () => select.iterate(form.id) as IterableIterator<Row>, args, lookup, (n) => onProgress({ formId: form.id, phase: 'write', done: n, total }))
    onProgress({ formId: form.id, phase: 'done', done: total, total })
    return { ...result, records: total }
  } finally {
    db.close()
  }
}

async function writeSheets(sheets: SheetSpec[], rows: () => IterableIterator<Row>, args: ExportArgs, lookup: FormLookup | undefined, progress: (done: number) => void): Promise<Omit<RecordsExportResult, 'records'>> {
  const specs = sheets.map((s) => ({ name: s.name, header: headerOf(s, lookup, args.labels) }))
  let writer: SheetWriter
  try {
    writer = args.format === 'csv' ? openCsvWriter(args.outputPath, specs) : openXlsxWriter(args.outputPath, specs)
  } catch {
    throw new AppFailure('validation', `Outpost cannot write to "${args.outputPath}". Choose a folder you can save to, and close the file if it is open in another program.`)
  }
  const counters = sheets.map(() => 0)
  let done = 0
  try {
    // Opened only once the files are: an unconsumed iterator would keep the connection busy.
    for (const row of rows()) {
      const meta = { id: row.id, status: row.status, createdBy: row.created_by, createdAt: row.created_at, updatedAt: row.updated_at }
      emitRecord(sheets, counters, JSON.parse(row.values_json) as RecordValues, meta, writer.row, lookup, args.labels)
      if (++done % yieldEvery === 0) await breathe()
      if (done % progressEvery === 0) progress(done)
    }
    const files = await writer.close()
    return { files, sheets: sheets.map((s, i) => ({ name: s.name, rows: counters[i] ?? 0 })) }
  } catch (error) {
    writer.abort()
    throw error
  }
}
