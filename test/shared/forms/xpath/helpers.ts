import {
  compileXPath,
  element,
  fixedTimeZone,
  memoryModel,
  type EvaluationContext,
  type MemoryModel,
  type XNode,
  type XPathHooks,
  type XPathValue,
} from '../../../../shared/forms/xpath'

/** 2024-03-15T10:20:30.456Z, a Friday. */
export const FIXED_NOW = Date.UTC(2024, 2, 15, 10, 20, 30, 456)

/** A household survey with a repeat, a select_multiple and a choice list. */
export const makeModel = (options: { index?: boolean } = {}): MemoryModel =>
  memoryModel({
    primary: element({
      name: 'data',
      attributes: { id: 'household', 'orx:version': '3' },
      children: [
        { name: 'name', children: 'Amina' },
        { name: 'age', children: '34' },
        { name: 'empty' },
        { name: 'fruits', children: 'apple banana  cherry' },
        { name: 'dob', children: '1990-05-17' },
        { name: 'district', children: 'd2' },
        {
          name: 'member',
          children: [
            { name: 'm_name', children: 'Ali' },
            { name: 'm_age', children: '10' },
          ],
        },
        {
          name: 'member',
          children: [
            { name: 'm_name', children: 'Sara' },
            { name: 'm_age', children: '7' },
          ],
        },
        {
          name: 'member',
          children: [
            { name: 'm_name', children: 'Omar' },
            { name: 'm_age', children: 'x' },
          ],
        },
        { name: 'meta', children: [{ name: 'instanceID', children: 'uuid:1' }] },
      ],
    }),
    instances: {
      villages: element({
        name: 'root',
        children: [
          {
            name: 'item',
            children: [
              { name: 'name', children: 'v1' },
              { name: 'label', children: 'Village 1' },
              { name: 'district', children: 'd1' },
            ],
          },
          {
            name: 'item',
            children: [
              { name: 'name', children: 'v2' },
              { name: 'label', children: 'Village 2' },
              { name: 'district', children: 'd2' },
            ],
          },
          {
            name: 'item',
            children: [
              { name: 'name', children: 'v3' },
              { name: 'label', children: 'Village 3' },
              { name: 'district', children: 'd2' },
            ],
          },
        ],
      }),
    },
    index: options.index ?? false,
  })

export const hooks: XPathHooks = {
  clock: () => FIXED_NOW,
  timeZone: fixedTimeZone(0),
  random: () => 0.5,
}

export type EvalOptions = { model?: MemoryModel; node?: XNode; hooks?: XPathHooks }

export const contextFor = (options: EvalOptions = {}): EvaluationContext => {
  const model = options.model ?? makeModel()
  return { model, node: options.node ?? model.primaryRoot, hooks: { ...hooks, ...options.hooks } }
}

export const evaluate = (expr: string, options: EvalOptions = {}): XPathValue =>
  compileXPath(expr).evaluate(contextFor(options))

export const str = (expr: string, options: EvalOptions = {}): string =>
  compileXPath(expr).evaluateString(contextFor(options))

export const num = (expr: string, options: EvalOptions = {}): number =>
  compileXPath(expr).evaluateNumber(contextFor(options))

export const bool = (expr: string, options: EvalOptions = {}): boolean =>
  compileXPath(expr).evaluateBoolean(contextFor(options))

/** The element at an absolute path, for use as a context node. */
export const nodeAt = (model: MemoryModel, path: string): XNode => {
  const [node] = compileXPath(path).evaluateNodes({ model })
  if (node === undefined) throw new Error(`no node at ${path}`)
  return node
}
