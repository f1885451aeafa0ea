import { fileURLToPath } from 'node:url'
import madge from 'madge'
import { describe, expect, it } from 'vitest'

const source = fileURLToPath(new URL('../src', import.meta.url))
const tsConfig = fileURLToPath(new URL('../tsconfig.json', import.meta.url))

/**
 * The SDK's layers, bottom first (DESIGN.md, "Packages and the direction of dependencies"):
 * a module may import its own layer or a lower one, never a higher one.
 */
const layers: Record<string, number> = {
  capture: 0,
  artifact: 0,
  reproducibility: 0,
  drift: 0,
  outbox: 0,
  core: 1,
  runtime: 2,
  recorder: 3,
  cache: 3,
  metrics: 3,
  openlineage: 3,
  pipeline: 4,
  decorators: 4,
  step: 4,
  replay: 4,
  registry: 4,
  monitor: 4,
  compare: 4,
  query: 4,
  cli: 5,
}

function layerOf(file: string): number {
  const folder = file.includes('/') ? file.split('/')[0]! : ''
  // Files at the root (index.ts, the public barrels) sit on top of everything.
  return folder === '' ? Number.POSITIVE_INFINITY : (layers[folder] ?? -1)
}

describe('the SDK’s layers', () => {
  it('put every folder of src in a layer, and no module imports a higher layer', async () => {
    const graph = await madge(source, {
      fileExtensions: ['ts'],
      tsConfig,
      excludeRegExp: [/\.test\.ts$/, /\.test-d\.ts$/],
      detectiveOptions: { ts: { skipTypeImports: true } },
    })
    const modules = graph.obj()
    const unplaced = Object.keys(modules).filter(
      (file) => !file.startsWith('..') && layerOf(file) < 0,
    )
    const upward: string[] = []
    for (const [file, imports] of Object.entries(modules)) {
      if (file.startsWith('..')) continue
      for (const imported of imports)
        if (!imported.startsWith('..') && layerOf(imported) > layerOf(file))
          upward.push(`${file} imports ${imported}`)
    }
    expect(Object.keys(modules).length).toBeGreaterThan(100)
    expect(unplaced).toEqual([])
    expect(upward).toEqual([])
  })

  it('has no import cycle in the SDK', async () => {
    const graph = await madge(source, {
      fileExtensions: ['ts'],
      tsConfig,
      excludeRegExp: [/\.test\.ts$/, /\.test-d\.ts$/],
      detectiveOptions: { ts: { skipTypeImports: true } },
    })
    expect(graph.circular()).toEqual([])
  })
})
