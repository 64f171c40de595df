import type { BodyNode, Control, Repeat } from './definition-types'

export function findRepeats(nodes: BodyNode[]): Repeat[] {
  return nodes.flatMap((node) =>
    node.kind === 'repeat' ? [node, ...findRepeats(node.children)] : node.kind === 'group' ? findRepeats(node.children) : [],
  )
}

export function findControls(nodes: BodyNode[]): Control[] {
  return nodes.flatMap((node) => (node.kind === 'repeat' || node.kind === 'group' ? findControls(node.children) : [node]))
}
