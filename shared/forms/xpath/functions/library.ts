import type { FunctionDefinition } from '../context'
import { numberFunctions } from './core-number'
import { nodeFunctions } from './core-node'
import { stringFunctions } from './core-string'
import { cryptoFunctions } from './odk-crypto'
import { dateFunctions } from './odk-date'
import { geoFunctions } from './odk-geo'
import { selectFunctions } from './odk-select'
import { signedFunctions } from './odk-signed'

const LIBRARY: Readonly<Record<string, FunctionDefinition>> = {
  ...stringFunctions,
  ...numberFunctions,
  ...nodeFunctions,
  ...selectFunctions,
  ...dateFunctions,
  ...geoFunctions,
  ...cryptoFunctions,
  ...signedFunctions,
}

/**
 * Prefixes ODK forms put on functions of this library: jr: (JavaRosa: itext, choice-name), orx:
 * and odk: (OpenRosa/ODK extensions), enk: (Enketo aliases). Prefixes are not resolved to
 * namespace URIs because XLSForm and hand-written forms spell them consistently.
 */
const KNOWN_PREFIXES = new Set(['jr', 'orx', 'odk', 'enk'])

export const lookupFunction = (name: string): FunctionDefinition | undefined => {
  const colon = name.indexOf(':')
  if (colon < 0) return Object.hasOwn(LIBRARY, name) ? LIBRARY[name] : undefined
  if (!KNOWN_PREFIXES.has(name.slice(0, colon))) return undefined
  const local = name.slice(colon + 1)
  return Object.hasOwn(LIBRARY, local) ? LIBRARY[local] : undefined
}

export const functionNames = (): string[] => Object.keys(LIBRARY).sort()
