import type { XNode } from '../xpath/node-model'
import { isNodeSet, toStringValue } from '../xpath/values'
import type { Control, ItextForms, TextSource } from './definition-types'
import type { FormEngine } from './engine'
import type { InstanceNode } from './instance'

export type Choice = { value: string; label: string; image?: string }

/**
 * Labels, hints, messages and choices in the active language. Itext falls back to the form's
 * default language, then to any language that has the text, so a half-translated form still
 * shows every question.
 */
export class Labels {
  language: string | null

  constructor(private readonly engine: FormEngine) {
    this.language = engine.def.itext.defaultLanguage
  }

  get languages(): string[] {
    return this.engine.def.itext.languages
  }

  itextForms(id: string): ItextForms | undefined {
    const { texts, defaultLanguage } = this.engine.def.itext
    const order = [this.language, defaultLanguage, ...texts.keys()].filter((l): l is string => l !== null)
    for (const language of order) {
      const forms = texts.get(language)?.get(id)
      if (forms?.default) return forms
    }
    return undefined
  }

  itext(id: string, node?: InstanceNode): string | null {
    const forms = this.itextForms(id)
    return forms?.default ? this.render(forms.default, node) : null
  }

  render(source: TextSource | undefined, node: InstanceNode = this.engine.root): string {
    if (!source) return ''
    if (source.kind === 'itext') return this.itext(source.id, node) ?? ''
    if (source.kind === 'itext-expr') return this.itext(toStringValue(this.engine.evaluateExpression(source.expr, node)), node) ?? ''
    return source.parts
      .map((part) => (typeof part === 'string' ? part : toStringValue(this.engine.evaluateExpression(part.output, node))))
      .join('')
      .replace(/\s+/g, ' ')
      .trim()
  }

  /** The choices of a select for one node: static items, or the itemset filtered for this node. */
  choices(control: Control, node: InstanceNode): Choice[] {
    if (control.items) return control.items.map((item) => ({ value: item.value, label: this.render(item.label, node) || item.value }))
    const itemset = control.itemset
    if (!itemset) return []
    const found = this.engine.evaluateExpression(itemset.nodeset, node)
    if (!isNodeSet(found)) return []
    return found.map((item) => this.choiceFrom(item, itemset.valueRef, itemset.labelRef, node))
  }

  private choiceFrom(item: XNode, valueRef: string, labelRef: NonNullable<Control['itemset']>['labelRef'], node: InstanceNode): Choice {
    const value = childText(item, valueRef)
    if (labelRef.kind === 'ref') return { value, label: childText(item, labelRef.ref) || value }
    if (labelRef.kind === 'itext-expr') {
      const id = labelRef.expr.trim() === 'itextId' ? childText(item, 'itextId') : toStringValue(this.engine.evaluateExpression(labelRef.expr, node))
      return { value, label: this.itext(id, node) ?? value }
    }
    return { value, label: this.render(labelRef, node) || value }
  }
}

/** Fast path for the usual `name` / `label` refs of an itemset: a child element's text. */
function childText(item: XNode, ref: string): string {
  const simple = /^[\w.-]+$/.test(ref)
  if (simple) return item.children.find((c) => c.localName === ref)?.stringValue().trim() ?? ''
  return item.children.find((c) => c.localName === ref.split('/').pop())?.stringValue().trim() ?? ''
}
