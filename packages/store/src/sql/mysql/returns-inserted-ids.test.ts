import { describe, expect, it } from 'vitest'
import { returnsInsertedIds } from './mysql-dialect.js'

describe('returnsInsertedIds', () => {
  it('is true for MariaDB from 10.5, whose INSERT has RETURNING, and false for MySQL', () => {
    expect(returnsInsertedIds('10.11.19-MariaDB-0+deb12u1')).toBe(true)
    expect(returnsInsertedIds('10.5.0-MariaDB')).toBe(true)
    expect(returnsInsertedIds('11.4.2-MariaDB-log')).toBe(true)
    expect(returnsInsertedIds('10.4.32-MariaDB')).toBe(false)
    expect(returnsInsertedIds('8.0.36')).toBe(false)
    expect(returnsInsertedIds('8.4.0-commercial')).toBe(false)
  })
})
