import { compileXPath, type CompiledXPath } from '../xpath/compile'
import type { XPathHooks } from '../xpath/context'
import type { NodeModel } from '../xpath/node-model'
import { toBooleanValue, toNumberValue, type XPathValue } from '../xpath/values'
import type { Bind, Control, FormDefinition, Repeat } from './definition-types'
import { buildGraph, readersOf, touches, type Computation, type Graph } from './graph'
import { indexedChildrenWhere } from '../xpath/children-index'
import { buildElement, buildInstance, buildInstanceFromRaw, InstanceNode, type InstanceDoc } from './instance'
import { applyActions, applyPreloads, type LoadEnvironment } from './preloads'
import { Labels } from './labels'
import { ChoicePruner } from './choices'
import { findControls, findRepeats } from './repeats'
import { childElements, type XmlElement } from './xml'
import { canonicalAnswer, storedResult, typedDefault } from './serialize'

export type NodeState = { relevantSelf: boolean; required: boolean; readonly: boolean; constraintOk: boolean }

export type EngineOptions = LoadEnvironment & {
  hooks?: XPathHooks
  /** Secondary instances given by src (jr://file-csv/…, jr://file/…): the caller loads them. */
  loadExternal?: (src: string) => XmlElement | undefined
  /** A saved instance (draft or record) to continue instead of a new one. */
  instanceXml?: XmlElement
}

const secondaryBase = 1_000_000_000

/**
 * A running form: the primary instance, its secondary instances, and every bind expression kept
 * up to date incrementally. setValue recomputes only the expressions that read what changed.
 */
export class FormEngine {
  readonly primary: InstanceDoc
  readonly model: NodeModel
  readonly binds = new Map<string, Bind>()
  readonly repeats = new Map<string, Repeat>()
  private readonly graph: Graph
  /** Secondary instances by id; one kept unparsed is built on first use (a thunk until then). */
  private readonly secondary = new Map<string, InstanceDoc | (() => InstanceDoc | undefined)>()
  private readonly templates = new Map<string, XmlElement>()
  /** Child paths of each element in the order the form declares them. */
  private readonly declaredChildren = new Map<string, string[]>()
  private readonly states = new WeakMap<InstanceNode, NodeState>()
  private readonly byPath = new Map<string, Set<InstanceNode>>()
  private readonly adHoc = new Map<string, CompiledXPath>()
  private readonly counting = new Set<string>()
  /** The instances of each repeat the form itself declares (under the first parent that has any). */
  private readonly declaredInstances = new Map<string, XmlElement[]>()
  /** True while the constructor computes the form for the first time. */
  private loading = true
  readonly labels: Labels
  private readonly hooks: XPathHooks
  private readonly controls = new Map<string, Control>()
  private readonly pruner: ChoicePruner | undefined
  /** Bumped on every change so the UI (and memoised itemsets) know to re-read. */
  revision = 0

  constructor(readonly def: FormDefinition, private readonly options: EngineOptions = {}) {
    for (const bind of def.binds) this.binds.set(bind.nodeset, bind)
    for (const repeat of findRepeats(def.body)) this.repeats.set(repeat.nodeset, repeat)
    this.collectTemplates(def.primary, '')
    this.primary = buildInstance(options.instanceXml ?? def.primary, 0, true)
    this.loadSecondary()
    // Secondary instances never change: their choice filters are answered from an index.
    const childrenWhere = indexedChildrenWhere((parent) => parent instanceof InstanceNode && parent.doc.base !== 0)
    this.model = {
      primaryRoot: this.primary.root,
      instance: (id) => this.secondaryDoc(id)?.root ?? null,
      childrenWhere,
    }
    this.labels = new Labels(this)
    this.hooks = {
      ...options.hooks,
      itext: (id) => this.labels.itext(id),
      choiceName: (node, value) => {
        const control = node instanceof InstanceNode ? this.controls.get(node.path) : undefined
        if (!control || !(node instanceof InstanceNode)) return null
        return this.labels.choices(control, node).find((choice) => choice.value === value)?.label ?? null
      },
    }
    for (const control of findControls(def.body)) this.controls.set(control.ref, control)
    this.graph = buildGraph(def, this.hooks)
    this.pruner = new ChoicePruner(this.controls.values())
    this.indexTree(this.primary.root)
    if (!options.instanceXml) {
      for (const bind of def.binds) for (const node of this.nodesAt(bind.nodeset)) if (node.isLeaf) node.value = typedDefault(bind.type, node.value)
      applyPreloads(this, 'load', options)
      applyActions(this, 'odk-instance-first-load')
    }
    applyActions(this, 'odk-instance-load')
    this.recomputeAll()
    this.loading = false
  }

