import { useTranslation } from 'react-i18next'
import { questionInput, type WidgetProps } from './types'

const offset = (): string => {
  const minutes = -new Date().getTimezoneOffset()
  const sign = minutes >= 0 ? '+' : '-'
  const abs = Math.abs(minutes)
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
}

/** ODK's lexical forms ↔ the browser's input values. */
const codecs: Record<string, { input: string; toInput: (v: string) => string; fromInput: (v: string) => string }> = {
  date: { input: 'date', toInput: (v) => v.slice(0, 10), fromInput: (v) => v },
  time: { input: 'time', toInput: (v) => v.slice(0, 5), fromInput: (v) => (v ? `${v}:00.000${offset()}` : '') },
  dateTime: { input: 'datetime-local', toInput: (v) => v.slice(0, 16), fromInput: (v) => (v ? `${v}:00.000${offset()}` : '') },
}

export function TextInput({ session, node, control, inputId, describedBy, invalid, readOnly }: WidgetProps) {
  const type = session.engine.binds.get(node.path)?.type ?? 'string'
  const numeric = type === 'int' || type === 'integer' || type === 'decimal'
  const codec = codecs[type]
  const common = {
    id: inputId,
    'aria-describedby': describedBy,
    'aria-invalid': invalid,
    readOnly,
    ...questionInput,
  }
  if (/multiline/.test(control.appearance ?? '') && !numeric && !codec) {
    return <textarea {...common} rows={4} value={node.value} onChange={(e) => session.setAnswer(node, e.target.value, { typing: true })} />
  }
  return (
    <input
      {...common}
      type={codec?.input ?? 'text'}
      inputMode={type === 'decimal' ? 'decimal' : numeric ? 'numeric' : undefined}
      value={codec ? codec.toInput(node.value) : node.value}
      onChange={(e) => session.setAnswer(node, codec ? codec.fromInput(e.target.value) : e.target.value, { typing: !codec })}
    />
  )
}

/** geopoint by hand: latitude, longitude, altitude, accuracy → "lat lon alt acc". */
export function GeopointInput({ session, node, inputId, describedBy, invalid, readOnly }: WidgetProps) {
  const { t } = useTranslation()
  const parts = node.value.split(/\s+/)
  const names = ['latitude', 'longitude', 'altitude', 'accuracy'] as const
  const set = (index: number, value: string) => {
    const next = names.map((_, i) => (i === index ? value.trim() : (parts[i] ?? '')))
    const filled = next[0] !== '' || next[1] !== ''
    session.setAnswer(node, filled ? next.map((p, i) => p || (i < 2 ? '' : '0')).join(' ') : '', { typing: true })
  }
  return (
    <div className="geopoint" role="group" aria-labelledby={`${inputId}-label`} aria-describedby={describedBy}>
      {names.map((name, index) => (
        <label key={name}>
          <span>{t(`fill.${name}`)}</span>
          <input
            id={index === 0 ? inputId : undefined}
            inputMode="decimal"
            aria-invalid={invalid}
            readOnly={readOnly}
            value={parts[index] ?? ''}
            onChange={(e) => set(index, e.target.value)}
            {...(index === 0 ? questionInput : {})}
          />
        </label>
      ))}
    </div>
  )
}

/** acknowledge / trigger: ticking it records "OK", as ODK does. */
export function Acknowledge({ session, node, inputId, describedBy, readOnly }: WidgetProps) {
  const { t } = useTranslation()
  return (
    <label className="choice">
      <input
        id={inputId}
        type="checkbox"
        aria-describedby={describedBy}
        checked={node.value !== ''}
        disabled={readOnly}
        onChange={(e) => session.setAnswer(node, e.target.checked ? 'OK' : '')}
        {...questionInput}
      />
      <span>{t('fill.acknowledge')}</span>
    </label>
  )
}

export function RangeInput({ session, node, control, inputId, describedBy, invalid, readOnly }: WidgetProps) {
  return (
    <input
      id={inputId}
      type="number"
      min={control.range?.start}
      max={control.range?.end}
      step={control.range?.step}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      readOnly={readOnly}
      value={node.value}
      onChange={(e) => session.setAnswer(node, e.target.value, { typing: true })}
      {...questionInput}
    />
  )
}

const readBase64 = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result.replace(/^data:[^,]*,/, '') : '')
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
    reader.readAsDataURL(file)
  })

/** image/audio/video/file: the file goes to the core's content-addressed store; the answer is its name. */
export function UploadInput({ session, node, control, inputId, describedBy, invalid, readOnly, onError }: WidgetProps & { onError: (e: unknown) => void }) {
  const { t } = useTranslation()
  const accept = control.mediatype && control.mediatype !== '*/*' ? control.mediatype : undefined
  const attach = async (file: File) => {
    await session.save() // the record must exist before a file can be attached to it
    if (!session.recordId) return
    const path = node.path.slice(session.engine.root.path.length + 1)
    await session.attach(path, file.name, file.type || 'application/octet-stream', await readBase64(file))
    session.setAnswer(node, file.name)
  }
  return (
    <div className="upload">
      {node.value && <span className="upload-name">{node.value}</span>}
      <input
        id={inputId}
        type="file"
        accept={accept}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        disabled={readOnly}
        aria-label={node.value ? t('fill.replaceFile') : t('fill.chooseFile')}
        onChange={(e) => {
          const file = e.target.files?.[0]
          if (file) attach(file).catch(onError)
        }}
        {...questionInput}
      />
    </div>
  )
}
