import { useTranslation } from 'react-i18next'
import { useToastStore } from '../stores/use-toast-store'

/** Errors are announced to screen readers (role="alert") and stay until dismissed. */
export function Toasts() {
  const { t } = useTranslation()
  const toasts = useToastStore((state) => state.toasts)
  const dismiss = useToastStore((state) => state.dismiss)
  if (toasts.length === 0) return null
  return (
    <div className="toasts">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" role="alert" data-code={toast.error.code}>
          <div>
            <strong>{t('toast.errorTitle')}</strong>
            <p>{toast.error.message}</p>
          </div>
          <button type="button" onClick={() => dismiss(toast.id)}>
            {t('toast.dismiss')}
          </button>
        </div>
      ))}
    </div>
  )
}
