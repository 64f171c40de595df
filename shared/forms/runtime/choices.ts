import { compileXPath } from '../xpath/compile'
import { referencedPaths } from '../xpath/dependencies'
import type { Control } from './definition-types'
import type { FormEngine } from './engine'
import { touches } from './graph'

type Filtered = { control: Control; reads: string[] }

/**
 * Selects whose choices depend on other answers (choice_filter). When such an answer changes,
 * a selection that is no longer among the choices is dropped, as ODK Web Forms and Enketo do:
 * a village from the previous district must not be submitted under the new one.
 */
export class ChoicePruner {
  private readonly filtered: Filtered[]

  constructor(controls: Iterable<Control>) {
    this.filtered = []
    for (const control of controls) {
      if (!control.itemset || (control.kind !== 'select1' && control.kind !== 'select')) continue
      const reads = referencedPaths(compileXPath(control.itemset.nodeset), control.ref).filter((path) => !path.startsWith('instance('))
      if (reads.length > 0) this.filtered.push({ control, reads })
    }
  }

  /** Drops stale selections of the selects that read one of `changed`; returns what it changed. */
  prune(engine: FormEngine, changed: Set<string>, structural: boolean): void {
    for (const { control, reads } of this.filtered) {
      if (!reads.some((read) => changed.has(read) || (structural && [...changed].some((path) => touches(read, path))))) continue
      for (const node of engine.nodesAt(control.ref)) {
        if (node.value === '') continue
        const available = new Set(engine.labels.choices(control, node).map((choice) => choice.value))
        const kept = node.value.split(/\s+/).filter((value) => value !== '' && available.has(value))
        const next = control.kind === 'select1' ? (kept[0] ?? '') : kept.join(' ')
        if (next !== node.value) engine.setValue(node, next)
      }
    }
  }
}
