import { LoreError } from '@lore/store'
import { z } from 'zod'

/**
 * What a process hands to the processes it starts so that their steps join its run: the
 * store, the run and the step that started them. Travels as JSON in `LORE_PARENT`.
 */
export interface RunLink {
  /** The store url the run records to; absent when the run writes to a store object. */
  store?: string
  /** The run's id. */
  runId: string
  /** The run's pipeline. */
  pipeline: string
  /** The external id of the step call the child's steps nest under, if any. */
  parentId?: string
  /** The run's seed, so `ctx.random()` and `ctx.seed` agree across processes. */
  seed?: number
}

const runLinkSchema = z.strictObject({
  store: z.string().min(1).optional(),
  runId: z.string().min(1),
  pipeline: z.string().min(1),
  parentId: z.string().min(1).optional(),
  seed: z.number().int().optional(),
})

/** The environment variable that carries a {@link RunLink} to child processes. */
export const runLinkVariable = 'LORE_PARENT'

/**
 * Read a {@link RunLink} from its JSON text (the value of `LORE_PARENT`). Throws
 * INVALID_ARGUMENT, naming the variable and what is wrong, for anything else.
 *
 * @example
 * const link = parseRunLink(process.env.LORE_PARENT!)
 */
export function parseRunLink(text: string): RunLink {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${runLinkVariable} is not JSON (${text.slice(0, 80)}); set it with runContextEnv() from the parent process, or unset it`,
      { cause: error, details: { variable: runLinkVariable } },
    )
  }
  const parsed = runLinkSchema.safeParse(value)
  if (!parsed.success) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${runLinkVariable} does not name a run: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ')}; set it with runContextEnv() from the parent process, or unset it`,
      {
        issues: parsed.error.issues.map((issue) => ({
          path: issue.path.map((part) =>
            typeof part === 'number' ? part : String(part),
          ),
          code: issue.code,
          message: issue.message,
        })),
        details: { variable: runLinkVariable },
      },
    )
  }
  const link: RunLink = {
    runId: parsed.data.runId,
    pipeline: parsed.data.pipeline,
  }
  if (parsed.data.store !== undefined) link.store = parsed.data.store
  if (parsed.data.parentId !== undefined) link.parentId = parsed.data.parentId
  if (parsed.data.seed !== undefined) link.seed = parsed.data.seed
  return link
}
