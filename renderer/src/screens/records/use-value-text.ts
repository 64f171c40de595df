import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { ValueText } from './form-model'

/** The words formatValue needs, in the interface language. */
export function useValueText(): ValueText {
  const { t, i18n } = useTranslation()
  return useMemo(
    () => ({
      yes: t('recordsScreen.yes'),
      no: t('recordsScreen.no'),
      repeat: (count: number) => t('recordsScreen.repeatCount', { count }),
    }),
    // i18n.language: the same t function answers in the new language after a switch
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, i18n.language],
  )
}
