import { describe, expect, it } from 'vitest'
import { readableNodeName } from './readable-node-name.js'
import { maxNodeNameLength, uniqueNodeName } from './unique-node-name.js'

describe('uniqueNodeName', () => {
  it('gives the same key the same name and other keys other names', () => {
    const name = uniqueNodeName('train', 'execution:1')
    expect(name).toMatch(/^train#[0-9a-f]{16}$/)
    expect(uniqueNodeName('train', 'execution:1')).toBe(name)
    expect(uniqueNodeName('train', 'execution:2')).not.toBe(name)
  })

  it('cuts a long readable part so that the name fits an indexed column', () => {
    const name = uniqueNodeName('😀'.repeat(400), 'key')
    expect([...name]).toHaveLength(maxNodeNameLength)
    expect(readableNodeName(name)).toBe('😀'.repeat(maxNodeNameLength - 17))
  })

  it('keeps a readable part that fits whole, counting code points, not UTF-16 units', () => {
    const room = maxNodeNameLength - 17
    for (const readable of [
      'a'.repeat(room),
      '😀'.repeat(room / 2),
      `a${'😀'.repeat(room / 2)}`,
      '😀'.repeat(room),
    ])
      expect(readableNodeName(uniqueNodeName(readable, 'key'))).toBe(readable)
    expect(readableNodeName(uniqueNodeName('a'.repeat(room + 1), 'k'))).toBe(
      'a'.repeat(room),
    )
  })

  it('is undone by readableNodeName, which leaves other names alone', () => {
    expect(readableNodeName(uniqueNodeName('a#b', 'k'))).toBe('a#b')
    expect(readableNodeName('model#v2')).toBe('model#v2')
    expect(readableNodeName('x#0123456789ABCDEF')).toBe('x#0123456789ABCDEF')
    expect(readableNodeName(undefined)).toBeUndefined()
  })
})
