import { describe, expect, it } from 'vitest'
import { createRedactor } from '../capture/redact.js'
import { keepOutputs } from './kept-outputs.js'

describe('keepOutputs', () => {
  it('keeps JSON outputs as they are', async () => {
    expect(await keepOutputs({ rows: [1, 2], model: 'tree' })).toEqual({
      kept: { rows: [1, 2], model: 'tree' },
    })
  })

  it('does not keep an output holding a secret, and never names the secret', async () => {
    for (const output of [
      { dsn: 'postgres://trainer:kept-pw-1@db/x' },
      ['Bearer kept-bearer-2abc'],
      { apiKey: 'kept-key-3' },
      { 'sk-keptkeptkeptkeptkept4': 1 },
    ]) {
      const kept = await keepOutputs(output)
      expect(kept).toHaveProperty('notKept')
      expect(JSON.stringify(kept)).not.toMatch(
        /kept-pw-1|kept-bearer|kept-key-3|keptkept/,
      )
    }
  })

  it('applies the step’s own redaction keys', async () => {
    const redact = createRedactor(['customerEmail'])
    expect(await keepOutputs({ customerEmail: 'a@b.c' }, redact)).toEqual({
      notKept:
        'it returned a field named customerEmail, which names a secret; outputs holding a secret are never stored',
    })
  })

  it('never throws, also for a result whose proxy traps throw what cannot be printed', async () => {
    const thrown = Object.create(null) as object
    const fail = () => {
      throw thrown
    }
    const hostile = new Proxy(
      {},
      { get: fail, getPrototypeOf: fail, ownKeys: fail },
    )
    expect(await keepOutputs(hostile)).toEqual({
      notKept: 'its outputs could not be read ([object Object])',
    })
  })
})
