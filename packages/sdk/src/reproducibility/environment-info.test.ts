import { afterEach, describe, expect, it } from 'vitest'
import { environmentInfo } from './environment-info.js'

const names = ['DATABASE_URL', 'AWS_SECRET_ACCESS_KEY', 'LORE_TEST_PLAIN']
afterEach(() => {
  for (const name of names) delete process.env[name]
})

describe('environmentInfo', () => {
  it('records the named variables with secret names hidden and url passwords masked', async () => {
    process.env.DATABASE_URL = 'postgres://ada:env-db-pw@db:5432/lore'
    process.env.AWS_SECRET_ACCESS_KEY = 'env-aws-secret'
    process.env.LORE_TEST_PLAIN = 'cuda:0'
    const info = await environmentInfo(process.cwd(), names)
    expect(info.env).toEqual({
      DATABASE_URL: 'postgres://ada:***@db:5432/lore',
      AWS_SECRET_ACCESS_KEY: '[REDACTED]',
      LORE_TEST_PLAIN: 'cuda:0',
    })
  })
})
