import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AttachmentInfo, RecordDetail } from '../../../../shared/api/records'
import { call } from '../../api/outpost'

/** Raster images the page shows inline; anything else (SVG included) is offered as a file. */
const inlineTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp'])

type Loaded = { url: string } | { error: string } | null

/**
 * Reads one file through the core (records.readAttachment: decrypted and authenticated there)
 * and holds it as a blob URL for as long as the record is open.
 */
function useAttachmentUrl(recordId: string, attachment: AttachmentInfo): Loaded {
  const [loaded, setLoaded] = useState<Loaded>(null)
  useEffect(() => {
    let url: string | undefined
    let live = true
    call('records.readAttachment', { recordId, attachmentId: attachment.id })
      .then((content) => {
        const bytes = Uint8Array.from(atob(content.contentBase64), (c) => c.charCodeAt(0))
        url = URL.createObjectURL(new Blob([bytes], { type: content.mediaType }))
        if (live) setLoaded({ url })
        else URL.revokeObjectURL(url)
      })
      .catch((error: unknown) => {
        if (live) setLoaded({ error: error instanceof Error ? error.message : String(error) })
      })
    return () => {
      live = false
      if (url) URL.revokeObjectURL(url)
    }
  }, [recordId, attachment.id])
  return loaded
}

function sizeText(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value)
}

function Attachment({
  recordId,
  attachment,
  label,
}: {
  recordId: string
  attachment: AttachmentInfo
  label: string
}) {
  const { t, i18n } = useTranslation()
  const loaded = useAttachmentUrl(recordId, attachment)
  const inline = inlineTypes.has(attachment.mediaType)
  return (
    <li className="attachment" data-attachment={attachment.fileName}>
      <div className="attachment-head">
        <span className="attachment-question">{label}</span>
        <span className="attachment-name">{attachment.fileName}</span>
        <span className="attachment-size">{sizeText(attachment.size, i18n.language)}</span>
      </div>
      {loaded === null && <p aria-live="polite">{t('recordsScreen.attachmentLoading')}</p>}
      {loaded && 'error' in loaded && (
        <p role="alert" className="attachment-error">
          {t('recordsScreen.attachmentUnreadable', { message: loaded.error })}
        </p>
      )}
      {loaded && 'url' in loaded && (
        <>
          {inline && (
            <img
              className="attachment-image"
              src={loaded.url}
              alt={t('recordsScreen.attachmentAlt', { name: attachment.fileName, question: label })}
            />
          )}
          <a className="attachment-save" href={loaded.url} download={attachment.fileName}>
            {t('recordsScreen.attachmentSave', { name: attachment.fileName })}
          </a>
        </>
      )}
    </li>
  )
}

/** A record's files: photos shown inline, every file can be saved as a copy. */
export function AttachmentsPanel({
  record,
  labelOf,
}: {
  record: RecordDetail
  labelOf: (path: string) => string
}) {
  const { t } = useTranslation()
  if (record.attachments.length === 0) return null
  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('recordsScreen.attachments')}</h2>
      <ul className="attachment-list">
        {record.attachments.map((attachment) => (
          <Attachment
            key={attachment.id}
            recordId={record.id}
            attachment={attachment}
            label={labelOf(attachment.fieldPath)}
          />
        ))}
      </ul>
    </section>
  )
}
