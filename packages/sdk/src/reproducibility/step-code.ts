import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { dirname, relative, resolve, sep } from 'node:path'

/** What a step's code version is made of. */
export interface StepCode {
  /** sha256 over the function's own source, the same-file helpers it names and `modules`. */
  fingerprint: string
  /** sha256 of the function's source and the top-level declarations of its file it names. */
  own: string
  /**
   * sha256 of each local module the step depends on (imported by the names it uses, then
   * followed through their relative imports), by path relative to the step's file.
   */
  modules: Record<string, string>
  /** The same modules by absolute path. */
  files: Record<string, string>
}

/** A source file's text and the sha256 of its bytes, as this process first read it. */
export interface SourceText {
  text: string
  sha256: string
}

interface LocalImport {
  specifier: string
  /** Local names the import binds; undefined for a side-effect or dynamic import. */
  names: string[] | undefined
}

const texts = new Map<string, SourceText | null>()

/**
 * A source file's text and sha256, read once per process: what a step's code version was
 * computed from, and what a run from uncommitted code keeps.
 *
 * @example
 * sourceText('/project/src/train.ts')?.sha256
 */
export function sourceText(file: string): SourceText | undefined {
  let source = texts.get(file)
  if (source === undefined) {
    try {
      const bytes = readFileSync(file)
      source = {
        text: bytes.toString('utf8'),
        sha256: createHash('sha256').update(bytes).digest('hex'),
      }
    } catch {
      source = null
    }
    texts.set(file, source)
  }
  return source ?? undefined
}

const sha256 = (text: string): string =>
  createHash('sha256').update(text).digest('hex')

// Only what can stand between `import` and `from`: names, braces, commas, `*`, `as`, `type`.
// Anything else (`=`, `(`, a string) ends the clause, so one match never spans two statements.
const staticImport =
  /(?:^|[\n;])[ \t]*(import|export)\s+(type\s+)?([\w\s{},*$]*?)\s*from\s*['"]([^'"\n]+)['"]/g
const bareImport = /(?:^|[\n;])[ \t]*import\s*['"]([^'"\n]+)['"]/g
const dynamicImport = /\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g

function bindings(clause: string): string[] {
  const names: string[] = []
  const braces = /\{([^}]*)\}/.exec(clause)
  const outside = clause.replace(/\{[^}]*\}/, ' ')
  for (const part of outside.split(',')) {
    const namespace = /\*\s*as\s+([\w$]+)/.exec(part)
    if (namespace?.[1] !== undefined) names.push(namespace[1])
    else if (/^[\w$]+$/.test(part.trim())) names.push(part.trim())
  }
  for (const part of braces?.[1]?.split(',') ?? []) {
    const item = part.trim()
    if (item === '' || item.startsWith('type ')) continue
    const local = /(?:^|\s)as\s+([\w$]+)$/.exec(item)?.[1] ?? item
    if (/^[\w$]+$/.test(local)) names.push(local)
  }
  return names
}

