import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWorkspace, type Workspace } from './support/lore-cli.js'

let workspace: Workspace
beforeEach(async () => {
  workspace = await createWorkspace()
})
afterEach(async () => {
  await workspace.cleanup()
})

const root = fileURLToPath(new URL('../../../', import.meta.url))

function pnpmDemo(
  store: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['--silent', 'demo'], {
      cwd: root,
      env: { ...process.env, LORE_STORE: store },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('pnpm demo', () => {
  it('runs the iris pipeline and prints commands that show what was recorded', async () => {
    const demo = await pnpmDemo(workspace.store)
    expect(demo.stderr).toBe('')
    expect(demo.code).toBe(0)
    expect(demo.stdout).toMatch(
      /accuracy (0\.\d{3}|1\.000) on 45 held-out flowers/,
    )
    const commands = [
      ...demo.stdout.matchAll(/^ {2}pnpm lore (.+?) +# /gm),
    ].map((match) => match[1]?.trim().split(/\s+/) ?? [])
    expect(commands.map((args) => args[0])).toEqual([
      'runs',
      'show',
      'lineage',
      'lineage',
      'lineage',
      'ui',
    ])
    for (const args of commands.slice(0, -1)) {
      const { code, stdout } = await workspace.lore(...args)
      expect(code, args.join(' ')).toBe(0)
      expect(stdout.length).toBeGreaterThan(0)
    }
    const lineage = await workspace.lore(...(commands[2] ?? []))
    expect(lineage.stdout).toMatch(
      /Model train[\s\S]*made by train[\s\S]*split\.train[\s\S]*made by split[\s\S]*made by load[\s\S]*iris\.json sha256:/,
    )
    // The last command serves the web UI for the same store.
    const ui = await startLoreUi(workspace.store)
    try {
      const page = await fetch(ui.url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root">')
      const runs = await fetch(new URL('v1/getContexts', ui.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: { type: 'PipelineRun' } }),
      })
      const body = (await runs.json()) as { result: { items: unknown[] } }
      expect(body.result.items).toHaveLength(1)
      // Its layout engine, warmed up at start, lays the lineage graphs out.
      const laidOut = await fetch(new URL('v1/layoutGraph', ui.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          nodes: ['a:1', 'e:1', 'a:2'],
          edges: [
            { source: 'a:1', target: 'e:1' },
            { source: 'e:1', target: 'a:2' },
          ],
          nodeWidth: 260,
          nodeHeight: 64,
        }),
      })
      const layout = (await laidOut.json()) as {
        result: { positions: [number, number][] }
      }
      expect(layout.result.positions.map(([, y]) => y)).toEqual(
        [...layout.result.positions.map(([, y]) => y)].sort((a, b) => a - b),
      )
      expect(new Set(layout.result.positions.map(([, y]) => y)).size).toBe(3)
    } finally {
      await ui.stop()
    }
  })
})

/** `pnpm lore ui --port 0` for a store, as the demo says, until `stop()`. */
function startLoreUi(
  store: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'pnpm',
      ['--silent', 'lore', 'ui', '--port', '0', '--store', store],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    )
    const closed = new Promise<void>((done) => child.on('close', () => done()))
    const stop = async (): Promise<void> => {
      if (child.pid !== undefined && child.exitCode === null)
        process.kill(-child.pid, 'SIGTERM')
      await closed
    }
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1]
      if (url !== undefined) resolve({ url, stop })
    })
    child.on('error', reject)
    void closed.then(() =>
      reject(new Error(`lore ui ended before serving:\n${stdout}\n${stderr}`)),
    )
  })
}
