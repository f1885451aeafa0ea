import { describe, expect, it } from 'vitest'
import { timeOrderedId } from './time-ordered-id.js'

const v7 =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('timeOrderedId', () => {
  it('makes version 7 UUIDs whose first 48 bits are the time in milliseconds', () => {
    const before = Date.now()
    const id = timeOrderedId()
    const after = Date.now()
    expect(id).toMatch(v7)
    const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)
    expect(ms).toBeGreaterThanOrEqual(before)
    expect(ms).toBeLessThanOrEqual(after)
  })

  it('makes distinct ids that sort in the order they were made, within a millisecond too', () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedId())
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
    for (const id of ids) expect(id).toMatch(v7)
  })
})
