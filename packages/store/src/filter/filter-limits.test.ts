import { describe, expect, it } from 'vitest'
import { openStore } from '../open-store.js'
import { maxFilterDepth, maxFilterTerms } from './filter-limits.js'

describe('filter limits', () => {
  it('accepts a filter at the limits and refuses one past them, naming the limit', async () => {
    const store = await openStore('sqlite::memory:')
    try {
      await store.putArtifactType({ name: 'D' })
      const terms = (count: number) =>
        Array.from({ length: count }, (_, index) => `id = ${index + 1}`).join(
          ' OR ',
        )
      await expect(
        store.getArtifacts({ filter: terms(maxFilterTerms) }),
      ).resolves.toEqual({ items: [] })
      await expect(
        store.getArtifacts({ filter: terms(maxFilterTerms + 1) }),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining(`more than the ${maxFilterTerms}`),
      })
      const nested = (depth: number) =>
        'NOT ('.repeat(depth) + 'id = 1' + ')'.repeat(depth)
      await expect(
        store.getArtifacts({ filter: nested(maxFilterDepth) }),
      ).resolves.toEqual({ items: [] })
      await expect(
        store.getArtifacts({ filter: nested(maxFilterDepth + 1) }),
      ).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining(`more than the ${maxFilterDepth}`),
      })
    } finally {
      await store.close()
    }
  })
})
