import { describe, expect, it } from 'vitest'
import { maskUrlPassword } from './mask-url-password.js'

describe('maskUrlPassword', () => {
  it('hides the password of a store url and keeps the rest readable', () => {
    expect(maskUrlPassword('postgres://lore:s3cret@db:5432/lore')).toBe(
      'postgres://lore:***@db:5432/lore',
    )
    expect(maskUrlPassword('mysql://:only-password@127.0.0.1/test')).toBe(
      'mysql://:***@127.0.0.1/test',
    )
  })

  it('hides every password in longer text, including one holding an @', () => {
    expect(
      maskUrlPassword(
        'copy from https://a:b@one.example/x to redis://u:p@ss@two.example:6379',
      ),
    ).toBe(
      'copy from https://a:***@one.example/x to redis://u:***@two.example:6379',
    )
  })

  it('leaves urls without a password, ports and paths as they are', () => {
    for (const text of [
      'http://127.0.0.1:4700',
      'http://localhost:8080/users/@me',
      'https://medium.com/@author',
      'sqlite:./lore.db',
      'postgres://lore@db/lore',
    ])
      expect(maskUrlPassword(text)).toBe(text)
  })
})
