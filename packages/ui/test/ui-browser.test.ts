import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  openStore,
  readableNodeName,
  type Context,
  type MetadataStore,
} from '@lore/store'
import {
  createStoreServer,
  SqliteTokenStore,
  type StoreServer,
} from '@lore/store/server'
import type { Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createGraphLayout,
  ensureUiBuilt,
  type ElkGraphLayout,
} from '../node/index.js'
import { fillWithExamples } from './support/example-store.js'
import { fillLineage } from './support/lineage-store.js'
import { launchChromium, type Browser } from './support/launch-chromium.js'

/** One screenshot per page, kept (not committed) for a person to look at. */
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url))

let dir: string
let location: string
let store: MetadataStore
let server: StoreServer
/** The server's lineage layout, as `lore ui` and `lore serve` give it. */
let layout: ElkGraphLayout
let url: string
let browser: Browser

interface Visit {
  page: Page
  /** Console errors, page errors and failed requests (a missing favicon counts). */
  problems: string[]
  /** Every answer the page got, in order. */
  responses: Response[]
}

async function open(path: string, base = url): Promise<Visit> {
  const page = await browser.context.newPage()
  const problems: string[] = []
  const responses: Response[] = []
  page.on('console', (message) => {
    if (message.type() === 'error')
      problems.push(`console: ${message.text()} (${message.location().url})`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('response', (response) => {
    responses.push(response)
    if (response.status() >= 400)
      problems.push(`HTTP ${response.status()} ${response.url()}`)
  })
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()}`),
  )
  await page.goto(`${base}${path}`)
  return { page, problems, responses }
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(artifacts, `${name}.png`),
    fullPage: true,
  })
}

/** How many positions each `layoutGraph` answer held (0 for the page's warm-up call). */
async function layoutAnswers(responses: Response[]): Promise<number[]> {
  const answers: number[] = []
  for (const response of responses)
    if (response.url().endsWith('/v1/layoutGraph') && response.ok())
      answers.push(
        ((await response.json()) as { result: { positions: unknown[] } }).result
          .positions.length,
      )
  return answers
}

/** The run a replay replayed (its `replay.replayOf` property), if it is one. */
function replayOf(context: Context): string | undefined {
  const replay = context.properties.replay as { replayOf?: unknown } | undefined
  return typeof replay?.replayOf === 'string' ? replay.replayOf : undefined
}

/** The pipeline's run contexts, oldest first. */
async function runsOf(pipeline: string): Promise<Context[]> {
  const page = await store.getContexts({
    type: 'PipelineRun',
    filter: `properties.pipeline = '${pipeline}'`,
    orderBy: 'id',
  })
  return page.items
}

/** The pipeline's run ids, oldest first. */
async function runIds(pipeline: string): Promise<string[]> {
  return (await runsOf(pipeline)).map(
    (context) => context.externalId ?? String(context.id),
  )
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lore-ui-browser-'))
  await mkdir(artifacts, { recursive: true })
  location = `sqlite:${join(dir, 'lore.db')}`
  await fillWithExamples(location, dir)
  store = await openStore(location)
  layout = createGraphLayout()
  server = createStoreServer(store, {
    host: '127.0.0.1',
    port: 0,
    ui: await ensureUiBuilt(undefined, { rebuildStale: true }),
    layout,
  })
  url = `${await server.listen()}/`
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
  await layout?.close()
  await store?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('the web UI in chromium, over the example pipelines', () => {
  it('runs: lists every run; a filter narrows the table; a bad filter shows its error with a caret', async () => {
    const { page, problems } = await open(
      '#/runs?params=testFraction&metrics=accuracy',
    )
    const rows = page.getByTestId('run-row')
    await rows.first().waitFor()
    const all = await rows.count()
    const runs = await store.getContexts({ type: 'PipelineRun' })
    expect(all).toBe(Math.min(50, runs.items.length))
    expect(await page.getByTestId('runs-table').textContent()).toContain(
      'sensor-fanout',
    )
    // Chosen columns: the config parameter and the evaluate step's accuracy (last, min, max).
    const irisRow = rows
      .filter({ hasText: 'iris' })
      .filter({ hasText: '0.4000' })
    expect(await irisRow.count()).toBe(1)
    // The metric columns fill in after the rows.
    await expect
      .poll(() => irisRow.locator('td').nth(8).textContent(), {
        timeout: 20_000,
      })
      .toMatch(/^0\.\d+$/)
    await screenshot(page, 'runs')

    await page.getByLabel('filter').fill("properties.pipeline = 'iris'")
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.waitForFunction(
      (before) =>
        document.querySelectorAll('[data-testid="run-row"]').length < before,
      all,
    )
    const irisRows = await rows.allTextContents()
    expect(irisRows).toHaveLength((await runIds('iris')).length)
    for (const row of irisRows) expect(row).toContain('iris')
    expect(page.url()).toContain('filter=')

    // Select two runs to compare.
    await rows.nth(0).getByRole('checkbox').check()
    await rows.nth(1).getByRole('checkbox').check()
    await page.getByRole('button', { name: 'Compare 2 selected' }).click()
    await page.getByTestId('compare-config').waitFor()
    expect(page.url()).toMatch(/#\/compare\?runs=[0-9a-f-]+%2C[0-9a-f-]+/)
    await page.goBack()
    await rows.first().waitFor()

    await page.getByLabel('filter').fill("properties.pipeline = = 'iris'")
    await page.getByRole('button', { name: 'Apply' }).click()
    const caret = page.getByTestId('filter-caret')
    await caret.waitFor()
    const [line, marker] = (await caret.textContent())?.split('\n') ?? []
    expect(line).toBe("properties.pipeline = = 'iris'")
    // Under the second '=', the character the store blames.
    expect(marker).toBe(`${' '.repeat('properties.pipeline = '.length)}^`)
    expect(await page.getByRole('alert').textContent()).toMatch(
      /INVALID_ARGUMENT/,
    )
    await screenshot(page, 'runs-bad-filter')
    // The bad filter's 400 is the page's own question, answered; nothing else went wrong.
    expect(
      problems.filter((problem) => !/ 400 |status of 400/.test(problem)),
    ).toEqual([])
    await page.close()
  })

  it('runs: sorted on the server by duration and by status', async () => {
    for (const [sort, orderBy] of [
      ['duration', 'customProperties.durationMs'],
      ['status', 'customProperties.status'],
    ] as const) {
      const { page, problems } = await open(`#/runs?sort=${sort}`)
      const rows = page.getByTestId('run-row')
      await rows.first().waitFor()
      const expected = await store.getContexts({
        type: 'PipelineRun',
        orderBy,
        descending: true,
        limit: 50,
      })
      const shown = await rows.locator('td:nth-child(2)').allTextContents()
      expect(shown).toEqual(
        expected.items.map((run) => (run.externalId ?? '').slice(0, 8)),
      )
      expect(problems).toEqual([])
      await page.close()
    }
  })

  it('run: config, code version, environment, the step timeline and metric charts', async () => {
    const [runId] = await runIds('iris')
    const { page, problems } = await open(`#/runs/${runId}`)
    await page.getByTestId('step-timeline').waitFor()
    const text = (await page.locator('main').textContent()) ?? ''
    for (const part of [
      'Config',
      'testFraction',
      'Seed',
      'Code version',
      'Environment',
      'Packages',
    ])
      expect(text).toContain(part)
    const steps = await page.getByTestId('step-row').allTextContents()
    expect(steps.join(' ')).toMatch(/load[\s\S]*split[\s\S]*train/)
    // Each step with the code version (source fingerprint) its calls recorded.
    const versions = await page
      .getByTestId('step-code-versions')
      .locator('tr')
      .allTextContents()
    expect(versions.some((row) => /^train[0-9a-f]{12}…/.test(row))).toBe(true)
    expect(text).toMatch(/git commit[0-9a-f]{7,}/)
    await page.getByTestId('step-row').first().click()
    await page.getByTestId('step-panel').waitFor()
    await screenshot(page, 'run')
    expect(problems).toEqual([])
    await page.close()
  })

  it('compare: the parameter that differs is highlighted', async () => {
    const [first, second] = await runIds('iris')
    const { page, problems } = await open(`#/compare?runs=${first},${second}`)
    const table = page.getByTestId('compare-config')
    await table.waitFor()
    const differing = await table
      .locator('tr[data-differs="true"]')
      .allTextContents()
    // testFraction was set apart; the seed is drawn for each run.
    expect(
      differing.some((row) =>
        /^config\.testFraction\s*0\.3000\s*0\.4000$/.test(row),
      ),
    ).toBe(true)
    expect(
      differing.every((row) => /^(config\.testFraction|seed)/.test(row)),
    ).toBe(true)
    const same = await table
      .locator('tr[data-differs="false"]')
      .allTextContents()
    expect(same.some((row) => /^config\.maxDepth\s*5\s*5$/.test(row))).toBe(
      true,
    )
    // The step-by-step verdict, as lore diff gives it: split is where they part.
    const verdict = page.getByTestId('diff-verdict').first()
    await verdict.waitFor()
    expect(await verdict.textContent()).toMatch(
      /diverged — first divergence at split \(parameters changed\)/,
    )
    await screenshot(page, 'compare')
    expect(problems).toEqual([])
    await page.close()
  })

  it("lineage: the iris model's graph shows iris.json with its fingerprint", async () => {
    const [run] = await runsOf('iris')
    const [model] = (
      await store.getArtifacts({ contextId: run!.id, type: 'Model' })
    ).items
    const data = (await store.getArtifacts({ contextId: run!.id })).items.find(
      (artifact) => readableNodeName(artifact.name ?? '') === 'iris.json',
    )
    expect(model).toBeDefined()
    expect(data?.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    const { page, problems, responses } = await open(
      `#/lineage/a:${model!.id}?direction=upstream&depth=6`,
    )
    const canvas = page.locator(
      '[data-testid="lineage-canvas"][data-laid-out="true"]',
    )
    await canvas.waitFor()
    // Laid out by the server's engine: one position for each node drawn.
    expect(await layoutAnswers(responses)).toEqual([
      0,
      Number(await canvas.getAttribute('data-nodes')),
    ])
    // Every edge is drawn at once, before any node is clicked.
    const edges = Number(await canvas.getAttribute('data-edges'))
    expect(edges).toBeGreaterThan(3)
    await expect
      .poll(() => page.locator('.react-flow__edge').count())
      .toBe(edges)
    const file = page
      .getByTestId('lineage-node')
      .filter({ hasText: 'iris.json' })
    await file.waitFor()
    expect(await file.textContent()).toContain(
      `sha256 ${data!.fingerprint!.slice(0, 12)}`,
    )
    await file.click()
    const panel = page.getByTestId('lineage-side-panel')
    await expect.poll(() => panel.textContent()).toContain(data!.fingerprint!)
    // The path from the model to the file is highlighted.
    expect(await page.locator('.node-path').count()).toBeGreaterThan(2)
    await screenshot(page, 'lineage')
    expect(problems).toEqual([])
    await page.close()
  })

  it('lineage: starts at two hops and grows when a node is expanded', async () => {
    const [run] = await runsOf('iris')
    const data = (await store.getArtifacts({ contextId: run!.id })).items.find(
      (artifact) => readableNodeName(artifact.name ?? '') === 'iris.json',
    )
    const { page, problems } = await open(
      `#/lineage/a:${data!.id}?direction=downstream`,
    )
    const canvas = page.locator(
      '[data-testid="lineage-canvas"][data-laid-out="true"]',
    )
    await canvas.waitFor()
    expect(await page.getByTestId('lineage-depth').textContent()).toBe('2')
    const before = Number(await canvas.getAttribute('data-nodes'))
    const nodes = page.getByTestId('lineage-node')
    const last = nodes.nth((await nodes.count()) - 1)
    await last.click()
    await last.click()
    await expect
      .poll(async () =>
        Number(
          await page.getByTestId('lineage-canvas').getAttribute('data-nodes'),
        ),
      )
      .toBeGreaterThan(before)
    expect(problems).toEqual([])
    await page.close()
  })

  it("models: the monitoring example's rollback is on the alias timeline, with its incidents", async () => {
    const list = await open('#/models')
    await list.page.getByTestId('models-table').waitFor()
    expect(await list.page.getByTestId('models-table').textContent()).toContain(
      'iris',
    )
    await screenshot(list.page, 'models')
    expect(list.problems).toEqual([])
    await list.page.close()

    const { page, problems } = await open('#/models/iris')
    const timeline = page.getByTestId('alias-timeline')
    await timeline.waitFor()
    const moves = await timeline.locator('li').allTextContents()
    // Who, when, why, from, to: the promotions and the rollback of the monitoring story.
    expect(moves).toHaveLength(4)
    expect(moves[1]).toMatch(
      /production set\s*v1 → v2.*by policy:iris-production · INC-1/,
    )
    expect(moves[3]).toMatch(
      /production rollback\s*v3 → v2.*by policy:iris-production · INC-2.*roll back to v2/,
    )
    expect(await page.getByTestId('incident').count()).toBe(2)
    expect(
      await page.getByTestId('versions-table').locator('tbody tr').count(),
    ).toBe(3)
    await screenshot(page, 'model')
    expect(problems).toEqual([])
    await page.close()
  })

  it('model: a metric only v1 logged, once, is a dot inside the plot, not an empty chart', async () => {
    const { page, problems } = await open('#/models/iris')
    const chart = page.getByTestId('chart-heldOutAccuracy')
    await chart.locator('canvas').waitFor()
    // Only v1 logged heldOutAccuracy (one point): the legend is the time and v1.
    expect(
      await chart.locator('.u-legend .u-series .u-label').allTextContents(),
    ).toEqual(['time', 'v1'])
    // uPlot draws on a canvas: find v1's colour (the palette's first, #1f77b4) in its pixels
    // and compare where it is with the plot area, which uPlot's .u-over element covers.
    const found = await chart.evaluate((element) => {
      const canvas = element.querySelector('canvas')!
      const plot = element.querySelector('.u-over')!.getBoundingClientRect()
      const box = canvas.getBoundingClientRect()
      const ratio = canvas.width / box.width
      const pixels = canvas
        .getContext('2d')!
        .getImageData(0, 0, canvas.width, canvas.height).data
      const xs: number[] = []
      const ys: number[] = []
      for (let index = 0; index < pixels.length; index += 4) {
        const [red, green, blue] = [
          pixels[index]!,
          pixels[index + 1]!,
          pixels[index + 2]!,
        ]
        if (
          Math.abs(red - 31) < 30 &&
          Math.abs(green - 119) < 30 &&
          Math.abs(blue - 180) < 30
        ) {
          xs.push(((index / 4) % canvas.width) / ratio)
          ys.push(Math.floor(index / 4 / canvas.width) / ratio)
        }
      }
      return {
        count: xs.length,
        dot: [
          Math.min(...xs),
          Math.min(...ys),
          Math.max(...xs),
          Math.max(...ys),
        ],
        plot: [
          plot.left - box.left,
          plot.top - box.top,
          plot.right - box.left,
          plot.bottom - box.top,
        ],
      }
    })
    expect(found.count).toBeGreaterThan(10)
    const [left, top, right, bottom] = found.dot
    const [plotLeft, plotTop, plotRight, plotBottom] = found.plot
    // Inside, with room: a dot on the plot's edge is cut in half.
    expect(left).toBeGreaterThan(plotLeft! + 5)
    expect(right).toBeLessThan(plotRight! - 5)
    expect(top).toBeGreaterThan(plotTop! + 5)
    expect(bottom).toBeLessThan(plotBottom! - 5)
    expect(problems).toEqual([])
    await page.close()
  })

  it('run: a replay links to its original, and cached steps show as CACHED on the timeline', async () => {
    const replays = (
      await store.getContexts({ type: 'PipelineRun' })
    ).items.filter((context) => replayOf(context) !== undefined)
    expect(replays.length).toBeGreaterThan(0)
    const replayRun = replays[0]!
    const { page, problems } = await open(
      `#/runs/${replayRun.externalId ?? replayRun.id}`,
    )
    const link = page.getByTestId('replay-of')
    await link.waitFor()
    expect(await link.textContent()).toContain(replayOf(replayRun)!.slice(0, 8))
    await screenshot(page, 'run-replay')
    await page.close()

    const cachedSteps = (
      await store.getExecutions({ filter: "last_known_state = 'CACHED'" })
    ).items
    expect(cachedSteps.length).toBeGreaterThan(0)
    const cached = await open(`#/runs/e:${cachedSteps[0]!.id}`)
    await cached.page.getByTestId('step-timeline').waitFor()
    expect(
      await cached.page.locator('.gantt-bar.CACHED').count(),
    ).toBeGreaterThan(0)
    expect(
      (await cached.page.getByTestId('step-timeline').textContent()) ?? '',
    ).toContain('CACHED')
    await screenshot(cached.page, 'run-cached')
    expect([...problems, ...cached.problems]).toEqual([])
    await cached.page.close()
  })

  it('a running run updates while its page is open, and a failed step shows as FAILED', async () => {
    const now = Date.now()
    const live = {
      type: 'PipelineRun',
      name: 'live/run-live',
      externalId: 'live-run-0001',
      properties: { pipeline: 'live' },
    }
    const [contextId] = await store.putContexts([
      {
        ...live,
        customProperties: {
          status: 'RUNNING',
          startedAt: now,
          heartbeatAt: now,
          heartbeatIntervalMs: 600_000,
          stepCount: 1,
        },
      },
    ])
    const [executionId] = await store.putExecutions([
      {
        type: 'Train',
        name: 'train',
        lastKnownState: 'FAILED',
        startTimeSinceEpoch: now,
        endTimeSinceEpoch: now + 40,
        error: { message: 'the data file was empty' },
      },
    ])
    await store.putAttributionsAndAssociations(
      [],
      [{ executionId: executionId!, contextId: contextId! }],
    )
    const runPage = await open('#/runs/live-run-0001')
    const runsPage = await open('#/runs')
    const header = runPage.page.locator('h1')
    await expect.poll(() => header.textContent()).toContain('RUNNING')
    const row = runsPage.page
      .getByTestId('run-row')
      .filter({ hasText: 'live-run' })
    await expect.poll(() => row.textContent()).toContain('RUNNING')
    expect(await runPage.page.locator('.gantt-bar.FAILED').count()).toBe(1)
    await runPage.page.getByTestId('step-row').first().click()
    await expect
      .poll(() => runPage.page.getByTestId('step-error').textContent())
      .toContain('the data file was empty')

    await store.putContexts([
      {
        ...live,
        id: contextId!,
        customProperties: {
          status: 'FAILED',
          startedAt: now,
          endedAt: now + 50,
          durationMs: 50,
          stepCount: 1,
          failedSteps: 1,
        },
      },
    ])
    // No reload: both pages read again while the run is running.
    const [stored] = (
      await store.getContexts({ externalIds: ['live-run-0001'] })
    ).items
    expect(stored?.customProperties.status).toBe('FAILED')
    // The pages read again every 2 s.
    const wait = { timeout: 20_000, interval: 250 }
    await expect.poll(() => header.textContent(), wait).toContain('FAILED')
    await expect.poll(() => row.textContent(), wait).toContain('FAILED')
    expect([...runPage.problems, ...runsPage.problems]).toEqual([])
    await runPage.page.close()
    await runsPage.page.close()
  })

  it('an unknown id shows a clear message, not a blank page', async () => {
    for (const [path, message] of [
      ['#/runs/ffffffff-0000-0000-0000-000000000000', /NOT_FOUND.*ffffffff/],
      ['#/lineage/a:987654', /NOT_FOUND.*987654/],
      ['#/models/no-such-model', /NOT_FOUND.*no-such-model/],
      ['#/nowhere', /NOT_FOUND.*nowhere/],
    ] as const) {
      const { page } = await open(path)
      const alert = page.getByRole('alert')
      await alert.waitFor()
      expect(await alert.textContent(), path).toMatch(message)
      if (path.startsWith('#/runs')) await screenshot(page, 'unknown-run')
      await page.close()
    }
  })
})

