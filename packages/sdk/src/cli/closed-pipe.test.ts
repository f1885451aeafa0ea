import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTempStore,
  type TempStore,
} from '../../test/support/temp-store.js'
import { pipeline } from '../pipeline/pipeline-function.js'
import { shutdown } from '../recorder/shutdown.js'
import { step } from '../step/step.js'

const main = fileURLToPath(new URL('./main.ts', import.meta.url))
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
let temp: TempStore
let runId: string

const square = step(function square(value: number) {
  return value * value
})

beforeAll(async () => {
  temp = await createTempStore()
  // Enough steps that `lore show` prints far more than a pipe holds (64 KiB).
  const many = pipeline('many', {}, () => {
    let total = 0
    for (let index = 0; index < 2000; index++) total += square(index)
    return total
  })
  runId = (await many.run(undefined, { store: temp.url })).runId
  await shutdown()
})
afterAll(() => temp.cleanup())

/** Start `lore <args>`, read its first chunk of output, then close the pipe. */
function readFirstChunkThenClose(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--conditions=@lore/source', main, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stderr = ''
  let first = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout.once('data', (chunk: Buffer) => {
    first = chunk.toString()
    child.stdout.destroy()
  })
  return new Promise<{ code: number | null; stderr: string; first: string }>(
    (resolve) => child.on('close', (code) => resolve({ code, stderr, first })),
  )
}

describe('a closed pipe', () => {
  it('ends lore show quietly with exit code 0, as `lore show <run> | head` does', async () => {
    for (const json of [[], ['--json']]) {
      const result = await readFirstChunkThenClose([
        'show',
        runId,
        ...json,
        '--store',
        temp.url,
      ])
      expect(result.first.length).toBeGreaterThan(0)
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
    }
  })
})
