import { LoreError } from '../lore-error.js'
import type { FilterLeaf, FilterNode, FilterValue } from './filter-node.js'

/** The most conditions (comparisons, IN, LIKE, IS NULL) one filter may hold. */
export const maxFilterTerms = 64
/** The deepest AND / OR / NOT nesting one filter may have. */
export const maxFilterDepth = 16
/** The most values all of a filter's IN lists may hold together. */
export const maxFilterListValues = 1000

/** How big a parsed filter is, as {@link checkFilterLimits} measures it. */
export interface FilterSize {
  terms: number
  depth: number
  listValues: number
}

/** The size of `node`: its leaves, its AND / OR / NOT depth and its IN values. */
export function filterSize(node: FilterNode): FilterSize {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const size = { terms: 0, depth: 0, listValues: 0 }
      for (const operand of node.operands) {
        const inner = filterSize(operand)
        size.terms += inner.terms
        size.listValues += inner.listValues
        size.depth = Math.max(size.depth, inner.depth)
      }
      return { ...size, depth: size.depth + 1 }
    }
    case 'not': {
      const inner = filterSize(node.operand)
      return { ...inner, depth: inner.depth + 1 }
    }
    case 'in':
      return { terms: 1, depth: 0, listValues: node.values.length }
    default:
      return { terms: 1, depth: 0, listValues: 0 }
  }
}

function leaves(node: FilterNode): FilterLeaf[] {
  if (node.kind === 'and' || node.kind === 'or')
    return node.operands.flatMap(leaves)
  if (node.kind === 'not') return leaves(node.operand)
  return [node]
}

// A property's value is stored as a double; every other numeric field is a 64-bit integer
// column, which PostgreSQL refuses to compare with 1.5 or 1e30 (and MySQL quietly converts).
function isPropertyField(leaf: FilterLeaf): boolean {
  return leaf.field.path.some(
    (part) => part === 'properties' || part === 'custom_properties',
  )
}

function leafNumbers(leaf: FilterLeaf): readonly FilterValue[] {
  if (leaf.kind === 'comparison') return [leaf.value]
  if (leaf.kind === 'in') return leaf.values
  return []
}

function tooCostly(what: string, size: number, limit: number): LoreError {
  return new LoreError(
    'INVALID_ARGUMENT',
    `invalid filter: it has ${size} ${what}, more than the ${limit} one query may have; split it into several queries, or narrow it with type, contextId or ids`,
    {
      details: { limit, size, what },
      issues: [
        {
          path: ['filter'],
          code: 'filter_too_costly',
          message: `filter: ${size} ${what}, at most ${limit}`,
        },
      ],
    },
  )
}

/**
 * Refuse, with INVALID_ARGUMENT naming the limit, a parsed filter that would cost more than
 * one request may: more than {@link maxFilterTerms} conditions, AND / OR / NOT nested deeper
 * than {@link maxFilterDepth}, more than {@link maxFilterListValues} IN values, or a number
 * compared with an integer field that is not an integer within 2^53. Returns `node`.
 *
 * @example
 * compileFilter(checkFilterLimits(parseFilter(text)), { entity: 'artifact', alias: 't' })
 */
export function checkFilterLimits(node: FilterNode): FilterNode {
  const size = filterSize(node)
  if (size.terms > maxFilterTerms)
    throw tooCostly('conditions', size.terms, maxFilterTerms)
  if (size.depth > maxFilterDepth)
    throw tooCostly(
      'levels of AND / OR / NOT nesting',
      size.depth,
      maxFilterDepth,
    )
  if (size.listValues > maxFilterListValues)
    throw tooCostly('IN values', size.listValues, maxFilterListValues)
  for (const leaf of leaves(node)) {
    // Leaves without a field are kinds this check does not know; the compiler checks them.
    if (!('field' in leaf) || isPropertyField(leaf)) continue
    for (const value of leafNumbers(leaf)) {
      if (typeof value === 'number' && !Number.isSafeInteger(value)) {
        const field = leaf.field.path.join('.')
        throw new LoreError(
          'INVALID_ARGUMENT',
          `invalid filter at position ${leaf.field.position}: ${field} holds integers, but is compared with ${value}; compare it with an integer between -(2^53 - 1) and 2^53 - 1`,
          {
            details: { field, value, position: leaf.field.position },
            issues: [
              {
                path: ['filter'],
                code: 'invalid_filter',
                message: `filter: ${field} compared with ${value}, not an integer`,
              },
            ],
          },
        )
      }
    }
  }
  return node
}
