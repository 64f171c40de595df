import type {
  Control,
  BodyNode,
  TextSource,
} from '../../../../shared/forms/runtime/definition-types'
import { parseXForm } from '../../../../shared/forms/runtime/definition'
import type { FormMediaFile } from '../../../../shared/api'
import { FormEngine } from '../../../../shared/forms/runtime/engine'
import { mediaLoader } from '../../form/session'

/** One question as the records screens show it: its path in RecordValues and its label. */
export type QuestionColumn = {
  path: string
  label: string
  kind: 'scalar' | 'select' | 'multi' | 'repeat'
  /** Choice name → label in the form language; empty for questions without choices. */
  choices: Map<string, string>
}

export type FormModel = {
  columns: QuestionColumn[]
  languages: string[]
  language: string | null
  labelOf: (path: string) => string
  column: (path: string) => QuestionColumn | undefined
}

/**
 * The form language matching the interface language ("Arabic (ar)" for ar), else the form's
 * default: a supervisor reading the list in Arabic sees Arabic labels when the form has them.
 */
export function pickFormLanguage(
  languages: string[],
  uiLanguage: string,
  fallback: string | null,
): string | null {
  const matching = languages.find(
    (l) => new RegExp(`\\(${uiLanguage}\\)\\s*$`, 'i').test(l) || l.toLowerCase() === uiLanguage,
  )
  return matching ?? fallback ?? languages[0] ?? null
}

/** Builds columns and labels from the XForm a version stores, in one form language. */
export function buildFormModel(
  xform: string,
  uiLanguage: string,
  chosen?: string | null,
  /** The files the form reads, so choices from villages.csv show their labels too. */
  media: readonly FormMediaFile[] = [],
): FormModel {
  const engine = new FormEngine(parseXForm(xform), { loadExternal: mediaLoader(media) })
  const labels = engine.labels
  labels.language = chosen ?? pickFormLanguage(labels.languages, uiLanguage, labels.language)
  const render = (source: TextSource | undefined) => (source ? labels.render(source) : '')
  const root = engine.root.path.replace(/\/+$/, '')
  const relative = (path: string) => path.replace(new RegExp(`^${escapeRegExp(root)}/`), '')
  const columns: QuestionColumn[] = []
  const labelByPath = new Map<string, string>()

  const choicesOf = (control: Control): Map<string, string> => {
    // A choice filter depends on other answers; the list shows every label, so drop the filter.
    const unfiltered = control.itemset
      ? {
          ...control,
          itemset: {
            ...control.itemset,
            nodeset: control.itemset.nodeset.replace(/\[[^\]]*\]/g, ''),
          },
        }
      : control
    return new Map(labels.choices(unfiltered, engine.root).map((c) => [c.value, c.label]))
  }

  const walk = (nodes: BodyNode[], inRepeat: boolean) => {
    for (const node of nodes) {
      if (node.kind === 'group') walk(node.children, inRepeat)
      else if (node.kind === 'repeat') {
        const path = relative(node.nodeset)
        labelByPath.set(path, render(node.label) || path)
        if (!inRepeat)
          columns.push({
            path,
            label: render(node.label) || path,
            kind: 'repeat',
            choices: new Map(),
          })
        walk(node.children, true)
      } else if (node.kind !== 'trigger') {
        const path = relative(node.ref)
        const label = render(node.label) || path.split('/').pop() || path
        labelByPath.set(path, label)
        labelByPath.set(path.split('/').pop() ?? path, label) // repeat children are keyed by their own name
        if (inRepeat) continue
        const kind =
          node.kind === 'select1' ? 'select' : node.kind === 'select' ? 'multi' : 'scalar'
        columns.push({
          path,
          label,
          kind,
          choices: kind === 'scalar' ? new Map<string, string>() : choicesOf(node),
        })
      }
    }
  }
  walk(engine.def.body, false)
  const byPath = new Map(columns.map((c) => [c.path, c]))
  return {
    columns,
    languages: labels.languages,
    language: labels.language,
    labelOf: (path) => labelByPath.get(path.replace(/\[\d+\]/g, '')) ?? path,
    column: (path) => byPath.get(path),
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export type ValueText = { yes: string; no: string; repeat: (count: number) => string }

/** A stored answer as people read it: choice labels, lists joined, repeats counted. */
export function formatValue(
  value: unknown,
  column: QuestionColumn | undefined,
  text: ValueText,
): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'boolean') return value ? text.yes : text.no
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return column?.choices.get(value) ?? value
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string'))
      return value.map((v) => column?.choices.get(v) ?? v).join(', ')
    return text.repeat(value.length)
  }
  return JSON.stringify(value)
}
