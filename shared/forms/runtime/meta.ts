import type { Bind } from './definition-types'
import { childElements, localName, prefixOf, type XmlElement } from './xml'

/**
 * Every submission carries meta/instanceID (OpenRosa needs it to tell records apart). Like ODK
 * Web Forms and JavaRosa, a form that declares none gets one: inside its own <meta> (in that
 * element's prefix), or in a new <orx:meta> at the end of the instance, filled by a uid preload.
 */
export function ensureInstanceId(primary: XmlElement, binds: Bind[], orxDeclared: boolean): void {
  let meta = childElements(primary).find((child) => localName(child.name) === 'meta' && ['', 'orx'].includes(prefixOf(child.name)))
  if (!meta) {
    // ODK names it by the prefix the form binds to the OpenRosa namespace, if any.
    meta = { name: orxDeclared ? 'orx:meta' : 'meta', attrs: {}, children: [] }
    primary.children.push(meta)
  }
  const prefix = prefixOf(meta.name)
  const found = childElements(meta).find((child) => localName(child.name) === 'instanceID' && prefixOf(child.name) === prefix)
  if (found) return
  const name = prefix ? `${prefix}:instanceID` : 'instanceID'
  meta.children.push({ name, attrs: {}, children: [] })
  const nodeset = `/${primary.name}/${meta.name}/${name}`
  if (!binds.some((bind) => bind.nodeset === nodeset)) binds.push({ nodeset, type: 'string', preload: 'uid' })
}
