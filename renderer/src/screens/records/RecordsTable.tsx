import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { RecordSummary } from '../../../../shared/api/records'
import { useRecordsStore, type SortBy } from '../../stores/use-records-store'
import type { FormModel } from './form-model'
import { RecordRow } from './RecordRow'

const rowHeight = 40

type Props = {
  model: FormModel
  onOpen: (row: RecordSummary) => void
  onEdit: (row: RecordSummary) => void
  focusOnMount?: boolean
}

/**
 * The records as a real table (so assistive technology reads headers and cells), virtualized:
 * only the rows in view exist, fetched in windows. Rows use a roving tabindex; arrows move, Enter
 * opens, Space selects, Delete deletes (with undo).
 */
export function RecordsTable({ model, onOpen, onEdit, focusOnMount }: Props) {
  const { t } = useTranslation()
  const s = useRecordsStore()
  const scroller = useRef<HTMLDivElement>(null)
  const wantFocus = useRef(focusOnMount ?? false)
  const count = s.total ?? 0
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0
  const { ensureRange, generation } = s
  useEffect(() => ensureRange(first, last), [first, last, generation, ensureRange])
  useEffect(() => {
    if (!wantFocus.current) return
    const row = scroller.current?.querySelector<HTMLElement>(`tr[data-index="${s.focusIndex}"]`)
    if (row) {
      row.focus({ preventScroll: true })
      wantFocus.current = false
    }
  })

  const columns = model.columns
  useEffect(() => {
    // Coming back from a record: bring its row into view so it can take the focus.
    if (wantFocus.current)
      virtualizer.scrollToIndex(useRecordsStore.getState().focusIndex, { align: 'center' })
  }, [virtualizer])

  const moveTo = (index: number) => {
    const target = Math.max(0, Math.min(index, count - 1))
    wantFocus.current = true
    s.setFocus(target)
    virtualizer.scrollToIndex(target, { align: 'auto' })
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>) => {
    const row = s.rowAt(s.focusIndex)
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / rowHeight) - 1)
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
    }
    const move = moves[event.key]
    if (move !== undefined) moveTo(s.focusIndex + move)
    else if (event.key === 'Home') moveTo(0)
    else if (event.key === 'End') moveTo(count - 1)
    else if (event.key === 'Enter' && row) onOpen(row)
    else if (event.key === ' ' && row) s.toggleSelected(row.id)
    else if (event.key === 'Delete' && row && !s.query.deleted)
      void s.remove(s.selected.size > 0 ? [...s.selected] : [row.id])
    else return
    event.preventDefault()
  }

  const sortHeader = (by: SortBy, label: string) => {
    const active = s.query.sort.by === by
    const direction = active && s.query.sort.direction === 'asc' ? 'desc' : 'asc'
    return (
      <th
        scope="col"
        aria-sort={
          active ? (s.query.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'
        }
      >
        <button
          type="button"
          className="sort-button"
          onClick={() => s.setQuery({ sort: { by, direction } })}
        >
          {label}
          <span aria-hidden="true">
            {active ? (s.query.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
          </span>
        </button>
      </th>
    )
  }

  const loadedIds = [...s.pages.values()].flat().map((r) => r.id)
  const allSelected = loadedIds.length > 0 && loadedIds.every((id) => s.selected.has(id))
  const paddingTop = first > 0 ? (items[0]?.start ?? 0) : 0
  const paddingBottom =
    items.length > 0 ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0
  const span = columns.length + 5

  return (
    <div className="records-scroll" ref={scroller} data-testid="records-scroll">
      <table
        className="records-grid"
        aria-label={t('recordsScreen.tableLabel')}
        aria-rowcount={count + 1}
      >
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="select-cell">
              <input
                type="checkbox"
                checked={allSelected}
                aria-label={t('recordsScreen.selectAll')}
                onChange={() => s.setSelected(allSelected ? [] : loadedIds)}
              />
            </th>
            {sortHeader('instanceName', t('recordsScreen.name'))}
            {sortHeader('status', t('recordsScreen.status'))}
            {columns.map((c) => (
              <th scope="col" key={c.path} title={c.label}>
                {c.label}
              </th>
            ))}
            {sortHeader('created', t('recordsScreen.created'))}
            {sortHeader('updated', t('recordsScreen.updated'))}
            <th scope="col">
              <span className="visually-hidden">{t('recordsScreen.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={span} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = s.rowAt(item.index)
            const focused = item.index === s.focusIndex
            return (
              <RecordRow
                key={item.index}
                index={item.index}
                row={row}
                span={span}
                focused={focused}
                columns={model.columns}
                onOpen={onOpen}
                onEdit={onEdit}
              />
            )
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={span} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  )
}