/** The relative imports of a module's text (type-only ones left out: they do not run). */
function localImports(text: string): LocalImport[] {
  const imports: LocalImport[] = []
  for (const match of text.matchAll(staticImport)) {
    const [, keyword, typeOnly, clause = '', specifier = ''] = match
    if (typeOnly !== undefined || !specifier.startsWith('.')) continue
    // `export … from` runs the module when this one loads, whatever the step names.
    imports.push({
      specifier,
      names: keyword === 'export' ? undefined : bindings(clause),
    })
  }
  for (const pattern of [bareImport, dynamicImport])
    for (const match of text.matchAll(pattern)) {
      const specifier = match[1] ?? ''
      if (specifier.startsWith('.'))
        imports.push({ specifier, names: undefined })
    }
  return imports
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Where a relative specifier points, as TypeScript and tsx resolve it (`./a.js` → `a.ts`). */
function resolveImport(specifier: string, from: string): string | undefined {
  const base = resolve(dirname(from), specifier)
  const stem = base.replace(/\.(m|c)?js$/, '')
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.tsx`,
    `${stem}.mts`,
    `${stem}.cts`,
    `${stem}.js`,
    `${stem}.mjs`,
    `${stem}.cjs`,
    `${base}/index.ts`,
    `${base}/index.js`,
  ]
  return candidates.find((candidate) => isFile(candidate))
}

interface Declaration {
  name: string
  text: string
}

const declarationStart =
  /^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|enum)\s+([\w$]+)/

/**
 * The top-level declarations of a file, each from its first line to the next top-level
 * statement. Formatted code (Prettier's) starts each top-level statement in column 0; a
 * file that does not loses only precision: the step then depends on less of its own file.
 */
function topLevelDeclarations(text: string): Declaration[] {
  const declarations: Declaration[] = []
  let current: { name: string; lines: string[] } | undefined
  for (const line of text.split('\n')) {
    const startsStatement = /^[^\s})\]/*]/.test(line)
    if (startsStatement) {
      if (current !== undefined)
        declarations.push({
          name: current.name,
          text: current.lines.join('\n'),
        })
      const name = declarationStart.exec(line)?.[1]
      current = name === undefined ? undefined : { name, lines: [line] }
    } else current?.lines.push(line)
  }
  if (current !== undefined)
    declarations.push({ name: current.name, text: current.lines.join('\n') })
  return declarations
}

const identifiers = (text: string): Set<string> =>
  new Set(text.match(/[A-Za-z_$][\w$]*/g) ?? [])

function addModule(file: string, files: Map<string, string>): void {
  if (files.has(file) || file.includes(`${sep}node_modules${sep}`)) return
  const source = sourceText(file)
  if (source === undefined) return
  files.set(file, source.sha256)
  for (const local of localImports(source.text)) {
    const target = resolveImport(local.specifier, file)
    if (target !== undefined) addModule(target, files)
  }
}

const memo = new Map<string, StepCode>()

/**
 * The code version of one step: a sha256 over its function's source, the top-level
 * declarations of its file that it names (helpers, constants), and every local module it
 * depends on — those it imports by a name it uses, followed through their own relative
 * imports (never into `node_modules`: packages are the lockfile's business). Editing one step
 * of a file, or a helper module only another step imports, leaves this step's version as it
 * was; editing a helper it calls changes it. Files are read once per process.
 *
 * @example
 * stepCode(train.toString(), '/project/src/pipeline.ts').modules // { './features.ts': '9f2c…' }
 */
export function stepCode(source: string, file: string | undefined): StepCode {
  const key = `${file ?? ''}\0${source}`
  const known = memo.get(key)
  if (known !== undefined) return known
  const own = [source]
  const files = new Map<string, string>()
  const text = file === undefined ? undefined : sourceText(file)?.text
  if (file !== undefined && text !== undefined) {
    const used = identifiers(source)
    const pending = topLevelDeclarations(text).filter(
      (declaration) => !declaration.text.includes(source),
    )
    // Helpers call helpers: take declarations until no new name is reached.
    for (let grew = true; grew;) {
      grew = false
      for (const declaration of [...pending]) {
        if (!used.has(declaration.name)) continue
        pending.splice(pending.indexOf(declaration), 1)
        own.push(declaration.text)
        for (const name of identifiers(declaration.text)) used.add(name)
        grew = true
      }
    }
    for (const local of localImports(text)) {
      if (local.names?.every((name) => !used.has(name)) === true) continue
      const target = resolveImport(local.specifier, file)
      if (target !== undefined && target !== file) addModule(target, files)
    }
  }
  const base = file === undefined ? process.cwd() : dirname(file)
  const modules: Record<string, string> = {}
  for (const [path, hash] of [...files].sort(([a], [b]) => a.localeCompare(b)))
    modules[
      `./${relative(base, path).split(sep).join('/')}`.replace(
        /^\.\/\.\.\//,
        '../',
      )
    ] = hash
  const ownHash = sha256(JSON.stringify(own))
  const code: StepCode = {
    fingerprint: sha256(JSON.stringify([ownHash, modules])),
    own: ownHash,
    modules,
    files: Object.fromEntries(files),
  }
  memo.set(key, code)
  return code
}
