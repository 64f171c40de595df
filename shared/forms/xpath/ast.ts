export type Axis =
  | 'child'
  | 'descendant'
  | 'descendant-or-self'
  | 'parent'
  | 'ancestor'
  | 'ancestor-or-self'
  | 'self'
  | 'attribute'
  | 'following-sibling'
  | 'preceding-sibling'
  | 'following'
  | 'preceding'
  | 'namespace'

export type NodeTestAst =
  | { readonly kind: 'name'; readonly prefix: string; readonly localName: string }
  | { readonly kind: 'node' }
  | { readonly kind: 'text' }
  | { readonly kind: 'comment' }
  | { readonly kind: 'processing-instruction' }

export type StepAst = {
  readonly axis: Axis
  readonly test: NodeTestAst
  readonly predicates: readonly ExprAst[]
}

export type BinaryOp =
  'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod' | '|'

export type ExprAst =
  | { readonly type: 'number'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | {
      readonly type: 'binary'
      readonly op: BinaryOp
      readonly left: ExprAst
      readonly right: ExprAst
    }
  | { readonly type: 'negate'; readonly operand: ExprAst }
  | {
      readonly type: 'call'
      /** As written, with its prefix: `jr:choice-name`, `concat`. */
      readonly name: string
      readonly args: readonly ExprAst[]
      readonly pos: number
    }
  | { readonly type: 'filter'; readonly primary: ExprAst; readonly predicates: readonly ExprAst[] }
  | {
      readonly type: 'path'
      /** 'root' for /a, 'context' for a/b, or a filter expression for f()/a. */
      readonly start: 'root' | 'context' | ExprAst
      readonly steps: readonly StepAst[]
    }