  get root(): InstanceNode {
    return this.primary.root.children[0] as InstanceNode
  }

  nodesAt(path: string): InstanceNode[] {
    return [...(this.byPath.get(path) ?? [])]
  }

  stateOf(node: InstanceNode): NodeState {
    return this.states.get(node) ?? { relevantSelf: true, required: false, readonly: false, constraintOk: true }
  }

  /** Relevant when the node and all its ancestors are. */
  isRelevant(node: InstanceNode): boolean {
    for (let at: InstanceNode | null = node; at && at.kind !== 'root'; at = at.parent) {
      if (!this.stateOf(at).relevantSelf) return false
    }
    return true
  }

  isReadonly(node: InstanceNode): boolean {
    for (let at: InstanceNode | null = node; at && at.kind !== 'root'; at = at.parent) if (this.stateOf(at).readonly) return true
    return this.binds.get(node.path)?.calculate !== undefined
  }

  /** Sets a value and recomputes what depends on it; returns false when nothing changed. */
  setValue(node: InstanceNode, answer: string): boolean {
    const value = canonicalAnswer(this.binds.get(node.path)?.type, answer)
    if (node.value === value) return false
    node.value = value
    this.changed([node.path], false)
    applyActions(this, 'xforms-value-changed', node.path, undefined, node)
    return true
  }

  /** Adds a repeat instance at the end of `parent`'s instances of `repeatPath`. */
  addRepeat(repeatPath: string, parent: InstanceNode, declared?: XmlElement): InstanceNode {
    const existing = this.nodesAt(repeatPath)[0]
    const element = declared ?? this.templates.get(repeatPath) ?? (existing ? this.toTemplate(existing) : undefined)
    if (!element) throw new Error(`The form has no template for the repeat ${repeatPath}.`)
    const created = buildElement(this.primary, { ...element, attrs: {} }, parent, true)
    created.isRepeatLike = true
    const siblings = parent.children.filter((c) => c.path === repeatPath)
    const last = siblings[siblings.length - 1]
    parent.children.splice(last ? parent.children.indexOf(last) + 1 : this.firstInstanceIndex(parent, repeatPath), 0, created)
    this.primary.touch()
    this.indexTree(created)
    applyActions(this, 'odk-new-repeat', repeatPath, created)
    this.changed([repeatPath], true)
    this.evaluateFor(created)
    return created
  }

  removeRepeat(instance: InstanceNode): void {
    const parent = instance.parent
    if (!parent) return
    parent.children.splice(parent.children.indexOf(instance), 1)
    this.unindexTree(instance)
    this.primary.touch()
    this.changed([instance.path], true)
  }

  /** Evaluates an expression that is not a bind (actions, itemsets, labels), compiled once. */
  evaluateExpression(source: string, node: InstanceNode = this.root): XPathValue {
    let compiled = this.adHoc.get(source)
    if (!compiled) this.adHoc.set(source, (compiled = compileXPath(source, this.hooks)))
    return compiled.evaluate(this.context(node))
  }

  /** Finalising: fills end-of-form preloads (end time). */
  finalize(): void {
    applyPreloads(this, 'finalize', this.options)
  }

  context(node: InstanceNode) {
    return { model: this.model, node, current: node, hooks: this.hooks }
  }

