import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { gitInfo, withoutCredentials } from './git-info.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-git-info-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim()

describe('gitInfo', () => {
  it("reads the commit, the branch and the origin remote's url without its credentials", async () => {
    git('init', '-q', '-b', 'main')
    git('config', 'user.email', 'test@example.test')
    git('config', 'user.name', 'Test')
    await writeFile(join(dir, 'train.ts'), 'export {}\n')
    git('add', 'train.ts')
    git('commit', '-q', '-m', 'first')
    git(
      'remote',
      'add',
      'origin',
      'https://x-access-token:ghp_SecretToken123@github.example/org/repo.git',
    )
    const info = await gitInfo(dir)
    expect(info.commit).toBe(git('rev-parse', 'HEAD'))
    expect(info.branch).toBe('main')
    expect(info.dirty).toBe(false)
    expect(info.remote).toBe('https://github.example/org/repo.git')
  })

  it('leaves a remote without credentials as it is', () => {
    expect(withoutCredentials('git@github.com:org/repo.git')).toBe(
      'git@github.com:org/repo.git',
    )
    expect(withoutCredentials('ssh://git:pw@host:2222/org/repo.git')).toBe(
      'ssh://host:2222/org/repo.git',
    )
  })
})
