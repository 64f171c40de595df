import { useTranslation } from 'react-i18next'
import type { RecordSummary } from '../../../../shared/api/records'
import { useRecordsStore } from '../../stores/use-records-store'
import { formatValue, type QuestionColumn } from './form-model'
import { useValueText } from './use-value-text'

type Props = {
  index: number
  /** Not fetched yet: a placeholder keeps the row's place until it is. */
  row: RecordSummary | undefined
  span: number
  focused: boolean
  columns: QuestionColumn[]
  onOpen: (row: RecordSummary) => void
  onEdit: (row: RecordSummary) => void
}

/**
 * One record in the table. Only the row is in the tab order (roving tabindex); its controls are
 * for the mouse, as the keyboard acts on the row itself. The <tr> stays the same element when the
 * placeholder fills in, so a row that has the focus keeps it.
 */
export function RecordRow({ index, row, span, focused, columns, onOpen, onEdit }: Props) {
  const { t } = useTranslation()
  const selected = useRecordsStore((s) => (row ? s.selected.has(row.id) : false))
  const setFocus = useRecordsStore((s) => s.setFocus)
  return (
    <tr
      data-index={index}
      data-status={row?.status}
      aria-rowindex={index + 2}
      tabIndex={focused ? 0 : -1}
      className={row ? (selected ? 'selected' : undefined) : 'loading-row'}
      onFocus={() => focused || setFocus(index)}
      onDoubleClick={() => row && onOpen(row)}
    >
      {row ? (
        <Cells row={row} selected={selected} columns={columns} onOpen={onOpen} onEdit={onEdit} />
      ) : (
        <td colSpan={span}>{t('recordsScreen.loadingRow')}</td>
      )}
    </tr>
  )
}

type CellsProps = Pick<Props, 'columns' | 'onOpen' | 'onEdit'> & {
  row: RecordSummary
  selected: boolean
}

function Cells({ row, selected, columns, onOpen, onEdit }: CellsProps) {
  const { t, i18n } = useTranslation()
  const valueText = useValueText()
  const inBin = useRecordsStore((s) => s.query.deleted)
  const { toggleSelected, restore } = useRecordsStore.getState()
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const name = row.instanceName ?? row.id.slice(-8)
  return (
    <>
      <td className="select-cell">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={t('recordsScreen.select', { name })}
          onChange={() => toggleSelected(row.id)}
        />
      </td>
      <td>
        <button type="button" className="link" tabIndex={-1} onClick={() => onOpen(row)}>
          {name}
        </button>
      </td>
      <td>
        <span className={`status-badge status-${row.status}`}>
          {t(`records.status_${row.status}`)}
        </span>
      </td>
      {columns.map((c) => (
        <td key={c.path}>{formatValue(row.values[c.path], c, valueText)}</td>
      ))}
      <td>{when.format(row.createdAt)}</td>
      <td>{when.format(row.updatedAt)}</td>
      <td>
        {inBin ? (
          <button
            type="button"
            className="link"
            tabIndex={-1}
            onClick={() => void restore([row.id])}
          >
            {t('recordsScreen.restore')}
          </button>
        ) : (
          <button type="button" className="link" tabIndex={-1} onClick={() => onEdit(row)}>
            {row.status === 'draft' ? t('records.continue') : t('recordsScreen.edit')}
          </button>
        )}
      </td>
    </>
  )
}
