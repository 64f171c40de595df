import type { Choice } from '../../../../shared/forms/runtime/labels'
import { Acknowledge, GeopointInput, RangeInput, TextInput, UploadInput } from './Inputs'
import { Rank } from './Rank'
import { SelectMany } from './SelectMany'
import { SelectOne } from './SelectOne'
import type { WidgetProps } from './types'

/** Chooses the widget for a control from its kind, its bind type and its appearance. */
export function Widget(props: WidgetProps & { choices: Choice[]; onError: (e: unknown) => void }) {
  const { control, session, node } = props
  const type = session.engine.binds.get(node.path)?.type ?? 'string'
  switch (control.kind) {
    case 'select1':
      return <SelectOne {...props} />
    case 'select':
      return <SelectMany {...props} />
    case 'rank':
      return <Rank {...props} />
    case 'trigger':
      return <Acknowledge {...props} />
    case 'range':
      return <RangeInput {...props} />
    case 'upload':
      return <UploadInput {...props} />
    case 'input':
      if (type === 'geopoint') return <GeopointInput {...props} />
      return <TextInput {...props} />
  }
}
