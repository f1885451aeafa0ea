import { invalidFilter } from './filter-error.js'
import { enumValuesOf, resolveField } from './filter-fields.js'
import { tokenizeFilter, type FilterToken } from './filter-lexer.js'
import { literalProblem } from './filter-literals.js'
import type {
  ComparisonOperator,
  FilterField,
  FilterLeaf,
  FilterNode,
  FilterValue,
} from './filter-node.js'

// Parentheses and NOTs recurse; a hostile filter must get an error, not a stack overflow.
const maxDepth = 64
const keywords = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE'])

function describe(token: FilterToken): string {
  if (token.kind === 'end') return 'end of input'
  if (token.kind === 'string') return `the string ${token.text}`
  return `'${token.text}'`
}

class FilterParser {
  readonly #text: string
  readonly #tokens: FilterToken[]
  #index = 0
  #depth = 0

  constructor(text: string) {
    this.#text = text
    this.#tokens = tokenizeFilter(text)
  }

  parse(): FilterNode {
    if (this.#peek().kind === 'end') {
      throw invalidFilter('the filter is empty', 1, this.#text)
    }
    const node = this.#or()
    const next = this.#peek()
    if (next.kind === 'end') return node
    if (next.text === ')') throw this.#fail("')' has no matching '('", next)
    throw this.#fail(
      `expected AND, OR or end of input but found ${describe(next)}`,
      next,
    )
  }

  #or(): FilterNode {
    const operands = [this.#and()]
    while (this.#acceptKeyword('OR')) operands.push(this.#and())
    return operands.length === 1 && operands[0]
      ? operands[0]
      : { kind: 'or', operands }
  }

  #and(): FilterNode {
    const operands = [this.#not()]
    while (this.#acceptKeyword('AND')) operands.push(this.#not())
    return operands.length === 1 && operands[0]
      ? operands[0]
      : { kind: 'and', operands }
  }

  #not(): FilterNode {
    const start = this.#peek()
    if (this.#acceptKeyword('NOT')) {
      return { kind: 'not', operand: this.#nested(start, () => this.#not()) }
    }
    if (!this.#accept('(')) return this.#comparison()
    const node = this.#nested(start, () => this.#or())
    if (!this.#accept(')')) {
      throw this.#fail(
        `expected ')' to close the '(' at position ${start.position} but found ${describe(this.#peek())}`,
        this.#peek(),
      )
    }
    return node
  }

  #nested(start: FilterToken, parse: () => FilterNode): FilterNode {
    if (++this.#depth > maxDepth) {
      throw this.#fail(
        `parentheses and NOTs nest deeper than ${maxDepth}`,
        start,
      )
    }
    const node = parse()
    this.#depth--
    return node
  }

