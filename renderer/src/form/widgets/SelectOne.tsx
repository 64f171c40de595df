import { useMemo, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Choice } from '../../../../shared/forms/runtime/labels'
import { questionInput, type WidgetProps } from './types'

/** Picks a choice by its number (1–9) while focus is in the group: typing in paper forms. */
export function pickByDigit(event: KeyboardEvent, choices: Choice[], pick: (value: string) => void): void {
  if (event.ctrlKey || event.metaKey || event.altKey || !/^[1-9]$/.test(event.key)) return
  const choice = choices[Number(event.key) - 1]
  if (!choice) return
  event.preventDefault()
  pick(choice.value)
}

export function SelectOne(props: WidgetProps & { choices: Choice[] }) {
  const { session, node, choices, inputId, describedBy, invalid, readOnly, control } = props
  const appearance = control.appearance ?? ''
  if (choices.length > 12 || /autocomplete|search|minimal/.test(appearance)) return <SearchableSelect {...props} />
  const pick = (value: string) => !readOnly && session.setAnswer(node, value)
  return (
    <div
      role="radiogroup"
      id={inputId}
      aria-labelledby={`${inputId}-label`}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      className={`choices ${/likert|columns|horizontal/.test(appearance) ? 'choices-row' : ''}`}
      onKeyDown={(event) => pickByDigit(event, choices, pick)}
    >
      {choices.map((choice, index) => (
        <label key={choice.value} className="choice">
          <input
            type="radio"
            name={node.key}
            value={choice.value}
            checked={node.value === choice.value}
            disabled={readOnly}
            onChange={() => pick(choice.value)}
            {...(index === 0 ? questionInput : {})}
          />
          <span className="choice-number" aria-hidden="true">{index < 9 ? index + 1 : ''}</span>
          <span>{choice.label}</span>
        </label>
      ))}
    </div>
  )
}

/** Long lists (villages, schools): type to filter, arrows to move, Enter to choose. */
function SearchableSelect({ session, node, choices, inputId, describedBy, invalid, readOnly }: WidgetProps & { choices: Choice[] }) {
  const { t } = useTranslation()
  const current = choices.find((c) => c.value === node.value)
  const [text, setText] = useState<string | null>(null)
  const [active, setActive] = useState(0)
  const filtered = useMemo(() => {
    const needle = (text ?? '').toLocaleLowerCase()
    return (needle ? choices.filter((c) => c.label.toLocaleLowerCase().includes(needle)) : choices).slice(0, 50)
  }, [choices, text])
  const choose = (choice: Choice | undefined) => {
    if (!choice || readOnly) return
    session.setAnswer(node, choice.value)
    setText(null)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (text === null) return
    if (event.key === 'ArrowDown') setActive((a) => Math.min(a + 1, filtered.length - 1))
    else if (event.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0))
    else if (event.key === 'Enter' && filtered[active]) choose(filtered[active])
    else if (event.key === 'Escape') setText(null)
    else return
    event.preventDefault()
    if (event.key === 'Enter') event.stopPropagation()
  }
  const listId = `${inputId}-list`
  return (
    <div className="combobox">
      <input
        id={inputId}
        role="combobox"
        aria-expanded={text !== null}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-describedby={describedBy}
        aria-invalid={invalid}
        readOnly={readOnly}
        placeholder={t('fill.typeToFilter', { count: choices.length })}
        value={text ?? current?.label ?? ''}
        onChange={(event) => {
          setText(event.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setText(null)}
        {...questionInput}
      />
      {text !== null && (
        <ul role="listbox" id={listId} className="combobox-list">
          {filtered.map((choice, index) => (
            <li
              key={choice.value}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'active' : ''}
              onMouseDown={(event) => {
                event.preventDefault()
                choose(choice)
              }}
            >
              {choice.label}
            </li>
          ))}
          {filtered.length === 0 && <li className="empty">{t('fill.noMatch')}</li>}
        </ul>
      )}
    </div>
  )
}
