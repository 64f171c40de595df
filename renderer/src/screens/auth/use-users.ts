import { useCallback, useEffect, useState } from 'react'
import type { CallInput, User } from '../../../../shared/api'
import { toAppError, type AppError } from '../../../../shared/errors'
import { call } from '../../api/outpost'

/** The office's accounts for the supervisor's screen; each change answers with the core's refusal or null. */
export function useUsers() {
  const [users, setUsers] = useState<User[] | null>(null)
  const [loadError, setLoadError] = useState<AppError | null>(null)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    call('users.list', {}).then(
      (list) => {
        setUsers(list)
        setLoadError(null)
      },
      (error: unknown) => setLoadError(toAppError(error)),
    )
  }, [attempt])
  const reload = useCallback(() => setAttempt((n) => n + 1), [])

  const create = async (input: CallInput<'users.create'>): Promise<AppError | null> => {
    try {
      const created = await call('users.create', input)
      setUsers((list) => [...(list ?? []), created])
      return null
    } catch (error) {
      return toAppError(error)
    }
  }
  const update = async (input: CallInput<'users.update'>): Promise<AppError | null> => {
    try {
      const updated = await call('users.update', input)
      setUsers((list) => (list ?? []).map((user) => (user.id === updated.id ? updated : user)))
      return null
    } catch (error) {
      return toAppError(error)
    }
  }
  return { users, loadError, reload, create, update }
}
