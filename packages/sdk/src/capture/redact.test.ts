import { describe, expect, it } from 'vitest'
import { createRedactor } from './redact.js'

describe('createRedactor', () => {
  it('hides the usual secret names in any spelling', () => {
    const redact = createRedactor()
    for (const key of [
      'password',
      'PASSWORD',
      'dbPassword',
      'passwd',
      'pwd',
      'DB_PWD',
      'secret',
      'clientSecret',
      'token',
      'accessToken',
      'GITHUB_TOKEN',
      'x-auth-token',
      'idtoken',
      'token_count',
      'api_key',
      'apiKey',
      'APIKey',
      'x-api-key',
      'access_key',
      'accessKey',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
      'awsProfile',
      'auth',
      'Auth',
      'basicAuth',
      'oauth',
      'authMode',
      'bearer',
      'bearerToken',
      'jwt',
      'jwtPayload',
      'Authorization',
      'proxy-authorization',
      'credentials',
      'cookie',
      'Set-Cookie',
      'private_key',
      'privateKey',
      'session_id',
      'SENTRY_DSN',
    ])
      expect(redact(key), key).toBe(true)
  })

  it('keeps the ordinary names of ML pipelines, including look-alikes of secret words', () => {
    const redact = createRedactor()
    for (const key of [
      'epochs',
      'learningRate',
      'rows',
      'compass',
      'bypass',
      'pass_rate',
      'tokenizer',
      'TOKENIZER',
      'tokenizerName',
      'maxTokens',
      'max_tokens',
      'num_tokens',
      'author',
      'authors',
      'AUTHOR',
      'coauthor',
      'keyboard',
      'monkey',
      'sessionLength',
      'path',
      'user',
    ])
      expect(redact(key), key).toBe(false)
  })

  it('adds names (any case) and patterns of your own', () => {
    const redact = createRedactor(['customerEmail', /^ssn/i])
    expect(redact('CUSTOMEREMAIL')).toBe(true)
    expect(redact('SSN_last4')).toBe(true)
    expect(redact('email')).toBe(false)
  })

  it('answers the same for a key asked again (cached)', () => {
    const redact = createRedactor()
    expect([redact('apiKey'), redact('apiKey'), redact('epochs')]).toEqual([
      true,
      true,
      false,
    ])
  })
})
