import { describe, expect, it } from 'vitest'
import { newMetricId } from './metric-point.js'

describe('client-made ids', () => {
  it('are time-ordered UUIDv7s, so ids made one after another sort in the order made', () => {
    const ids = Array.from({ length: 2000 }, () => newMetricId())
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids)
      expect(id).toMatch(
        /^metric:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      )
    expect([...ids].sort()).toEqual(ids)
  })
})