  /** The select control answering `path`, for jr:choice-name and the UI. */
  controlAt(path: string): Control | undefined {
    return this.controls.get(path)
  }

  private recomputeAll(): void {
    for (const computation of this.graph.ordered) this.run(computation)
    this.revision++
  }

  /** Runs the readers of the changed paths in graph order, following calculations transitively. */
  private changed(paths: string[], structural: boolean): void {
    const pending = new Set<Computation>()
    const enqueue = (path: string, isStructural: boolean) => {
      for (const reader of readersOf(this.graph, path, isStructural)) pending.add(reader)
    }
    paths.forEach((p) => enqueue(p, structural))
    const written = new Set(paths)
    for (const computation of this.graph.ordered) {
      if (!pending.has(computation)) continue
      const wrote = this.run(computation)
      if (wrote) enqueue(computation.path, computation.mip === 'count' || computation.mip === 'relevant')
      if (wrote) written.add(computation.path)
    }
    this.revision++
    this.pruner?.prune(this, written, structural)
  }

  /** Evaluates one computation for every node at its path; true when a value or count changed. */
  private run(computation: Computation): boolean {
    let wrote = false
    for (const node of this.targetsOf(computation)) wrote = this.runFor(computation, node) || wrote
    return wrote
  }

  /** A repeat count belongs to the repeat's parent (it must work with zero instances). */
  private targetsOf(computation: Computation): InstanceNode[] {
    if (computation.mip !== 'count') return this.nodesAt(computation.path)
    return this.nodesAt(computation.path.slice(0, computation.path.lastIndexOf('/')))
  }

  private evaluateFor(subtree: InstanceNode): void {
    const inside = (c: Computation) => touches(c.path, subtree.path)
    for (const computation of this.graph.ordered.filter(inside)) {
      for (const node of this.targetsOf(computation)) if (node === subtree || isWithin(node, subtree)) this.runFor(computation, node)
    }
  }

  private runFor(computation: Computation, node: InstanceNode): boolean {
    const state = { ...this.stateOf(node) }
    const value = computation.expr.evaluate(this.context(node))
    switch (computation.mip) {
      case 'calculate': {
        // JavaRosa stores no answer for a calculation that is not a number (Recalculate.wrapData).
        const text = storedResult(this.binds.get(node.path)?.type, value)
        if (node.value === text) return false
        node.value = text
        return true
      }
      case 'count':
        return this.applyCount(node, computation.path, toNumberValue(value, { offsetMinutes: () => 0 }))
      case 'relevant': {
        const relevant = toBooleanValue(value)
        state.relevantSelf = relevant
        this.states.set(node, state)
        // Expressions read a non-relevant question as empty: its readers must run again.
        if (node.relevantSelf === relevant) return false
        node.relevantSelf = relevant
        return true
      }
      case 'required':
        state.required = toBooleanValue(value)
        break
      case 'readonly':
        state.readonly = toBooleanValue(value)
        break
      case 'constraint':
        state.constraintOk = node.value === '' || toBooleanValue(value)
        break
    }
    this.states.set(node, state)
    return false
  }

  /** jr:count: grows or shrinks the instances of a repeat to the computed number. */
  private applyCount(parent: InstanceNode, repeatPath: string, wanted: number): boolean {
    // A count that reads its own repeat (count(/data/member)) would grow forever; apply once.
    if (this.counting.has(repeatPath)) return false
    this.counting.add(repeatPath)
    try {
      return this.resize(parent, repeatPath, wanted)
    } finally {
      this.counting.delete(repeatPath)
    }
  }

  private resize(parent: InstanceNode, repeatPath: string, wanted: number): boolean {
    // A count that is no number (blank, or text) leaves the instances as they are, as JavaRosa
    // and ODK Web Forms do; only a new form starts from none.
    if (Number.isNaN(wanted) && !this.loading) return false
    const target = Number.isFinite(wanted) ? Math.max(0, Math.floor(wanted)) : 0
    const current = () => parent.children.filter((c) => c.path === repeatPath)
    if (current().length === target) return false
    // The instances a new form declares are its first ones, also when a count grows back to them.
    const declared = this.options.instanceXml ? [] : (this.declaredInstances.get(repeatPath) ?? [])
    while (current().length < target) this.addRepeat(repeatPath, parent, declared[current().length])
    while (current().length > target) this.removeRepeat(current()[current().length - 1] as InstanceNode)
    return true
  }

