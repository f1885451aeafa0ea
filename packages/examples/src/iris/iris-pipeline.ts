import { readFile } from 'node:fs/promises'
import {
  artifact,
  currentRun,
  pipeline,
  step,
  type FileArtifact,
  type RunContext,
} from '@lore/sdk'
import { DecisionTreeClassifier } from 'ml-cart'
import { z } from 'zod'
import { irisDataFile, irisSpecies, type IrisRow } from './iris-data.js'
import { shuffled } from './seeded-random.js'

/** The iris pipeline's config. */
export const IrisConfig = z.object({
  /** Share of the rows held out for evaluation. */
  testFraction: z.number().gt(0).lt(1).default(0.3),
  /** Deepest the decision tree may grow. */
  maxDepth: z.number().int().positive().default(5),
  /** Fewest rows a leaf may be made from. */
  minNumSamples: z.number().int().positive().default(3),
})
export type IrisConfig = z.output<typeof IrisConfig>

/** How well the model did on the rows it never saw. */
export interface IrisMetrics {
  accuracy: number
  correct: number
  total: number
  /** Rows by true species (rows) and predicted species (columns). */
  confusionMatrix: number[][]
}

const fileRows = z.array(
  z.tuple([
    z.number(),
    z.number(),
    z.number(),
    z.number(),
    z.enum(irisSpecies),
  ]),
)

/**
 * Iris species from four measurements: load → split → train → evaluate, each a `@step()`
 * method, with a CART decision tree from ml.js. Every call is recorded with no logging code:
 * the lineage model ← train ← split ← load ← the data file comes from passing return values on.
 *
 * @example
 * const { runId, result } = await pipelineOf(IrisPipeline).run({ testFraction: 0.3 })
 */
@pipeline({
  name: 'iris',
  description:
    'Iris species from four measurements: a CART decision tree (ml-cart)',
})
export class IrisPipeline {
  /** The config schema: `run()` validates its argument with it. */
  static readonly config = IrisConfig

  @step({ type: 'Process', outputType: 'Dataset' })
  async load(source: FileArtifact): Promise<IrisRow[]> {
    const rows = fileRows.parse(JSON.parse(await readFile(source.path, 'utf8')))
    return rows.map(
      ([sepalLength, sepalWidth, petalLength, petalWidth, species]) => ({
        features: [sepalLength, sepalWidth, petalLength, petalWidth],
        species,
      }),
    )
  }

  @step({ type: 'Transform', outputType: 'Dataset' })
  split(
    rows: IrisRow[],
    testFraction: number,
    seed: number,
  ): { train: IrisRow[]; test: IrisRow[] } {
    const order = shuffled(rows, seed)
    const testSize = Math.round(rows.length * testFraction)
    return { test: order.slice(0, testSize), train: order.slice(testSize) }
  }

  @step({ type: 'Train', outputType: 'Model' })
  train(
    rows: IrisRow[],
    options: { maxDepth: number; minNumSamples: number },
  ): DecisionTreeClassifier {
    const model = new DecisionTreeClassifier({
      gainFunction: 'gini',
      ...options,
    })
    model.train(
      rows.map((row) => row.features),
      rows.map((row) =>
        irisSpecies.indexOf(row.species as (typeof irisSpecies)[number]),
      ),
    )
    return model
  }

  @step({ type: 'Evaluate', outputType: 'Metrics' })
  evaluate(model: DecisionTreeClassifier, rows: IrisRow[]): IrisMetrics {
    const predicted = model.predict(rows.map((row) => row.features))
    const confusionMatrix = irisSpecies.map(() => irisSpecies.map(() => 0))
    let correct = 0
    for (const [index, row] of rows.entries()) {
      const actual = irisSpecies.indexOf(
        row.species as (typeof irisSpecies)[number],
      )
      const guess = predicted[index] ?? -1
      if (guess === actual) correct++
      const line = confusionMatrix[actual]
      if (line !== undefined && guess >= 0) line[guess] = (line[guess] ?? 0) + 1
    }
    const accuracy = correct / rows.length
    // A metric, not only a return value: `lore show`, `lore runs --metric accuracy` and
    // `lore diff` show it, and a registry can gate on it.
    currentRun()?.logMetric('accuracy', accuracy)
    return {
      accuracy,
      correct,
      total: rows.length,
      confusionMatrix,
    }
  }

  /** The pipeline's body: the steps in order, wired by their return values. */
  async run(
    config: IrisConfig,
    ctx: RunContext,
  ): Promise<{ model: DecisionTreeClassifier; metrics: IrisMetrics }> {
    const rows = await this.load(
      artifact.file(irisDataFile(), { type: 'Dataset', name: 'iris.json' }),
    )
    const { train, test } = this.split(rows, config.testFraction, ctx.seed)
    const model = this.train(train, {
      maxDepth: config.maxDepth,
      minNumSamples: config.minNumSamples,
    })
    const metrics = this.evaluate(model, test)
    return { model, metrics }
  }
}