describe('the web UI on a store server without a layout engine', () => {
  let plain: StoreServer
  let plainUrl: string

  beforeAll(async () => {
    plain = createStoreServer(store, {
      host: '127.0.0.1',
      port: 0,
      ui: await ensureUiBuilt(),
    })
    plainUrl = `${await plain.listen()}/`
  })
  afterAll(() => plain?.close())

  it('lays the lineage out in the page itself, the same as the server does', async () => {
    const [run] = await runsOf('iris')
    const [model] = (
      await store.getArtifacts({ contextId: run!.id, type: 'Model' })
    ).items
    const path = `#/lineage/a:${model!.id}?direction=upstream&depth=6`
    /** Each node's title and where React Flow put it. */
    const drawn = async (base: string) => {
      const { page, problems } = await open(path, base)
      await page
        .locator('[data-testid="lineage-canvas"][data-laid-out="true"]')
        .waitFor()
      const edges = await page
        .locator('[data-testid="lineage-canvas"]')
        .getAttribute('data-edges')
      await expect
        .poll(() => page.locator('.react-flow__edge').count())
        .toBe(Number(edges))
      const nodes = await page
        .locator('.react-flow__node')
        .evaluateAll((elements) =>
          elements.map(
            (element) =>
              `${element.textContent} at ${(element as HTMLElement).style.transform}`,
          ),
        )
      await page.close()
      return { nodes: nodes.sort(), problems }
    }
    const inPage = await drawn(plainUrl)
    const onServer = await drawn(url)
    expect(inPage.nodes.length).toBeGreaterThan(3)
    expect(inPage.nodes.some((node) => node.startsWith('iris.json'))).toBe(true)
    expect(inPage.nodes).toEqual(onServer.nodes)
    // The one thing that went wrong: this server has no layoutGraph (a 404, asked once).
    expect(inPage.problems.length).toBeGreaterThan(0)
    for (const problem of inPage.problems)
      expect(problem).toMatch(/404.*\/v1\/layoutGraph/)
    expect(onServer.problems).toEqual([])
  })
})

