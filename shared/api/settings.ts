import { z } from 'zod'
import { defineCalls } from './define'

/** Languages the interface itself is translated into (form languages come from each form). */
export const uiLanguages = ['en', 'fr', 'ar'] as const
export const uiLanguageSchema = z.enum(uiLanguages)
export type UiLanguage = z.infer<typeof uiLanguageSchema>

export const settingsSchema = z.object({
  language: uiLanguageSchema,
})
export type Settings = z.infer<typeof settingsSchema>

export const defaultSettings: Settings = { language: 'en' }

export const settingsCalls = defineCalls({
  'settings.get': { input: z.object({}).strict(), output: settingsSchema },
  'settings.update': { input: settingsSchema.partial().strict(), output: settingsSchema },
})
