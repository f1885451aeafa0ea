import { describe, expect, it } from 'vitest'
import { propertyValueProblem, takeCheckedJson } from './record-schemas.js'

describe('takeCheckedJson', () => {
  it('gives the text a STRUCT was checked as, once', () => {
    const value = { a: 1, b: ['x'] }
    expect(propertyValueProblem(value)).toBeUndefined()
    value.a = 2 // changed after its check: the checked text is what is stored
    expect(takeCheckedJson(value)).toBe('{"a":1,"b":["x"]}')
    expect(takeCheckedJson(value)).toBeUndefined()
  })

  it('keeps no text for a value that failed its last check', () => {
    const value: Record<string, unknown> = { a: 1 }
    expect(propertyValueProblem(value)).toBeUndefined()
    value.a = Number.NaN
    expect(propertyValueProblem(value)).toMatch(/NaN/)
    expect(takeCheckedJson(value)).toBeUndefined()
    const withNul = { text: 'a\u0000b' }
    expect(propertyValueProblem(withNul)).toBeDefined()
    expect(takeCheckedJson(withNul)).toBeUndefined()
  })

  it('keeps no text for a value that was never checked', () => {
    expect(takeCheckedJson({ a: 1 })).toBeUndefined()
  })
})
