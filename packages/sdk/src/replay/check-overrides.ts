import { LoreError } from '@lore/store'
import { z } from 'zod'
import type { JsonValue } from '../capture/json-value.js'

const shown = (value: JsonValue): string =>
  typeof value === 'string' ? value : JSON.stringify(value)

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected a ${issue.expected}`
  return issue.message
}

/**
 * Check `--set` overrides against a pipeline's config schema before anything runs: a key the
 * schema does not have is refused with the list of the config's keys; a value that does not
 * fit blames the flag (`--set maxDepth=deep: expected a number`), not the rest of the config.
 * Throws `LoreError` (`INVALID_ARGUMENT`) with one issue per bad flag. A pipeline without a
 * schema takes the keys of `config` as its keys.
 *
 * @example
 * checkOverrides(pipeline.configSchema, 'iris', recorded.config, { maxDepth: 'deep' })
 */
export function checkOverrides(
  schema: z.ZodType | undefined,
  pipelineName: string,
  config: JsonValue,
  overrides: Readonly<Record<string, JsonValue>>,
): void {
  const keys =
    schema instanceof z.ZodObject
      ? Object.keys(schema.shape)
      : typeof config === 'object' && config !== null && !Array.isArray(config)
        ? Object.keys(config)
        : []
  const issues: { path: string[]; code: string; message: string }[] = []
  for (const [path, value] of Object.entries(overrides)) {
    const top = path.split('.')[0] ?? path
    if (!keys.includes(top)) {
      issues.push({
        path: path.split('.'),
        code: 'unknown_key',
        message: `--set ${path}=${shown(value)}: pipeline '${pipelineName}' has no config key '${top}'; its keys are ${keys.length > 0 ? keys.join(', ') : '(none)'}`,
      })
      continue
    }
    if (!(schema instanceof z.ZodObject)) continue
    // Check the value alone against its field, so the message is about this value only.
    let field: z.ZodType | undefined = schema
    for (const part of path.split('.'))
      field =
        field instanceof z.ZodObject
          ? (field.shape as Record<string, z.ZodType>)[part]
          : undefined
    if (field === undefined) continue
    const parsed = field.safeParse(value)
    if (!parsed.success)
      for (const issue of parsed.error.issues)
        issues.push({
          path: [...path.split('.'), ...issue.path.map(String)],
          code: issue.code,
          message: `--set ${path}=${shown(value)}: ${describeIssue(issue)}`,
        })
  }
  if (issues.length === 0) return
  throw new LoreError(
    'INVALID_ARGUMENT',
    issues.length === 1
      ? `${issues[0]?.message}; nothing was run`
      : `${issues.length} --set flags do not fit pipeline '${pipelineName}'; nothing was run:\n${issues.map((issue) => `  - ${issue.message}`).join('\n')}`,
    { issues, details: { pipeline: pipelineName } },
  )
}
