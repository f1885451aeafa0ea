import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { stepCode } from './step-code.js'

const root = await mkdtemp(join(tmpdir(), 'lore-step-code-'))
afterAll(() => rm(root, { recursive: true, force: true }))

/** Write a project into a folder of its own (files are read once per process). */
async function project(files: Record<string, string>): Promise<string> {
  const dir = join(root, String(Math.random()).slice(2))
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true })
    await writeFile(join(dir, file), text)
  }
  return dir
}

const pipeline = (clean: string, helper = 'value * 2') => ({
  'pipeline.ts': [
    "import { normalize } from './helpers.js'",
    "import type { Row } from './types.js'",
    "import { unused } from './unused.js'",
    "import { loop } from './cycle-a.js'",
    'function round(value: number) {',
    '  return Math.round(value)',
    '}',
    `const clean = (rows: Row[]) => rows.map((row) => round(normalize(row.value)) + ${clean})`,
    'const train = (rows: number[]) => rows.length + loop()',
    '',
  ].join('\n'),
  'helpers.ts': `export const normalize = (value: number) => ${helper}\n`,
  'types.ts': 'export interface Row { value: number }\n',
  'unused.ts': 'export const unused = 1\n',
  'cycle-a.ts':
    "import { b } from './cycle-b.js'\nexport const loop = () => b\n",
  'cycle-b.ts':
    "import { loop } from './cycle-a.js'\nexport const b = 2; void loop\n",
})

const cleanSource = (clean: string) =>
  `(rows) => rows.map((row) => round(normalize(row.value)) + ${clean})`
const trainSource = '(rows) => rows.length + loop()'

describe('stepCode', () => {
  it('covers the modules a step imports by the names it uses, through cycles, and not type-only or unused imports', async () => {
    const dir = await project(pipeline('0'))
    const code = stepCode(cleanSource('0'), join(dir, 'pipeline.ts'))
    expect(Object.keys(code.modules)).toEqual(['./helpers.ts'])
    const train = stepCode(trainSource, join(dir, 'pipeline.ts'))
    expect(Object.keys(train.modules)).toEqual(['./cycle-a.ts', './cycle-b.ts'])
  })

  it('changes with a helper module, or a same-file helper, and not with another step', async () => {
    const base = await project(pipeline('0'))
    const helper = await project(pipeline('0', 'value * 3'))
    const sameFile = await project({
      ...pipeline('0'),
      'pipeline.ts': pipeline('0')['pipeline.ts'].replace(
        'Math.round(value)',
        'Math.floor(value)',
      ),
    })
    const otherStep = await project({
      ...pipeline('0'),
      'pipeline.ts': pipeline('0')['pipeline.ts'].replace(
        'rows.length + loop()',
        'rows.length + loop() + 1',
      ),
    })
    const clean = (dir: string) =>
      stepCode(cleanSource('0'), join(dir, 'pipeline.ts'))
    expect(clean(helper).fingerprint).not.toBe(clean(base).fingerprint)
    expect(clean(helper).own).toBe(clean(base).own)
    expect(clean(sameFile).own).not.toBe(clean(base).own)
    expect(clean(otherStep).fingerprint).toBe(clean(base).fingerprint)
  })

  it('gives a step with no readable file a fingerprint of its own source alone', () => {
    const missing = stepCode('() => 1', join(root, 'nowhere.ts'))
    expect(missing.modules).toEqual({})
    expect(missing.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(stepCode('() => 2', undefined).fingerprint).not.toBe(
      stepCode('() => 1', undefined).fingerprint,
    )
  })
})
