const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Decodes XML character references and the `_xHHHH_` escapes Excel writes for control chars. */
export function decodeXmlText(text: string): string {
  const decoded = text.includes('&')
    ? text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
        if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16))
        if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10))
        return named[ref] ?? whole
      })
    : text
  return decoded.includes('_x')
    ? decoded.replace(/_x([0-9A-Fa-f]{4})_/g, (_w, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      )
    : decoded
}

export function escapeXmlText(text: string): string {
  if (!/[&<>]/.test(text)) return text
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function escapeXmlAttr(text: string): string {
  if (!/[&<>"\n\t]/.test(text)) return text
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')
}
