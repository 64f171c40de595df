import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FormVersionDetail } from '../../../../shared/api'
import { call } from '../../api/outpost'
import { useToastStore } from '../../stores/use-toast-store'
import { buildFormModel, type FormModel } from './form-model'

/**
 * A version's questions and labels (the latest unless one is named). The list shows every record
 * under the latest version's columns (a question a version dropped is simply empty); one record
 * is shown with the version it was filled with. `formId` null: nothing to load yet.
 */
export function useFormModel(
  formId: string | null,
  formLanguage: string | null,
  formVersionId?: string,
): { form: FormVersionDetail | null; model: FormModel | null } {
  const { i18n } = useTranslation()
  const [form, setForm] = useState<FormVersionDetail | null>(null)
  useEffect(() => {
    let live = true
    if (formId === null) return
    call('forms.get', { id: formId, media: true, ...(formVersionId ? { formVersionId } : {}) })
      .then((found) => live && setForm(found))
      .catch((error: unknown) => useToastStore.getState().showError(error))
    return () => {
      live = false
    }
  }, [formId, formVersionId])
  const model = useMemo(
    () => (form ? buildFormModel(form.xform, i18n.language, formLanguage, form.media) : null),
    [form, i18n.language, formLanguage],
  )
  return { form, model }
}