  private indexTree(node: InstanceNode): void {
    const set = this.byPath.get(node.path) ?? new Set()
    set.add(node)
    this.byPath.set(node.path, set)
    node.attributes.forEach((a) => this.indexTree(a))
    node.children.forEach((c) => this.indexTree(c))
    if (this.repeats.has(node.path)) node.isRepeatLike = true
  }

  private unindexTree(node: InstanceNode): void {
    this.byPath.get(node.path)?.delete(node)
    node.attributes.forEach((a) => this.unindexTree(a))
    node.children.forEach((c) => this.unindexTree(c))
  }

  private collectTemplates(element: XmlElement, parentPath: string): void {
    const path = `${parentPath}/${element.name}`
    if (element.attrs['jr:template'] !== undefined && !this.templates.has(path)) this.templates.set(path, element)
    // Without a jr:template, the first instance the form declares is the template (JavaRosa), so
    // a repeat whose instances were all removed can still grow again.
    else if (this.repeats.has(path) && !this.templates.has(path)) this.templates.set(path, emptied(element))
    const children = childElements(element)
    this.declaredChildren.set(path, [...new Set(children.map((child) => `${path}/${child.name}`))])
    for (const name of new Set(children.map((child) => child.name))) {
      const childPath = `${path}/${name}`
      if (!this.repeats.has(childPath) || this.declaredInstances.has(childPath)) continue
      this.declaredInstances.set(childPath, children.filter((child) => child.name === name && child.attrs['jr:template'] === undefined))
    }
    for (const child of children) this.collectTemplates(child, path)
  }

  /** Where the first instance of a repeat goes: where the form declares it, not at the end. */
  private firstInstanceIndex(parent: InstanceNode, repeatPath: string): number {
    const declared = this.declaredChildren.get(parent.path) ?? []
    const rank = declared.indexOf(repeatPath)
    const after = parent.children.findIndex((child) => declared.indexOf(child.path) > rank)
    return rank < 0 || after < 0 ? parent.children.length : after
  }

  /** Without a jr:template, a new instance copies the first one's structure, emptied of values. */
  private toTemplate(node: InstanceNode): XmlElement {
    return { name: node.name, attrs: {}, children: node.children.map((c) => this.toTemplate(c)) }
  }

  private secondaryDoc(id: string): InstanceDoc | undefined {
    const entry = this.secondary.get(id)
    if (typeof entry !== 'function') return entry
    const doc = entry()
    if (doc) this.secondary.set(id, doc)
    else this.secondary.delete(id)
    return doc
  }

  private loadSecondary(): void {
    this.def.secondary.forEach((instance, index) => {
      const base = secondaryBase * (index + 1)
      const raw = instance.raw
      if (raw) {
        // parseXForm checked it is well-formed; its nodes are built when an expression first
        // reads it (a 20,000-village list when the village question first shows its choices).
        this.secondary.set(instance.id, () => buildInstanceFromRaw(raw, base))
        return
      }
      const element = instance.element ?? (instance.src ? this.options.loadExternal?.(instance.src) : undefined)
      if (!element) return
      this.secondary.set(instance.id, buildInstance(element, base, false))
    })
  }
}

/** A copy of an element with its text removed: a template made from a declared instance. */
function emptied(element: XmlElement): XmlElement {
  return { name: element.name, attrs: element.attrs, children: childElements(element).map(emptied) }
}

function isWithin(node: InstanceNode, ancestor: InstanceNode): boolean {
  for (let at = node.parent; at; at = at.parent) if (at === ancestor) return true
  return false
}
