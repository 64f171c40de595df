import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FormVersionDetail } from '../../../../shared/api'
import type { SyncConflictView } from '../../../../shared/api/sync'
import { call } from '../../api/outpost'
import { buildFormModel, type FormModel } from '../records/form-model'

/**
 * The form model (labels, choices in the interface language) of every form version the conflicts
 * name, each loaded once. A version that cannot be read leaves its fields named by their paths.
 */
export function useFormModels(conflicts: readonly SyncConflictView[]): Map<string, FormModel> {
  const { i18n } = useTranslation()
  const [versions, setVersions] = useState<Map<string, FormVersionDetail>>(new Map())
  const wanted = useMemo(() => {
    const refs = new Map<string, string>()
    for (const c of conflicts) if (c.record) refs.set(c.record.formVersionId, c.record.formId)
    return refs
  }, [conflicts])
  const requested = useRef(new Set<string>())
  useEffect(() => {
    for (const [formVersionId, formId] of wanted) {
      if (requested.current.has(formVersionId)) continue
      requested.current.add(formVersionId)
      call('forms.get', { id: formId, formVersionId })
        .then((version) => setVersions((old) => new Map(old).set(formVersionId, version)))
        // The labels are a help, not a need: the field path still names the question.
        .catch(() => undefined)
    }
  }, [wanted])
  return useMemo(() => {
    const models = new Map<string, FormModel>()
    for (const [id, version] of versions) models.set(id, buildFormModel(version.xform, i18n.language))
    return models
  }, [versions, i18n.language])
}