describe('a big lineage graph (over 150 edges)', () => {
  let big: MetadataStore
  let bigServer: StoreServer
  let bigUrl: string
  let source: number

  beforeAll(async () => {
    big = await openStore(`sqlite:${join(dir, 'big.db')}`)
    source = await fillLineage(big, 4, 25)
    bigServer = createStoreServer(big, {
      host: '127.0.0.1',
      port: 0,
      ui: await ensureUiBuilt(),
      layout,
    })
    bigUrl = `${await bigServer.listen()}/`
  })
  afterAll(async () => {
    await bigServer?.close()
    await big?.close()
  })

  /** The number of straight lines in an SVG path's `d`. */
  const lines = (d: string | null): number => d?.match(/M/g)?.length ?? 0

  it('draws every edge at once as one SVG, and highlights the path to a clicked node', async () => {
    const { page, problems } = await open(
      `#/lineage/a:${source}?direction=downstream&depth=10`,
      bigUrl,
    )
    const canvas = page.locator(
      '[data-testid="lineage-canvas"][data-laid-out="true"]',
    )
    await canvas.waitFor()
    const edges = Number(await canvas.getAttribute('data-edges'))
    expect(edges).toBeGreaterThan(150)
    expect(Number(await canvas.getAttribute('data-nodes'))).toBe(201)
    const svg = page.getByTestId('lineage-bulk-edges')
    expect(Number(await svg.getAttribute('data-edges'))).toBe(edges)
    const paths = svg.locator('path')
    expect(lines(await paths.nth(0).getAttribute('d'))).toBe(edges)
    expect(lines(await paths.nth(1).getAttribute('d'))).toBe(0)

    // Clicking a node of the last layer highlights a path down to it, one edge a hop.
    await page
      .getByTestId('lineage-node')
      .filter({ hasText: 'part-3-0.parquet' })
      .click({ force: true })
    await expect
      .poll(async () => lines(await paths.nth(1).getAttribute('d')))
      .toBe(8)
    expect(
      lines(await paths.nth(0).getAttribute('d')) +
        lines(await paths.nth(1).getAttribute('d')),
    ).toBe(edges)
    await screenshot(page, 'lineage-big')
    expect(problems).toEqual([])
    await page.close()
  })
})

