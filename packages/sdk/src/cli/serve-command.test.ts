import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openStore } from '@lore/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { finished } from '../../test/support/run-tsx.js'
import { startServer } from '../../test/support/store-server-process.js'

const loreBin = fileURLToPath(new URL('../../bin/lore.js', import.meta.url))

function lore(args: string[]) {
  return finished(
    spawn(process.execPath, [loreBin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  )
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-serve-test-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('lore serve and lore token', () => {
  it("serves the store (and lays out the UI's graphs) to a client with a token made by lore token create, and stops on SIGTERM", async () => {
    const tokens = join(dir, 'tokens.db')
    const created = await lore([
      'token',
      'create',
      '--name',
      'ci',
      '--scope',
      'write',
      '--tokens',
      tokens,
    ])
    expect(created.code).toBe(0)
    const token = created.stdout.trim()
    expect(token).toMatch(/^lore_/)
    expect(created.stderr).toContain("token 'ci' (write")

    const server = await startServer(`sqlite:${join(dir, 'lore.db')}`, 0, [
      '--tokens',
      tokens,
    ])
    const withToken = await openStore(server.url, { token })
    expect(await withToken.getContextTypes()).toEqual([])
    await withToken.close()
    const without = await openStore(server.url, { token: '' })
    await expect(without.getContextTypes()).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    })
    await without.close()
    // It serves the web UI, whose lineage graphs its layout engine lays out.
    const laidOut = await fetch(`${server.url}/v1/layoutGraph`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        nodes: ['a:1', 'e:1'],
        edges: [{ source: 'a:1', target: 'e:1' }],
        nodeWidth: 100,
        nodeHeight: 40,
      }),
    })
    const { positions } = (
      (await laidOut.json()) as { result: { positions: [number, number][] } }
    ).result
    expect(positions).toHaveLength(2)
    expect(positions[1]![1]).toBeGreaterThan(positions[0]![1])

    server.child.kill('SIGTERM')
    const stopped = await server.result
    expect(stopped.code).toBe(0)
    expect(stopped.stderr).toContain('SIGTERM: finishing requests in flight')
  })

  it('refuses to serve on a non-loopback address without tokens, and says how to add them', async () => {
    const result = await lore([
      'serve',
      '--store',
      `sqlite:${join(dir, 'lore.db')}`,
      '--host',
      '0.0.0.0',
      '--port',
      '0',
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'refusing to serve the store on 0.0.0.0 without auth',
    )
    expect(result.stderr).toContain('lore token create')
  })

  it('lists tokens without their secrets and revokes one by id', async () => {
    const tokens = join(dir, 'tokens.db')
    const created = await lore(
      ['token', 'create', '--name', 'ana', '--scope', 'read'].concat([
        '--tokens',
        tokens,
        '--json',
      ]),
    )
    const { id, token } = JSON.parse(created.stdout) as {
      id: string
      token: string
    }
    const listed = await lore(['token', 'list', '--tokens', tokens])
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+ana\\s+read`))
    expect(listed.stdout).not.toContain(token)
    const revoked = await lore(['token', 'revoke', id, '--tokens', tokens])
    expect(revoked.code).toBe(0)
    const after = await lore(['token', 'list', '--tokens', tokens, '--json'])
    expect(JSON.parse(after.stdout)).toMatchObject([
      { id, revokeTimeSinceEpoch: expect.any(Number) },
    ])
  })
})
