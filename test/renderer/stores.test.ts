import { describe, expect, it, vi } from 'vitest'
import type { OutpostApi } from '../../shared/api'
import { AppFailure } from '../../shared/errors'
import { takeBridgeToken } from '../../renderer/src/api/bridge-client'
import { call, setApi } from '../../renderer/src/api/outpost'
import { useFormsStore } from '../../renderer/src/stores/use-forms-store'
import { useToastStore } from '../../renderer/src/stores/use-toast-store'

function fakeApi(invoke: OutpostApi['invoke']): OutpostApi {
  return { invoke, on: () => () => undefined }
}

describe('renderer stores', () => {
  it('turn a failed call into a toast with the core’s message', async () => {
    setApi(fakeApi(() => Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'The core is not answering.' } })))
    await useFormsStore.getState().load()
    expect(useFormsStore.getState().status).toBe('failed')
    expect(useToastStore.getState().toasts.map((t) => t.error.message)).toEqual(['The core is not answering.'])
    const [toast] = useToastStore.getState().toasts
    useToastStore.getState().dismiss(toast?.id ?? -1)
    expect(useToastStore.getState().toasts).toEqual([])
  })

  it('keep at most three toasts and no duplicates', () => {
    const { showError } = useToastStore.getState()
    for (const message of ['a', 'b', 'a', 'c', 'd']) showError(new AppFailure('conflict', message))
    expect(useToastStore.getState().toasts.map((t) => t.error.message)).toEqual(['a', 'c', 'd'])
  })

  it('call() returns the value or throws the AppError', async () => {
    setApi(fakeApi(() => Promise.resolve({ ok: true, value: [] as never })))
    await expect(call('forms.list', {})).resolves.toEqual([])
    setApi(fakeApi(() => Promise.resolve({ ok: false, error: { code: 'forbidden', message: 'No.' } })))
    await expect(call('forms.list', {})).rejects.toMatchObject({ code: 'forbidden', message: 'No.' })
  })
})

describe('the bridge token', () => {
  it('is taken from the fragment once, kept for the tab, and removed from the address', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage
    const replaceState = vi.fn()
    const history = { replaceState } as unknown as History
    const first = { hash: '#token=abc', pathname: '/', search: '' } as Location
    expect(takeBridgeToken(first, storage, history)).toBe('abc')
    expect(replaceState).toHaveBeenCalledWith(null, '', '/')
    expect(takeBridgeToken({ hash: '', pathname: '/', search: '' } as Location, storage, history)).toBe('abc')
    expect(takeBridgeToken({ hash: '', pathname: '/', search: '' } as Location, { getItem: () => null } as unknown as Storage, history)).toBeNull()
  })
})
