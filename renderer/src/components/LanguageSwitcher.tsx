import { useTranslation } from 'react-i18next'
import { uiLanguages, type UiLanguage } from '../../../shared/api'
import { languageNames } from '../i18n'
import { useAppStore } from '../stores/use-app-store'

export function LanguageSwitcher() {
  const { t } = useTranslation()
  const language = useAppStore((state) => state.settings?.language ?? 'en')
  const setLanguage = useAppStore((state) => state.setLanguage)
  return (
    <label className="language-switcher">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        value={language}
        onChange={(event) => void setLanguage(event.target.value as UiLanguage)}
        aria-label={t('app.language')}
      >
        {uiLanguages.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageNames[code]}
          </option>
        ))}
      </select>
    </label>
  )
}
