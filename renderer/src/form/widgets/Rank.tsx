import { useTranslation } from 'react-i18next'
import type { Choice } from '../../../../shared/forms/runtime/labels'
import { questionInput, type WidgetProps } from './types'

/**
 * odk:rank: the answer is every choice, space-separated, in the person's order. Alt+ArrowUp and
 * Alt+ArrowDown move the focused item; the buttons do the same for the mouse.
 */
export function Rank({ session, node, choices, inputId, describedBy, readOnly }: WidgetProps & { choices: Choice[] }) {
  const { t } = useTranslation()
  const given = node.value.split(/\s+/).filter((v) => choices.some((c) => c.value === v))
  const order = [...given, ...choices.map((c) => c.value).filter((v) => !given.includes(v))]
  const label = (value: string) => choices.find((c) => c.value === value)?.label ?? value
  const move = (index: number, step: -1 | 1) => {
    const target = index + step
    if (readOnly || target < 0 || target >= order.length) return
    const next = [...order]
    ;[next[index], next[target]] = [next[target] as string, next[index] as string]
    session.setAnswer(node, next.join(' '))
  }
  return (
    <ol className="rank" id={inputId} aria-labelledby={`${inputId}-label`} aria-describedby={describedBy}>
      {order.map((value, index) => (
        <li
          key={value}
          tabIndex={0}
          onKeyDown={(event) => {
            if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return
            event.preventDefault()
            move(index, event.key === 'ArrowUp' ? -1 : 1)
          }}
          {...(index === 0 ? questionInput : {})}
        >
          <span>{label(value)}</span>
          <button type="button" className="link" aria-label={t('fill.moveUp', { label: label(value) })} onClick={() => move(index, -1)} disabled={index === 0}>
            ↑
          </button>
          <button type="button" className="link" aria-label={t('fill.moveDown', { label: label(value) })} onClick={() => move(index, 1)} disabled={index === order.length - 1}>
            ↓
          </button>
        </li>
      ))}
    </ol>
  )
}
