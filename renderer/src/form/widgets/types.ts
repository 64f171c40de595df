import type { Control } from '../../../../shared/forms/runtime/definition-types'
import type { InstanceNode } from '../../../../shared/forms/runtime/instance'
import type { FormSession } from '../session'

export type WidgetProps = {
  session: FormSession
  node: InstanceNode
  control: Control
  /** id of the primary input, for the label's htmlFor. */
  inputId: string
  /** ids of the hint and error elements, for aria-describedby. */
  describedBy: string
  invalid: boolean
  readOnly: boolean
}

/** Marks the element that receives focus when the person moves to this question. */
export const questionInput = { 'data-question-input': '' }
