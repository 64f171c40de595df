import type { CallInput, CallName, CallOutput } from '../../../shared/api'
import type { AppError } from '../../../shared/errors'
import { makeCore, type TestCore } from '../../helpers/core'
import { toBase64 } from '../../helpers/forms'

/** A survey with a select_one, a repeat holding a select_multiple, and a plain text question. */
export const surveyMarkdown = [
  '| survey |',
  '|        | type                  | name    | label          |',
  '|        | text                  | hh_name | Household head |',
  '|        | select_one yn         | ok      | OK?            |',
  '|        | begin_repeat          | members | Members        |',
  '|        | text                  | name    | Name           |',
  '|        | select_multiple crops | crops   | Crops          |',
  '|        | end_repeat            |         |                |',
  '| choices |',
  '|         | list_name | name  | label |',
  '|         | yn        | yes   | Yes   |',
  '|         | yn        | no    | No    |',
  '|         | crops     | maize | Maize |',
  '|         | crops     | beans | Beans |',
  '|         | crops     | rice  | Rice  |',
  '| settings |',
  '|          | form_id | version |',
  '|          | household | 1     |',
  '',
].join('\n')

export type RecordsCore = TestCore & {
  formId: string
  versionId: string
  /** Calls through the dispatcher (validation included) and unwraps a success. */
  call: <K extends CallName>(name: K, input: CallInput<K>) => Promise<CallOutput<K>>
  /** Calls through the dispatcher and returns the refusal. */
  refuse: <K extends CallName>(name: K, input: CallInput<K>) => Promise<AppError>
}

export async function makeRecordsCore(): Promise<RecordsCore> {
  const core = await makeCore()
  const imported = await core.dispatch('forms.import', { fileName: 'household.md', contentBase64: toBase64(surveyMarkdown) })
  if (!imported.ok) throw new Error(imported.error.message)
  const version = await core.store.db.selectFrom('form_versions').select(['id', 'form_id']).executeTakeFirstOrThrow()
  const call = async <K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> => {
    const result = await core.dispatch(name, input)
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message} ${JSON.stringify(result.error.details ?? '')}`)
    return result.value as CallOutput<K>
  }
  const refuse = async <K extends CallName>(name: K, input: CallInput<K>): Promise<AppError> => {
    const result = await core.dispatch(name, input)
    if (result.ok) throw new Error(`${name} was expected to be refused`)
    return result.error
  }
  return { ...core, formId: version.form_id, versionId: version.id, call, refuse }
}