  #comparison(): FilterNode {
    const start = this.#peek()
    const field = this.#field()
    const resolved = resolveField(field.path)
    if ('problem' in resolved) throw this.#fail(resolved.problem, start)
    const operator = this.#next()
    const enumValues = enumValuesOf(resolved)
    // The literal's type is checked here, not only in the compiler, to put a caret under it.
    const checked = (leaf: FilterLeaf, value: FilterToken): FilterLeaf => {
      const problem = literalProblem(resolved, leaf)
      if (problem !== undefined) throw this.#fail(problem, value)
      return leaf
    }
    if (operator.kind === 'operator') {
      const value = this.#peek()
      const after = `'${operator.text}'`
      return checked(
        {
          kind: 'comparison',
          field,
          operator: operator.value as ComparisonOperator,
          value: this.#value(after, enumValues),
        },
        value,
      )
    }
    const keyword = this.#keyword(operator)
    if (keyword === 'IS') {
      const negated = this.#acceptKeyword('NOT')
      if (!this.#acceptKeyword('NULL')) {
        const found = this.#peek()
        throw this.#fail(
          `expected NULL or NOT NULL after IS but found ${describe(found)}`,
          found,
        )
      }
      return { kind: 'null', field, negated }
    }
    const negated = keyword === 'NOT'
    const word = negated ? this.#next() : operator
    const value = this.#peek()
    if (this.#keyword(word) === 'IN') {
      return checked(
        { kind: 'in', field, values: this.#list(enumValues), negated },
        value,
      )
    }
    if (this.#keyword(word) === 'LIKE') {
      const pattern = this.#next()
      if (pattern.kind !== 'string') {
        throw this.#fail(
          `LIKE takes a quoted pattern such as 's3://%' but found ${describe(pattern)}`,
          pattern,
        )
      }
      const leaf = {
        kind: 'like',
        field,
        pattern: pattern.value,
        negated,
      } as const
      return checked(leaf, pattern)
    }
    throw this.#fail(
      negated
        ? `expected IN or LIKE after NOT but found ${describe(word)}`
        : `expected an operator (= != <> < <= > >= IN LIKE IS) after ${field.path.join('.')} but found ${describe(word)}`,
      word,
    )
  }

  #field(): FilterField {
    const { position } = this.#peek()
    const path = [
      this.#segment('a field name such as name or properties.accuracy'),
    ]
    while (this.#accept('.')) {
      path.push(this.#segment(`a name after '${path.join('.')}.'`))
    }
    return { path, position }
  }

  #segment(expected: string): string {
    const token = this.#next()
    if (token.kind === 'quoted-identifier') return token.value
    const keyword = this.#keyword(token)
    if (token.kind === 'identifier' && keyword === undefined) return token.value
    const hint =
      keyword === undefined
        ? ''
        : `; backquote it to use it as a name: \`${token.value}\``
    throw this.#fail(
      `expected ${expected} but found ${describe(token)}${hint}`,
      token,
    )
  }

  #list(enumValues: readonly string[] | undefined): FilterValue[] {
    if (!this.#accept('(')) {
      throw this.#fail(
        `expected '(' after IN but found ${describe(this.#peek())}`,
        this.#peek(),
      )
    }
    const values = [this.#value("'('", enumValues)]
    while (!this.#accept(')')) {
      if (!this.#accept(',')) {
        throw this.#fail(
          `expected ',' or ')' in the IN list but found ${describe(this.#peek())}`,
          this.#peek(),
        )
      }
      values.push(this.#value("','", enumValues))
    }
    return values
  }

  #value(
    after: string,
    enumValues: readonly string[] | undefined,
  ): FilterValue {
    const token = this.#next()
    if (token.kind === 'string' || token.kind === 'number') return token.value
    const word = token.kind === 'identifier' ? token.value.toUpperCase() : ''
    // MLMD writes enum values unquoted: state = LIVE, events_0.type = INPUT.
    if (enumValues !== undefined && token.kind === 'identifier') {
      if (enumValues.includes(token.value)) return token.value
      throw this.#fail(
        `${describe(token)} is not one of ${enumValues.join(', ')}`,
        token,
      )
    }
    if (word === 'TRUE' || word === 'FALSE') return word === 'TRUE'
    const hint =
      word === 'NULL'
        ? '; test for NULL with IS NULL'
        : token.kind === 'identifier'
          ? `; quote strings: '${token.value}'`
          : ''
    throw this.#fail(
      `expected a value after ${after} but found ${describe(token)}${hint}`,
      token,
    )
  }

  #keyword(token: FilterToken): string | undefined {
    const word = token.kind === 'identifier' ? token.value.toUpperCase() : ''
    return keywords.has(word) ? word : undefined
  }

  #acceptKeyword(keyword: string): boolean {
    if (this.#keyword(this.#peek()) !== keyword) return false
    this.#index++
    return true
  }

  #accept(punctuation: string): boolean {
    const token = this.#peek()
    if (token.kind !== 'punctuation' || token.value !== punctuation)
      return false
    this.#index++
    return true
  }

  #peek(): FilterToken {
    // tokenizeFilter always ends with an `end` token, and #next never steps past it.
    return (
      this.#tokens[this.#index] ?? {
        kind: 'end',
        text: '',
        value: '',
        position: this.#text.length + 1,
      }
    )
  }

  #next(): FilterToken {
    const token = this.#peek()
    if (token.kind !== 'end') this.#index++
    return token
  }

  #fail(problem: string, token: FilterToken): Error {
    return invalidFilter(problem, token.position, this.#text)
  }
}

/**
 * Parse a filter such as `type = 'Model' AND properties.accuracy > 0.9` into a
 * {@link FilterNode} tree. AND binds tighter than OR; keywords are case-insensitive; strings
 * take single or double quotes (a doubled quote stands for itself); field segments may be
 * backquoted (properties.`my key`). Field names are checked against those any entity has;
 * {@link compileFilter} checks them against the one it compiles for.
 *
 * Throws a `LoreError` with code `INVALID_ARGUMENT`, `details.position` (1-based) and a caret
 * under the problem for malformed or empty filters; callers skip empty filters themselves.
 *
 * @example
 * parseFilter("name IN ('a', 'b') OR NOT (state = 'LIVE')")
 */
export function parseFilter(text: string): FilterNode {
  return new FilterParser(text).parse()
}