describe('the web UI with tokens on', () => {
  let tokens: SqliteTokenStore
  let guarded: StoreServer
  let guardedUrl: string
  let read: string

  beforeAll(async () => {
    tokens = SqliteTokenStore.open(join(dir, 'tokens.db'))
    read = (await tokens.create({ name: 'viewer', scope: 'read' })).token
    guarded = createStoreServer(store, {
      host: '127.0.0.1',
      port: 0,
      ui: await ensureUiBuilt(),
      layout,
      tokens,
    })
    guardedUrl = `${await guarded.listen()}/`
  })
  afterAll(async () => {
    await guarded?.close()
    await tokens?.close()
  })

  it('refuses without a token, works with a read token kept in sessionStorage, and a read token changes nothing', async () => {
    const { page, problems } = await open('#/runs', guardedUrl)
    await page
      .getByRole('heading', { name: 'This store needs a token' })
      .waitFor()
    expect(await page.getByTestId('run-row').count()).toBe(0)
    await screenshot(page, 'token')

    await page.getByLabel('token').fill('lore_not-a-real-token')
    await page.getByRole('button', { name: 'Open' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/UNAUTHENTICATED/)

    await page.getByLabel('token').fill(read)
    await page.getByRole('button', { name: 'Open' }).click()
    await page.getByTestId('run-row').first().waitFor()
    expect(
      await page.evaluate(() => sessionStorage.getItem('lore.token')),
    ).toBe(read)
    expect(await page.evaluate(() => localStorage.length)).toBe(0)

    // Another page in the same tab keeps the token.
    await page.goto(`${guardedUrl}#/models/iris`)
    await page.getByTestId('alias-timeline').waitFor()

    const before = (await store.getContexts({ type: 'PipelineRun' })).items
      .length
    const write = await page.evaluate(async () => {
      const response = await fetch('./v1/putContexts', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${sessionStorage.getItem('lore.token')}`,
        },
        body: JSON.stringify({
          contexts: [{ type: 'PipelineRun', name: 'written-by-a-reader' }],
        }),
      })
      return { status: response.status, body: await response.text() }
    })
    expect(write.status).toBe(403)
    expect(write.body).toMatch(/PERMISSION_DENIED/)
    expect(
      (await store.getContexts({ type: 'PipelineRun' })).items,
    ).toHaveLength(before)

    // What went wrong was only the server saying no: 401 without and with a bad token, 403 for the write.
    for (const problem of problems) expect(problem).toMatch(/\b(401|403)\b/)
    await page.close()
  })
})
