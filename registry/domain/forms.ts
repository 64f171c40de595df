import { createHash } from 'node:crypto'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { requireHq } from './actors'
import { compileForm } from './compile-form'
import { appendChanges } from './feed'
import { findOffice } from './offices'

export type FormVersionDto = {
  id: string
  formKey: string
  version: string
  title: string
  fileName: string
  fileSha256: string
  createdAt: string
}

const versionColumns = [
  'form_versions.id',
  'forms.form_key',
  'form_versions.version',
  'form_versions.title',
  'form_versions.file_name',
  'form_versions.file_sha256',
  'form_versions.created_at',
] as const

type VersionRow = {
  id: string
  form_key: string
  version: string
  title: string
  file_name: string
  file_sha256: string
  created_at: Date
}

function toDto(row: VersionRow): FormVersionDto {
  return {
    id: row.id,
    formKey: row.form_key,
    version: row.version,
    title: row.title,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

/** Stores a new immutable version; uploading the same file again returns the version it made. */
export async function uploadForm(
  db: RegistryDb,
  actor: Actor,
  file: { bytes: Uint8Array; fileName: string },
): Promise<FormVersionDto> {
  const userId = requireHq(actor, 'forms.manage')
  const compiled = await compileForm(file.bytes, file.fileName)
  const sha = createHash('sha256').update(file.bytes).digest('hex')
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('forms')
      .values({ id: uuidv7(), form_key: compiled.formKey })
      .onConflict((oc) => oc.column('form_key').doNothing())
      .execute()
    const form = await trx
      .selectFrom('forms')
      .select('id')
      .where('form_key', '=', compiled.formKey)
      .executeTakeFirstOrThrow()
    const existing = await trx
      .selectFrom('form_versions')
      .innerJoin('forms', 'forms.id', 'form_versions.form_id')
      .select(versionColumns)
      .where('form_id', '=', form.id)
      .where('version', '=', compiled.version)
      .executeTakeFirst()
    if (existing && existing.file_sha256 === sha) return toDto(existing)
    if (existing) {
      throw new AppFailure(
        'conflict',
        `Form ${compiled.formKey} already has a version ${compiled.version} with different content. Versions never change: raise the version in the settings sheet and upload again.`,
      )
    }
    const fileName = file.fileName.split(/[\\/]/).at(-1) ?? file.fileName
    const row = await trx
      .insertInto('form_versions')
      .values({
        id: uuidv7(),
        form_id: form.id,
        version: compiled.version,
        title: compiled.title,
        file_name: fileName,
        file_sha256: sha,
        file_bytes: file.bytes,
        definition: compiled.definition === null ? null : JSON.stringify(compiled.definition),
        created_by: userId,
      })
      .returning(['id', 'version', 'title', 'file_name', 'file_sha256', 'created_at'])
      .executeTakeFirstOrThrow()
    await appendChanges(trx, [
      {
        officeId: null,
        kind: 'form.uploaded',
        entityId: row.id,
        data: { formKey: compiled.formKey, version: compiled.version },
      },
    ])
    return toDto({ ...row, form_key: compiled.formKey })
  })
}

/** Publishes a version to offices (ids or codes); each office hears of it once, in its feed. */
export async function publishFormVersion(
  db: RegistryDb,
  actor: Actor,
  versionId: string,
  offices: readonly string[],
): Promise<number> {
  const userId = requireHq(actor, 'forms.manage')
  const officeIds = await Promise.all(
    offices.map(async (office) => (await findOffice(db, office)).id),
  )
  return db.transaction().execute(async (trx) => {
    const version = await trx
      .selectFrom('form_versions')
      .innerJoin('forms', 'forms.id', 'form_versions.form_id')
      .select(versionColumns)
      .where(
        'form_versions.id',
        '=',
        isUuid(versionId) ? versionId : '00000000-0000-0000-0000-000000000000',
      )
      .executeTakeFirst()
    if (!version) throw new AppFailure('not_found', `There is no form version "${versionId}".`)
    const inserted =
      officeIds.length === 0
        ? []
        : await trx
            .insertInto('form_publications')
            .values(
              officeIds.map((officeId) => ({
                form_version_id: version.id,
                office_id: officeId,
                published_by: userId,
              })),
            )
            .onConflict((oc) => oc.doNothing())
            .returning('office_id')
            .execute()
    const data = { formKey: version.form_key, version: version.version, title: version.title }
    await appendChanges(
      trx,
      inserted.map((row) => ({
        officeId: row.office_id,
        kind: 'form.published',
        entityId: version.id,
        data,
      })),
    )
    return inserted.length
  })
}

export async function listFormVersions(db: RegistryDb, actor: Actor): Promise<FormVersionDto[]> {
  requireHq(actor, 'read')
  const rows = await db
    .selectFrom('form_versions')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .select(versionColumns)
    .orderBy('form_versions.id')
    .execute()
  return rows.map(toDto)
}

function publishedToOffice(db: RegistryDb, officeId: string) {
  return db
    .selectFrom('form_versions')
    .innerJoin('forms', 'forms.id', 'form_versions.form_id')
    .innerJoin('form_publications', 'form_publications.form_version_id', 'form_versions.id')
    .where('form_publications.office_id', '=', officeId)
}

export async function listOfficeForms(
  db: RegistryDb,
  device: DeviceActor,
): Promise<FormVersionDto[]> {
  const rows = await publishedToOffice(db, device.officeId)
    .select(versionColumns)
    .orderBy('form_versions.id')
    .execute()
  return rows.map(toDto)
}

/** A version's file for a device; one answer for "not published to you" and "does not exist". */
export async function readOfficeFormFile(
  db: RegistryDb,
  device: DeviceActor,
  versionId: string,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  const row = isUuid(versionId)
    ? await publishedToOffice(db, device.officeId)
        .select(['form_versions.file_name', 'form_versions.file_bytes'])
        .where('form_versions.id', '=', versionId)
        .executeTakeFirst()
    : undefined
  if (!row) throw new AppFailure('forbidden', 'This form is not published to your office.')
  return { fileName: row.file_name, bytes: row.file_bytes }
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}
