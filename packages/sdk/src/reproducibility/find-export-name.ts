import { readFile } from 'node:fs/promises'

// Read once per file and process: a run's end (at a signal, too) then waits on no file.
const sources = new Map<string, Promise<string | undefined>>()

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The name under which `file` exports a pipeline, found by reading its source (importing it
 * again could deadlock a module that runs the pipeline at top level): a class `className`
 * exported directly or in an export list, or a `const` initialised by
 * `pipeline('pipelineName', …)`. `default` for a default export; undefined if not found. The
 * file is read once per process.
 *
 * @example
 * await findExportName('/project/src/iris.ts', { className: 'IrisPipeline' }) // 'IrisPipeline'
 */
export async function findExportName(
  file: string,
  target: { className?: string | undefined; pipelineName?: string | undefined },
): Promise<string | undefined> {
  let read = sources.get(file)
  if (read === undefined) {
    read = readFile(file, 'utf8').catch(() => undefined)
    sources.set(file, read)
  }
  const source = await read
  if (source === undefined) return undefined
  let local: string | undefined
  if (target.className !== undefined) {
    const name = escape(target.className)
    if (
      new RegExp(
        `export\\s+default\\s+(abstract\\s+)?class\\s+${name}\\b`,
      ).test(source)
    )
      return 'default'
    if (new RegExp(`export\\s+(abstract\\s+)?class\\s+${name}\\b`).test(source))
      return target.className
    local = target.className
  }
  if (target.pipelineName !== undefined) {
    const call = new RegExp(
      `(export\\s+)?(?:const|let|var)\\s+([\\w$]+)\\s*=\\s*pipeline\\(\\s*['"\`]${escape(target.pipelineName)}['"\`]`,
    ).exec(source)
    if (call?.[2] !== undefined) {
      if (call[1] !== undefined) return call[2]
      local = call[2]
    }
  }
  if (local === undefined) return undefined
  const list = new RegExp(
    `export\\s*\\{[^}]*\\b${escape(local)}\\b(?:\\s+as\\s+([\\w$]+))?`,
  ).exec(source)
  if (list !== null) return list[1] ?? local
  if (new RegExp(`export\\s+default\\s+${escape(local)}\\b`).test(source))
    return 'default'
  return undefined
}
