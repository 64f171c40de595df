import type { Build } from './build-context'
import { isSingleReference } from './expression-lexer'
import { emptyRow, walk, type QuestionNode, type SectionNode } from './form-model'
import { questionTypes } from './question-types'

/**
 * A repeat_count that is not a single `${name}` gets its own calculate element `<repeat>_count`
 * beside the repeat, which jr:count then points at (pyxform's layout, kept for compatibility).
 */
export function addRepeatCounts(build: Build): void {
  const repeats = [...walk(build.root)].filter((n): n is SectionNode => n.kind === 'repeat')
  for (const repeat of repeats) {
    const count = repeat.row.values['control::jr:count']
    const parent = repeat.parent
    if (count === undefined || isSingleReference(count) || !parent) continue
    const row = emptyRow('survey', repeat.row.row)
    row.values = { 'bind::calculate': count, 'bind::readonly': 'true()' }
    row.headers = { 'bind::calculate': repeat.row.headers['control::jr:count'] ?? 'repeat_count' }
    const q: QuestionNode = {
      kind: 'question',
      name: `${repeat.name}_count`,
      type: 'calculate',
      def: questionTypes.calculate ?? {},
      row,
      path: '',
      parent,
      generated: true,
    }
    parent.children.splice(parent.children.indexOf(repeat), 0, q)
    repeat.countNode = q
  }
}
