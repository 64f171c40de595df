import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { UiLanguage } from '../../../shared/api'
import { directionOf } from '../../../shared/text-direction'
import ar from './locales/ar.json'
import en from './locales/en.json'
import fr from './locales/fr.json'

export const languageNames: Record<UiLanguage, string> = { en: 'English', fr: 'Français', ar: 'العربية' }

export async function initI18n(language: UiLanguage = 'en'): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr }, ar: { translation: ar } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes already
    returnNull: false,
  })
  applyDocumentLanguage(language)
}

/** Switches the interface language and the page direction (Arabic, Persian, Urdu are RTL). */
export async function switchLanguage(language: UiLanguage): Promise<void> {
  await i18next.changeLanguage(language)
  applyDocumentLanguage(language)
}

function applyDocumentLanguage(language: UiLanguage): void {
  document.documentElement.lang = language
  document.documentElement.dir = directionOf(language)
}
