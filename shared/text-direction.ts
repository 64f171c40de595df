/** Languages written right to left (ISO 639-1/-3 codes), for both the interface and form labels. */
const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi'])

/** Direction of a BCP 47 tag or an XLSForm language label such as "Arabic (ar)". */
export function directionOf(language: string): 'rtl' | 'ltr' {
  const code = /\(([A-Za-z-]+)\)\s*$/.exec(language)?.[1] ?? language
  const primary = code.toLowerCase().split(/[-_]/)[0] ?? ''
  return rtlLanguages.has(primary) ? 'rtl' : 'ltr'
}
