import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import type { FilePurpose } from '../../../shared/api'
import { call } from '../api/outpost'
import { useAppStore } from '../stores/use-app-store'
import { useToastStore } from '../stores/use-toast-store'

type Props = {
  label: string
  value: string
  onChange: (path: string) => void
  placeholder: string
  /** How to type a path; shown only where there is no system dialog (the browser build). */
  hint: string
  purpose: FilePurpose
  suggestedName?: string
  testId: string
}

/**
 * A file path: typed, or picked with the system's Save/Open dialog where the app has one
 * (`app.info.fileDialogs`). The path stays editable either way, so the keyboard is enough.
 */
export function PathField({ label, value, onChange, placeholder, hint, purpose, suggestedName, testId }: Props) {
  const { t } = useTranslation()
  const id = useId()
  const fileDialogs = useAppStore((s) => s.info?.fileDialogs ?? false)
  const choose = async () => {
    try {
      const { path } = await call('app.chooseFile', suggestedName ? { purpose, suggestedName } : { purpose })
      if (path) onChange(path)
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  }
  return (
    <div className="path-field">
      <label htmlFor={id}>{label}</label>
      <div className="path-field-row">
        <input id={id} required value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} spellCheck={false} dir="ltr" data-testid={testId} />
        {fileDialogs && (
          <button type="button" className="secondary" onClick={() => void choose()} data-testid={`${testId}-choose`}>
            {t('app.chooseFile')}
          </button>
        )}
      </div>
      {!fileDialogs && <p className="hint">{hint}</p>}
    </div>
  )
}
