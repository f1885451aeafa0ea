import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import {
  artifact,
  pipeline,
  step,
  currentRun,
  type FileArtifact,
} from '../../src/index.js'

/** Parse a CSV of orders into rows. */
export const loadOrders = step(
  { type: 'Process', outputType: 'Dataset' },
  async function loadOrders(source: FileArtifact) {
    const [, ...lines] = (await readFile(source.path, 'utf8'))
      .trim()
      .split('\n')
    return lines.map((line) => {
      const [id, customer, amount] = line.split(',')
      return {
        id: Number(id),
        customer: String(customer),
        amount: Number(amount),
      }
    })
  },
)

const meanOf = step(function meanOf(values: number[]) {
  return values.reduce((sum, value) => sum + value, 0) / values.length
})

/** A "model": the mean order amount per customer, fitted with a nested step. */
export const fitModel = step(
  { type: 'Train', outputType: 'Model' },
  function fitModel(
    rows: { customer: string; amount: number }[],
    options: { smoothing: number; apiKey: string },
  ) {
    const customers = [...new Set(rows.map((row) => row.customer))]
    const means: Record<string, number> = {}
    for (const customer of customers)
      means[customer] =
        meanOf(
          rows
            .filter((row) => row.customer === customer)
            .map((row) => row.amount),
        ) + options.smoothing
    for (const index of customers.keys())
      currentRun()?.logMetric('loss', 1 / (index + 1), { step: index })
    return { kind: 'mean-per-customer', means }
  },
)

/** Score the model on the rows it saw. */
export const evaluateModel = step(
  { type: 'Evaluate', outputType: 'Metrics' },
  function evaluateModel(
    model: { means: Record<string, number> },
    rows: { customer: string; amount: number }[],
  ) {
    const error =
      rows.reduce(
        (sum, row) =>
          sum + Math.abs((model.means[row.customer] ?? 0) - row.amount),
        0,
      ) / rows.length
    return { metrics: { mae: error }, residuals: rows.map((row) => row.amount) }
  },
)

/** orders.csv → rows → model → evaluation. */
export const ordersPipeline = pipeline(
  'orders-model',
  {
    config: z.object({
      input: z.string(),
      smoothing: z.number(),
      apiKey: z.string(),
    }),
  },
  async (config, ctx) => {
    const rows = await loadOrders(
      artifact.file(config.input, { type: 'Dataset' }),
    )
    const model = fitModel(rows, {
      smoothing: config.smoothing,
      apiKey: config.apiKey,
    })
    ctx.logMetric('rows', rows.length)
    return evaluateModel(model, rows)
  },
)
