import type { Choice } from '../../../../shared/forms/runtime/labels'
import { pickByDigit } from './SelectOne'
import { questionInput, type WidgetProps } from './types'

/** select_multiple: the value is the chosen names separated by spaces, as ODK stores it. */
export function SelectMany({ session, node, choices, inputId, describedBy, invalid, readOnly }: WidgetProps & { choices: Choice[] }) {
  const chosen = new Set(node.value.split(/\s+/).filter(Boolean))
  const toggle = (value: string) => {
    if (readOnly) return
    const next = new Set(chosen)
    if (next.has(value)) next.delete(value)
    else next.add(value)
    // Keep the choices' order, not the order of clicking, as ODK does.
    session.setAnswer(node, choices.map((c) => c.value).filter((v) => next.has(v)).join(' '))
  }
  return (
    <div
      role="group"
      id={inputId}
      aria-labelledby={`${inputId}-label`}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      className="choices"
      onKeyDown={(event) => pickByDigit(event, choices, toggle)}
    >
      {choices.map((choice, index) => (
        <label key={choice.value} className="choice">
          <input
            type="checkbox"
            value={choice.value}
            checked={chosen.has(choice.value)}
            disabled={readOnly}
            onChange={() => toggle(choice.value)}
            {...(index === 0 ? questionInput : {})}
          />
          <span className="choice-number" aria-hidden="true">{index < 9 ? index + 1 : ''}</span>
          <span>{choice.label}</span>
        </label>
      ))}
    </div>
  )
}
