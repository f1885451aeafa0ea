import { pipeline, step, type RunContext } from '@lore/sdk'
import {
  detectDecoratorMode,
  type DecoratorMode,
} from '../../../src/decorators/decorator-mode.js'
import { z } from 'zod'

/** The decorator modes a probe decorator saw: proof of how this file was compiled. */
export const seenModes: DecoratorMode[] = []

function probe(...args: unknown[]): undefined {
  seenModes.push(detectDecoratorMode(args))
  return undefined
}

/** A small pipeline whose steps are decorated methods (compiled with experimentalDecorators). */
@pipeline({ name: 'decorated-legacy' })
export class DecoratedPipeline {
  static readonly config = z.object({ factor: z.number().default(2) })
  readonly offset = 1

  @probe
  @step({ type: 'Process' })
  load(count: number): number[] {
    return Array.from({ length: count }, (_, index) => index + this.offset)
  }

  @step()
  scale(values: number[], factor: number): number[] {
    return values.map((value) => value * factor)
  }

  @step({ type: 'Evaluate' })
  async total(values: number[]): Promise<number> {
    await Promise.resolve()
    return values.reduce((sum, value) => sum + value, 0)
  }

  async run(config: { factor: number }, ctx: RunContext) {
    const scaled = this.scale(this.load(3), config.factor)
    return { total: await this.total(scaled), seed: ctx.seed }
  }
}
