import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createTempProject,
  loreProcess,
  sdkEntry,
  type TempProject,
} from '../../test/support/lore-process.js'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { shutdown } from '../index.js'
import { runCli } from './index.js'

declare global {
  // Set by the test: resolves once the progress line named the step that waits for it.
  var loreProgressShown: Promise<void> | undefined
}

let temp: TempStore
let project: TempProject
beforeEach(async () => {
  temp = await createTempStore()
  project = await createTempProject({
    'pipeline.ts': [
      `import { pipeline, step } from ${JSON.stringify(sdkEntry)}`,
      'const first = step(function first() { return 1 })',
      'const slow = step(async function slow(value: number) {',
      '  await globalThis.loreProgressShown',
      '  return value + 1',
      '})',
      "export const progress = pipeline('progress', {}, async () => slow(first()))",
      '',
    ].join('\n'),
  })
})
afterEach(async () => {
  globalThis.loreProgressShown = undefined
  await shutdown()
  await project.cleanup()
  await temp.cleanup()
})

describe('progress while a pipeline runs', () => {
  it('redraws one stderr line on a terminal: the current step, steps done, elapsed time', async () => {
    let stderr = ''
    let shown: () => void = () => undefined
    globalThis.loreProgressShown = new Promise((resolve) => (shown = resolve))
    const code = await runCli(
      ['run', project.path('pipeline.ts'), '--store', temp.url],
      {
        stdout: () => undefined,
        stderr: (text) => {
          stderr += text
          if (text.includes('step slow')) shown()
        },
        interactive: true,
      },
    )
    expect(code).toBe(0)
    const clear = '\r\u001b[K'
    expect(stderr).toContain(`${clear}progress: step slow · 1 step done · `)
    expect(stderr).toMatch(/progress: step slow · 1 step done · \d+\.\d s/)
    // The line is cleared at the end: what follows starts on a clean line.
    expect(stderr.endsWith('\r\u001b[K')).toBe(true)
  })

  it('writes nothing to stderr when it is not a terminal', async () => {
    globalThis.loreProgressShown = Promise.resolve()
    const run = await loreProcess([
      'run',
      project.path('pipeline.ts'),
      '--store',
      temp.url,
    ])
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const runId = /run (\S{36})/.exec(run.stdout)?.[1] ?? ''
    const replayed = await loreProcess(['replay', runId, '--store', temp.url])
    expect(replayed.code).toBe(0)
    expect(replayed.stderr).toBe('')
  })
})
