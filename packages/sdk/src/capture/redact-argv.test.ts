import { describe, expect, it } from 'vitest'
import { redactArgv } from './redact-argv.js'

describe('redactArgv', () => {
  it('hides a secret flag’s value given after = or as the next argument', () => {
    expect(
      redactArgv([
        'train.ts',
        '--password=hunter2',
        '--token',
        'tok 123',
        '--api-key',
        '"quoted',
        '--db',
        'postgres://trainer:s3cret@db/x',
        'AKIAABCDEFGHIJKLMNOP',
      ]),
    ).toEqual([
      'train.ts',
      '--password=[REDACTED]',
      '--token',
      '[REDACTED]',
      '--api-key',
      '[REDACTED]',
      '--db',
      'postgres://trainer:***@db/x',
      '[REDACTED]',
    ])
  })

  it('keeps the arguments an ML script passes', () => {
    const argv = ['train.ts', '--max-tokens', '512', '--epochs', '3', '-n', '7']
    expect(redactArgv(argv)).toEqual(argv)
    // A secret flag at the end has no value to hide.
    expect(redactArgv(['run.ts', '--token'])).toEqual(['run.ts', '--token'])
  })
})
