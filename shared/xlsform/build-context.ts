import type { ChoiceList } from './choices'
import type { Diagnostics } from './diagnostics'
import type { SectionNode } from './form-model'
import type { ReferenceIndex } from './references'
import type { XmlNode } from './xml-node'

/** One itext entry: label text (already XML) and media by form (image, audio, …). */
export type ItextEntry = { text?: string; forms: Record<string, string> }

/** Everything the emitters share while they turn the tree into XML. */
export type Build = {
  formName: string
  /** Title when the settings give no form_title: the file name, as pyxform does. */
  titleFallback: string
  root: SectionNode
  settings: Record<string, string>
  settingsRow: number
  choices: Map<string, ChoiceList>
  /** Tag lists of the osm sheet, for `osm LIST` questions. */
  osmLists?: Map<string, ChoiceList>
  /** Lists of the external_choices sheet (select_one_external), or undefined without that sheet. */
  externalChoices?: Map<string, ChoiceList>
  refs: ReferenceIndex
  diags: Diagnostics
  /** lang → text id → entry, in first-seen order. */
  itext: Map<string, Map<string, ItextEntry>>
  /** Text ids in first-seen order, so every language lists them alike. */
  itextIds: Set<string>
  /** Elements appended to the model after the binds (setvalue, odk:setgeopoint, …). */
  modelActions: XmlNode[]
  /** Secondary instances by id, in first-use order. */
  instances: Map<string, XmlNode>
  /** setvalue/action elements placed inside a control's body element, by the control's path. */
  controlActions: Map<string, XmlNode[]>
  /** setvalue elements placed at the top of a repeat body (odk-new-repeat), by repeat path. */
  repeatActions: Map<string, XmlNode[]>
  /** Extra bind attributes decided while emitting the body (e.g. a decimal range). */
  bindExtras: Map<string, Record<string, string>>
  /** Entity list names declared on the entities sheet. */
  entityLists: Set<string>
  /** Sheets whose names look like misspellings of known sheets, by the sheet they resemble. */
  similarSheets?: Record<string, string[]>
  entityBinds: XmlNode[]
  entitiesVersion?: string
  /** Paths whose calculation is driven by a trigger, so their bind carries no calculate. */
  triggered: Set<string>
}

export function addItext(build: Build, lang: string, id: string, entry: ItextEntry): void {
  let table = build.itext.get(lang)
  if (!table) {
    table = new Map()
    build.itext.set(lang, table)
  }
  build.itextIds.add(id)
  const existing = table.get(id)
  if (existing) {
    if (entry.text !== undefined) existing.text = entry.text
    Object.assign(existing.forms, entry.forms)
  } else table.set(id, entry)
}

export function pushTo<K>(map: Map<K, XmlNode[]>, key: K, node: XmlNode): void {
  const list = map.get(key)
  if (list) list.push(node)
  else map.set(key, [node])
}
