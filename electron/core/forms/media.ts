import type Database from 'better-sqlite3'
import type { FormMediaFile } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import { sha256Hex } from '../db/migrate'
import { registerWithLocalEntities } from './local-entities'

/** The kinds of file a form can read as a secondary instance (shared/forms/runtime/external.ts). */
const readable = /\.(csv|geojson|xml)$/i

/**
 * The files a form reads, by the name it gives them: every secondary instance with a
 * `src="jr://file/NAME"` or `jr://file-csv/NAME` (select_one_from_file, pulldata, search()).
 */
export function mediaNamesOf(xform: string): string[] {
  const names = new Set<string>()
  for (const match of xform.matchAll(/\ssrc="jr:\/\/file(?:-csv)?\/([^"]+)"/g)) {
    const name = match[1]
    if (name && readable.test(name)) names.add(name)
  }
  return [...names].sort()
}

export type MediaInput = { name: string; content: string }

/** A file name a form can name: no folders, one of the readable kinds. */
export function checkMediaName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? ''
  if (!readable.test(base)) {
    throw new AppFailure('validation', `"${name}" is not a file a form can read: use CSV (.csv), GeoJSON (.geojson) or XML (.xml).`)
  }
  return base
}

/** Stores (or replaces) a version's files in the caller's transaction; answers the names that changed. */
export function storeMedia(sqlite: Database.Database, formVersionId: string, files: readonly MediaInput[], now: number): string[] {
  const current = sqlite.prepare('SELECT sha256 FROM form_media WHERE form_version_id = ? AND name = ?')
  const upsert = sqlite.prepare(
    `INSERT INTO form_media (form_version_id, name, content, sha256, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (form_version_id, name) DO UPDATE SET content = excluded.content, sha256 = excluded.sha256, updated_at = excluded.updated_at`,
  )
  const changed: string[] = []
  for (const file of files) {
    const digest = sha256Hex(file.content)
    const before = current.get(formVersionId, file.name) as { sha256: string } | undefined
    if (before?.sha256 === digest) continue
    upsert.run(formVersionId, file.name, file.content, digest, now)
    changed.push(file.name)
  }
  return changed
}

/**
 * What a form version reads, for the runtime: each file it names, from a register HQ published to
 * this office under that name (`villages.csv` ← register `villages`: the office's live list) or
 * else the file given at import. Names with neither are listed as missing.
 */
export function mediaFor(
  sqlite: Database.Database,
  formVersionId: string,
  xform: string,
  withContent = true,
): { media: FormMediaFile[]; missingMedia: string[] } {
  // Without content only presence is read: a list screen must not pull a 5 MB village list.
  const fromImport = sqlite.prepare(`SELECT ${withContent ? 'content' : "'' AS content"} FROM form_media WHERE form_version_id = ? AND name = ?`)
  const fromRegister = sqlite.prepare(`SELECT ${withContent ? 'csv' : "'' AS csv"} FROM registers WHERE name = ? AND entries > 0`)
  const media: FormMediaFile[] = []
  const missingMedia: string[] = []
  for (const name of mediaNamesOf(xform)) {
    const dataset = /\.csv$/i.test(name) ? name.replace(/\.csv$/i, '') : undefined
    const register = dataset === undefined ? undefined : (fromRegister.get(dataset) as { csv: string } | undefined)
    // HQ's register with this laptop's own offline entities on top (local-entities.ts).
    const csv = dataset === undefined ? undefined : register && !withContent ? '' : registerWithLocalEntities(sqlite, dataset, register?.csv)
    if (csv !== undefined) {
      media.push({ name, text: csv, source: 'register' })
      continue
    }
    const file = fromImport.get(formVersionId, name) as { content: string } | undefined
    if (file) media.push({ name, text: file.content, source: 'file' })
    else missingMedia.push(name)
  }
  return { media, missingMedia }
}
