import type { RawXml, XmlElement } from './xml'

/** A label or hint: an itext reference, or inline text with <output value="…"/> parts. */
export type TextSource =
  | { kind: 'itext'; id: string }
  | { kind: 'itext-expr'; expr: string }
  | { kind: 'inline'; parts: Array<string | { output: string }> }

export type Bind = {
  /** Absolute path without positions, e.g. /data/household/member/age. */
  nodeset: string
  type: string
  relevant?: string
  required?: string
  readonly?: string
  constraint?: string
  calculate?: string
  constraintMsg?: TextSource
  requiredMsg?: TextSource
  preload?: string
  preloadParams?: string
  /** ODK entities: the entity property this question's answer is saved to. */
  saveTo?: string
}

export type Item = { value: string; label?: TextSource }

export type Itemset = {
  /** The nodeset expression as written (may hold a choice filter predicate). */
  nodeset: string
  valueRef: string
  labelRef: TextSource | { kind: 'ref'; ref: string }
}

export type ControlKind = 'input' | 'select1' | 'select' | 'trigger' | 'upload' | 'range' | 'rank'

export type Control = {
  kind: ControlKind
  ref: string
  appearance?: string
  label?: TextSource
  hint?: TextSource
  items?: Item[]
  itemset?: Itemset
  mediatype?: string
  range?: { start?: string; end?: string; step?: string }
}

export type Group = {
  kind: 'group'
  ref?: string
  appearance?: string
  label?: TextSource
  children: BodyNode[]
}

export type Repeat = {
  kind: 'repeat'
  nodeset: string
  countExpr?: string
  noAddRemove: boolean
  appearance?: string
  label?: TextSource
  children: BodyNode[]
}

export type BodyNode = Control | Group | Repeat

export type ItextForms = { default?: TextSource; image?: string; audio?: string; video?: string; guidance?: TextSource; short?: TextSource }

export type Itext = {
  languages: string[]
  defaultLanguage: string | null
  texts: Map<string, Map<string, ItextForms>>
}

export type SetValueAction = { events: string[]; ref: string; value?: string; text?: string; trigger?: string }

/** A secondary instance: inline content (unparsed `raw`, or an `element`), or a `src` to load. */
export type SecondaryInstance = { id: string; src?: string; element?: XmlElement; raw?: RawXml }

export type FormDefinition = {
  title: string
  formId: string
  version: string
  /** The primary instance's root element (with jr:template repeats as written). */
  primary: XmlElement
  secondary: SecondaryInstance[]
  binds: Bind[]
  body: BodyNode[]
  itext: Itext
  actions: SetValueAction[]
  /** Entity declaration of the ODK entities spec, when the form creates or updates entities. */
  entities?: { dataset: string; create?: string; update?: string; baseVersion?: string }
}
