import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { OutpostApi } from '../../shared/api'
import type { RecordDetail } from '../../shared/api/records'
import { compileWorkbook, readMarkdown } from '../../shared/xlsform/index'
import { setApi } from '../../renderer/src/api/outpost'
import { FormSession } from '../../renderer/src/form/session'
import { repoRoot } from '../helpers/paths'

const xform = compileWorkbook(readMarkdown(readFileSync(join(repoRoot, 'test/fixtures/forms/household.md'), 'utf8')), { formName: 'household' }).xml ?? ''
const form = { formId: 'f', formVersionId: 'v', version: '1', title: 'Household survey', xform }

function recordWith(values: RecordDetail['values']): RecordDetail {
  return {
    id: 'r1', formId: 'f', formVersionId: 'v', status: 'complete', instanceName: null, values, createdBy: 'u', createdAt: 1,
    updatedBy: 'u', updatedAt: 1, deletedAt: null, deletedBy: null, instanceXml: null, attachments: [],
  }
}

function recordingApi(): { calls: Array<{ name: string; input: unknown }>; api: OutpostApi } {
  const calls: Array<{ name: string; input: unknown }> = []
  const api: OutpostApi = {
    invoke: (name, input) => {
      calls.push({ name, input })
      return Promise.resolve({ ok: true, value: { id: 'r1' } as never })
    },
    on: () => () => undefined,
  }
  return { calls, api }
}

describe('a form session over a stored record', () => {
  it('opens a record stored without instance XML with its answers, and sends only what changed', async () => {
    const { calls, api } = recordingApi()
    setApi(api)
    const values = {
      'head/hh_name': 'Amina',
      'head/hh_size': 4,
      'place/district': 'south',
      member: [{ m_name: 'Kofi', m_age: 7 }, { m_name: 'Esi', m_age: 3 }],
      water: 'yes',
      hq_only_field: 'kept',
    }
    const session = new FormSession(form, recordWith(values), { deviceId: 'd', username: 'u' })
    const { engine } = session
    expect(engine.nodesAt('/household/head/hh_name')[0]?.value).toBe('Amina')
    expect(engine.nodesAt('/household/member/m_name').map((n) => n.value)).toEqual(['Kofi', 'Esi'])
    const size = engine.nodesAt('/household/head/hh_size')[0]
    if (!size) throw new Error('no size node')
    session.setAnswer(size, '5')
    await session.flush()
    const update = calls.find((c) => c.name === 'records.update')?.input as { changes: Array<{ path: string; value: unknown }> }
    // The size, plus what the form itself fills on first open (an instanceID the record lacked,
    // the instance name); never a blank over a stored answer, never the field it does not know.
    expect(update.changes.map((c) => c.path).sort()).toEqual(['head/hh_size', 'meta/instanceID', 'meta/instanceName'])
    expect(update.changes).toContainEqual({ path: 'head/hh_size', value: 5 })
  })

  it('coalesces typing into one save after a pause, and saves at once on flush', async () => {
    const { calls, api } = recordingApi()
    setApi(api)
    const session = new FormSession(form, recordWith({ 'head/hh_name': '' }), { deviceId: 'd', username: 'u' })
    const name = session.engine.nodesAt('/household/head/hh_name')[0]
    if (!name) throw new Error('no name node')
    for (const text of ['A', 'Am', 'Ami', 'Amin', 'Amina']) session.setAnswer(name, text, { typing: true })
    expect(calls.filter((c) => c.name === 'records.update')).toHaveLength(0)
    await session.flush()
    const updates = calls.filter((c) => c.name === 'records.update')
    expect(updates).toHaveLength(1)
    expect((updates[0]?.input as { changes: unknown[] }).changes).toContainEqual({ path: 'head/hh_name', value: 'Amina' })
  })
})

describe('saving while a save is in flight', () => {
  it('does not report "saved" until a change made during the write is stored too', async () => {
    const calls: Array<{ name: string; input: unknown }> = []
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    setApi({
      invoke: async (name, input) => {
        calls.push({ name, input })
        if (calls.length === 1) await gate // the first write is slow (a busy laptop)
        return { ok: true, value: { id: 'r1' } as never }
      },
      on: () => () => undefined,
    })
    const session = new FormSession(form, null, { deviceId: 'd', username: 'u' })
    const name = session.engine.nodesAt('/household/head/hh_name')[0]
    const size = session.engine.nodesAt('/household/head/hh_size')[0]
    if (!name || !size) throw new Error('missing nodes')
    session.setAnswer(name, 'Zainab', { typing: true })
    const first = session.flush() // leaving the name: the record is created (slowly)
    while (calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 0))
    session.setAnswer(size, '3', { typing: true }) // typed while the create is in flight
    const closing = session.flush() // "Save draft and close" while the create is in flight
    release()
    await Promise.all([first, closing])
    const lastUpdate = calls.filter((c) => c.name === 'records.update').pop()?.input as { changes: Array<{ path: string; value: unknown }> }
    expect(lastUpdate.changes).toContainEqual({ path: 'head/hh_size', value: 3 })
    expect(session.saveState).toBe('saved')
  })
})
