import { stmt } from './statements'
import type { Change } from '../../../shared/registry-api'
import { feedOpSchema } from '../../../shared/sync/ops'
import { applyRemoteOp } from './apply'
import { noteRegisterChange } from './registers'
import type { SyncContext } from './context'
import { checkCancelled, yieldToOthers } from './context'
import { readState, writeState } from './state'
import type { FormDefinition } from './transport'
import { readChangesPage, readFormDefinition } from './transport'

/** Form versions a page needs that this laptop does not have yet, fetched before the page applies. */
async function fetchForms(ctx: SyncContext, changes: readonly Change[]): Promise<FormDefinition[]> {
  const wanted = new Set<string>()
  const has = stmt(ctx.sqlite, 'SELECT 1 FROM form_versions WHERE id = ?')
  for (const change of changes) {
    const versionId =
      change.kind === 'form.published'
        ? change.entityId
        : change.kind === 'record.op'
          ? (change.data as { formVersionId?: string }).formVersionId
          : undefined
    if (versionId && !has.get(versionId)) wanted.add(versionId)
  }
  const forms: FormDefinition[] = []
  for (const id of wanted) forms.push(await readFormDefinition(ctx.registry, id, ctx.signal))
  return forms
}

/** Stores a published version under the registry's id, so records name the same version everywhere. */
export function storeForm(ctx: Pick<SyncContext, 'sqlite' | 'now'>, form: FormDefinition): void {
  const now = ctx.now()
  const existing = stmt(ctx.sqlite, 'SELECT id FROM forms WHERE form_id = ?').get(form.formKey) as
    { id: string } | undefined
  const formId = existing?.id ?? form.id
  if (!existing)
    stmt(
      ctx.sqlite,
      'INSERT INTO forms (id, form_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    ).run(formId, form.formKey, form.title, now, now)
  stmt(
    ctx.sqlite,
    'INSERT OR IGNORE INTO form_versions (id, form_id, version, title, xform, source_name, sha256, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)',
  ).run(form.id, formId, form.version, form.title, form.xform, form.sha256, now)
}

export function applyChange(
  ctx: Pick<SyncContext, 'sqlite' | 'clock' | 'now'>,
  change: Change,
): void {
  switch (change.kind) {
    case 'record.op':
      applyRemoteOp(ctx.sqlite, ctx.clock, feedOpSchema.parse(change.data), ctx.now())
      return
    case 'record.reviewed': {
      const data = change.data as { state?: string; comment?: string | null }
      stmt(
        ctx.sqlite,
        'INSERT INTO sync_reviews (record_id, state, comment, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET state = excluded.state, comment = excluded.comment, updated_at = excluded.updated_at',
      ).run(change.entityId, data.state ?? 'received', data.comment ?? null, ctx.now())
      return
    }
    default:
      // A register changed: marked here, its entries fetched after the pull (registers.ts).
      // Forms arrive through fetchForms; devices and offices have no local table, so the cursor
      // simply moves past them (docs/sync.md, "Limits").
      noteRegisterChange(ctx.sqlite, change, ctx.now())
      return
  }
}

/**
 * Pulls the office's feed from the stored cursor. Each page and its cursor commit in one local
 * transaction: a crash leaves either the page and its cursor, or neither (and the page is read
 * again; ops are applied once by id anyway).
 */
export async function pullAll(ctx: SyncContext): Promise<number> {
  let applied = 0
  for (let page = 0; ; page++) {
    checkCancelled(ctx.signal)
    const after = readState(ctx.sqlite, 'pull_cursor') ?? ''
    const result = await readChangesPage(ctx.registry, after, ctx.pageSize, ctx.signal)
    const forms = await fetchForms(ctx, result.changes)
    checkCancelled(ctx.signal)
    ctx.sqlite.transaction(() => {
      for (const form of forms) storeForm(ctx, form)
      for (const change of result.changes) applyChange(ctx, change)
      ctx.faults?.beforePullCursor?.(page)
      writeState(ctx.sqlite, 'pull_cursor', result.nextCursor, ctx.now())
      // The mark of the row at the cursor, with it: how the next run knows the feed is the same.
      if (result.nextCursor !== after || result.mark !== undefined)
        writeState(ctx.sqlite, 'pull_mark', result.mark ?? '', ctx.now())
      stmt(ctx.sqlite, 'UPDATE devices SET last_hlc = ? WHERE is_self = 1').run(ctx.clock.current())
    })()
    applied += result.changes.length
    ctx.progress?.({ phase: 'pull', done: applied, total: null })
    if (!result.hasMore) return applied
    await yieldToOthers()
  }
}
