import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FormVersionDetail } from '../../../../shared/api'
import { call } from '../../api/outpost'
import { useToastStore } from '../../stores/use-toast-store'
import { buildFormModel, type FormModel } from './form-model'

/**
 * The latest version's questions and labels. Records of older versions show under the same
 * columns; a question a version dropped is simply empty.
 */
export function useFormModel(
  formId: string,
  formLanguage: string | null,
): { form: FormVersionDetail | null; model: FormModel | null } {
  const { i18n } = useTranslation()
  const [form, setForm] = useState<FormVersionDetail | null>(null)
  useEffect(() => {
    let live = true
    call('forms.get', { id: formId })
      .then((found) => live && setForm(found))
      .catch((error: unknown) => useToastStore.getState().showError(error))
    return () => {
      live = false
    }
  }, [formId])
  const model = useMemo(
    () => (form ? buildFormModel(form.xform, i18n.language, formLanguage) : null),
    [form, i18n.language, formLanguage],
  )
  return { form, model }
}
