import { parseXml } from './helpers'

/** The parts of an XForm that carry meaning, each in a canonical form that ignores layout. */
export type XFormShape = {
  title: string
  instance: string
  secondary: string[]
  binds: string[]
  setvalues: string[]
  body: string
  itext: string[]
}

function attrs(e: Element): string {
  return Array.from(e.attributes)
    .filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:'))
    .map((a) => `${a.name}=${JSON.stringify(a.value)}`)
    .sort()
    .join(' ')
}

/** Element name, sorted attributes, trimmed text and children, recursively. */
export function canonical(node: Node, skip?: Set<string>): string {
  if (node.nodeType === 3) {
    const t = (node as Text).data.trim()
    return t === '' ? '' : JSON.stringify(t)
  }
  if (node.nodeType !== 1) return ''
  const e = node as Element
  if (skip?.has(e.tagName)) return ''
  const children = Array.from(e.childNodes)
    .map((c) => canonical(c, skip))
    .filter((c) => c !== '')
  // The order of a choice item's fields carries no meaning (pyxform itself is not consistent).
  if (e.tagName === 'item' && e.parentNode && (e.parentNode as Element).tagName === 'root')
    children.sort()
  return `${e.tagName}[${attrs(e)}](${children.join(',')})`
}

function children(parent: Element | null | undefined, name: string): Element[] {
  if (!parent) return []
  return Array.from(parent.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).tagName === name,
  )
}

/** `withoutChoices` leaves out how selects carry their choices (itemset or inline items). */
export function xformShape(xml: string, withoutChoices = false): XFormShape {
  const doc = parseXml(xml)
  const head = doc.getElementsByTagName('h:head')[0]
  const model = children(head, 'model')[0]
  const instances = children(model, 'instance')
  const primary = instances.find((i) => !i.hasAttribute('id'))
  const itext: string[] = []
  for (const tr of children(children(model, 'itext')[0], 'translation'))
    for (const text of children(tr, 'text'))
      for (const value of children(text, 'value'))
        itext.push(
          `${tr.getAttribute('lang') ?? ''}|${text.getAttribute('id') ?? ''}|${value.getAttribute('form') ?? ''}|${Array.from(
            value.childNodes,
          )
            .map((n) => canonical(n))
            .join('')}`,
        )
  return {
    title: children(head, 'h:title')[0]?.textContent ?? '',
    instance: primary ? canonical(primary) : '',
    secondary: withoutChoices
      ? []
      : instances
          .filter((i) => i.hasAttribute('id'))
          .map((i) => canonical(i))
          .sort(),
    binds: children(model, 'bind')
      .map((b) => canonical(b))
      .sort(),
    setvalues: [...children(model, 'setvalue'), ...children(model, 'odk:setgeopoint')]
      .map((n) => canonical(n))
      .sort(),
    body: canonical(
      doc.getElementsByTagName('h:body')[0] as Node,
      withoutChoices ? new Set(['itemset', 'item']) : undefined,
    ),
    itext: withoutChoices ? [] : itext.sort(),
  }
}
