import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useUndoStore } from '../stores/use-records-undo-store'

const visibleMs = 10_000

/** "3 records deleted · Undo": polite, so a screen reader announces it without interrupting. */
export function UndoSnackbar() {
  const { t } = useTranslation()
  const offer = useUndoStore((s) => s.offer)
  const dismiss = useUndoStore((s) => s.dismiss)
  const undo = useUndoStore((s) => s.undo)
  useEffect(() => {
    if (!offer) return
    const timer = setTimeout(dismiss, visibleMs)
    return () => clearTimeout(timer)
  }, [offer, dismiss])
  return (
    <div className="snackbar-region" role="status" aria-live="polite">
      {offer && (
        <div className="snackbar" data-testid="undo-snackbar">
          <span>{t('recordsScreen.deletedCount', { count: offer.count })}</span>
          <button type="button" className="link" onClick={() => void undo()}>
            {t('recordsScreen.undo')}
          </button>
          <button
            type="button"
            className="link"
            onClick={dismiss}
            aria-label={t('recordsScreen.dismiss')}
          >
            ×
          </button>
        </div>
      )}
    </div>
  )
}
