import { describe, expect, it } from 'vitest'
import { hashValue } from './hash-value.js'

describe('hashValue', () => {
  it('is the same for equal content whatever the key order or identity', () => {
    expect(hashValue({ b: 1, a: [1, 2] })).toBe(hashValue({ a: [1, 2], b: 1 }))
    expect(hashValue(new Map([['k', new Set([1])]]))).toBe(
      hashValue(new Map([['k', new Set([1])]])),
    )
  })

  it('tells apart values that JSON would confuse', () => {
    const hashes = [
      hashValue(1),
      hashValue('1'),
      hashValue(1n),
      hashValue([1]),
      hashValue({ 0: 1 }),
      hashValue(null),
      hashValue(undefined),
      hashValue(new Float32Array([1])),
      hashValue(new Float64Array([1])),
      hashValue(-0),
      hashValue(0),
    ]
    expect(new Set(hashes).size).toBe(hashes.length)
  })

  it('hashes typed arrays and Buffers by their bytes', () => {
    expect(hashValue(Buffer.from('abc'))).toBe(hashValue(Buffer.from('abc')))
    expect(hashValue(Buffer.from('abc'))).not.toBe(
      hashValue(Buffer.from('abd')),
    )
    const big = new Float64Array(1_000_000).fill(0.5)
    const changed = big.slice()
    changed[999_999] = 0.25
    expect(hashValue(big)).not.toBe(hashValue(changed))
  })

  it('includes class names, and ends on cycles', () => {
    class A {
      x = 1
    }
    class B {
      x = 1
    }
    expect(hashValue(new A())).not.toBe(hashValue(new B()))
    const cycle: Record<string, unknown> = { x: 1 }
    cycle.self = cycle
    expect(hashValue(cycle)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('tells configs apart where the SharedArrayBuffer global is missing, as in a browser page', () => {
    const scope = globalThis as { SharedArrayBuffer?: unknown }
    const shared = scope.SharedArrayBuffer
    delete scope.SharedArrayBuffer
    try {
      expect(hashValue({ maxDepth: 3 })).not.toBe(hashValue({ maxDepth: 4 }))
      expect(hashValue(new ArrayBuffer(2))).toBe(hashValue(new ArrayBuffer(2)))
    } finally {
      scope.SharedArrayBuffer = shared
    }
  })
})
