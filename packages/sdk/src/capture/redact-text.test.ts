import { describe, expect, it } from 'vitest'
import { redactRecordedText, redactText } from './redact-text.js'

const R = '[REDACTED]'

describe('redactText', () => {
  it('hides url passwords, whole and inside text', () => {
    expect(redactText('postgres://ada:s3cret@db:5432/lore')).toBe(
      'postgres://ada:***@db:5432/lore',
    )
    expect(
      redactText('cannot reach mysql://root:p@ss@127.0.0.1/x: refused'),
    ).toBe('cannot reach mysql://root:***@127.0.0.1/x: refused')
  })

  it('hides the values of secret keys in query strings, DSNs, command lines and JSON', () => {
    expect(redactText('https://api.example/v1?api_key=abc123&page=2')).toBe(
      `https://api.example/v1?api_key=${R}&page=2`,
    )
    expect(
      redactText('Server=db;User Id=sa;Password=Hunter2!;Database=lore'),
    ).toBe(`Server=db;User Id=sa;Password=${R};Database=lore`)
    expect(redactText('host=db pwd=abc dbname=lore')).toBe(
      `host=db pwd=${R} dbname=lore`,
    )
    expect(redactText('--password=x --api-key=abc --token y --epochs 3')).toBe(
      `--password=${R} --api-key=${R} --token ${R} --epochs 3`,
    )
    expect(redactText('{"password":"two words","user":"ada"}')).toBe(
      `{"password":"${R}","user":"ada"}`,
    )
    expect(redactText('Authorization: Basic dXNlcjpwYXNz')).toBe(
      `Authorization: ${R}`,
    )
    expect(
      redactText(
        'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      ),
    ).toBe(`AWS_SECRET_ACCESS_KEY=${R}`)
  })

  it('hides well-known token formats, bearer tokens and private keys anywhere', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'
    expect(
      redactText(
        `keys sk-proj-abcdefghijklmnopqrstuvwx, ghp_abcdefghijklmnopqrstuvwxyz0123 and AKIAIOSFODNN7EXAMPLE; jwt ${jwt}`,
      ),
    ).toBe(`keys ${R}, ${R} and ${R}; jwt ${R}`)
    expect(redactText(`got 401 for Bearer ${jwt}`)).toBe(
      `got 401 for Bearer ${R}`,
    )
    expect(redactText('retry with Bearer opaque-token.42')).toBe(
      `retry with Bearer ${R}`,
    )
    expect(
      redactText(
        '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----',
      ),
    ).toBe(R)
    expect(redactText('hf_abcdefghijklmnopqrstuvwxyzABCDEF')).toBe(R)
  })

  it('leaves ordinary text identical', () => {
    for (const text of [
      'epoch 3 of 20: loss 0.2345, accuracy 0.912',
      'author: Ada Lovelace, tokens: 512, tokenizer=bert-base',
      'the password is not here; bearer bonds are fine',
      'task-force-alpha and ask-me-anything',
      'http://127.0.0.1:4700/v1/runs',
      'https://medium.com/@author',
      'max_tokens=256 keyboard=qwerty',
    ]) {
      expect(redactText(text)).toBe(text)
      expect(redactRecordedText(text)).toBe(text)
    }
  })

  it('gives the same answer from its cache for short text', () => {
    expect(redactRecordedText('token=abc')).toBe(`token=${R}`)
    expect(redactRecordedText('token=abc')).toBe(`token=${R}`)
  })
})
