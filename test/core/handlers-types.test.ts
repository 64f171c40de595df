import { describe, expect, it } from 'vitest'
import type { Handlers } from '../../shared/api'
import { makeCore } from '../helpers/core'

describe('the handler map type', () => {
  it('does not compile when a call has no handler (checked by npm run typecheck)', async () => {
    const core = await makeCore()
    const { 'forms.list': omitted, ...incomplete } = core.handlers
    // @ts-expect-error a contract call without a handler is a compile error
    const broken: Handlers = incomplete
    // @ts-expect-error a handler for a call the contract does not have is a compile error too
    const extra: Handlers = { ...core.handlers, 'records.dropAll': omitted }
    expect(Object.keys(broken)).not.toContain('forms.list')
    expect(Object.keys(extra)).toContain('records.dropAll')
    await core.dispose()
  })
})
