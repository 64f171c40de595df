import type { Build } from './build-context'
import { emptyRow, type QuestionNode, type SectionNode } from './form-model'
import { yesNo } from './settings'

/** Adds the <meta> block pyxform appends: instanceID, and instanceName when the settings ask. */
export function addMeta(build: Build): void {
  const root = build.root
  const meta: SectionNode = {
    kind: 'group',
    name: 'meta',
    row: emptyRow('survey', 0),
    path: '',
    parent: root,
    children: [],
    generated: true,
  }
  const add = (name: string, values: Record<string, string>, preload?: string): void => {
    const row = emptyRow('settings', build.settingsRow)
    row.values = values
    const q: QuestionNode = {
      kind: 'question',
      name,
      type: 'calculate',
      def: { bindType: 'string', preload, readonly: preload !== undefined, labelOptional: true },
      row,
      path: '',
      parent: meta,
      generated: true,
    }
    meta.children.push(q)
  }
  if (yesNo(build.settings.omit_instanceid) !== true)
    add('instanceID', {}, build.settings.instance_id ?? 'uid')
  const instanceName = build.settings.instance_name
  if (instanceName !== undefined) {
    add('instanceName', { 'bind::calculate': instanceName })
    const q = meta.children[meta.children.length - 1]
    if (q) q.row.headers['bind::calculate'] = 'instance_name'
  }
  for (const node of [...root.children]) {
    if (node.kind !== 'question' || node.type !== 'audit') continue
    root.children.splice(root.children.indexOf(node), 1)
    node.parent = meta
    meta.children.push(node)
  }
  if (meta.children.length > 0) root.children.push(meta)
}
