import type { ResolvedField } from './filter-fields.js'
import type { FilterLeaf } from './filter-node.js'

/** The type of a filter literal. */
export type LiteralType = 'string' | 'number' | 'boolean'

function literalTypes(leaf: FilterLeaf): LiteralType[] {
  if (leaf.kind === 'null') return []
  if (leaf.kind === 'like') return ['string']
  const values = leaf.kind === 'in' ? leaf.values : [leaf.value]
  return [...new Set(values.map((value) => typeof value as LiteralType))]
}

/** The type of the literal(s) a leaf compares with; `undefined` for IS NULL. */
export function literalType(leaf: FilterLeaf): LiteralType | undefined {
  return literalTypes(leaf)[0]
}

/**
 * Why a leaf's literal does not fit its field (`name = 5`, `id LIKE '1%'`, `x > true`, an
 * IN list of strings and numbers), or `undefined` when it fits.
 */
export function literalProblem(
  field: ResolvedField,
  leaf: FilterLeaf,
): string | undefined {
  const written = leaf.field.path.join('.')
  const types = literalTypes(leaf)
  const [type] = types
  if (types.length > 1) {
    return `the IN list of ${written} mixes ${types.join(' and ')} values; use one type`
  }
  if (
    type === 'boolean' &&
    leaf.kind === 'comparison' &&
    leaf.operator !== '=' &&
    leaf.operator !== '!='
  ) {
    return `true and false compare only with = or !=, not ${leaf.operator}`
  }
  if (field.kind === 'property' && field.valueKind !== undefined) {
    const wanted: Record<string, LiteralType> = {
      int_value: 'number',
      double_value: 'number',
      string_value: 'string',
      bool_value: 'boolean',
    }
    const expected = wanted[field.valueKind]
    if (type !== undefined && type !== expected) {
      return `${written} holds ${expected}s; compare it with a ${expected}`
    }
  }
  if (type === undefined || field.kind === 'property') return undefined
  const target = field.kind === 'link' ? field.target : field
  const columnType = target.kind === 'type' ? 'string' : target.type
  if (type === columnType) return undefined
  if (type === 'boolean') {
    return `true and false compare only with properties; ${written} holds ${columnType}s`
  }
  if (leaf.kind === 'like') {
    return `LIKE applies only to text, and ${written} holds numbers`
  }
  const example = leaf.kind === 'comparison' ? String(leaf.value) : '…'
  return columnType === 'string'
    ? `${written} holds strings; quote the value: ${written} = '${example}'`
    : `${written} holds numbers; compare it with a number such as 1700000000000`
}
