import { compileAst } from '../compile'
import type { Evaluator, Frame } from '../context'
import type { XNode } from '../node-model'
import { parseXPath } from '../parser'
import { isNodeSet } from '../values'

const cache = new Map<string, Evaluator>()

/**
 * jr:choice-name takes the question's path as text ('/data/q'), so it is compiled on first use and
 * kept: the same few paths come back on every recompute.
 */
export const resolveNodesAt = (path: string, frame: Frame): readonly XNode[] => {
  let evaluate = cache.get(path)
  if (evaluate === undefined) {
    evaluate = compileAst(parseXPath(path))
    if (cache.size > 1000) cache.clear()
    cache.set(path, evaluate)
  }
  const value = evaluate(frame)
  return isNodeSet(value) ? value : []
}
