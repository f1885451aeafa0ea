import {
  parseParameterNames,
  type DeclaredParameter,
} from '../capture/argument-names.js'
import {
  resolveCaptureLimits,
  type ResolvedCaptureLimits,
} from '../capture/capture-limits.js'
import { createRedactor, type Redactor } from '../capture/redact.js'
import { stepCode, type StepCode } from '../reproducibility/step-code.js'
import type { StepOptions } from './step-options.js'

/**
 * Everything about a step that does not change between calls, worked out once: its name,
 * types, limits, redactor, defining file, and (lazily, off the caller's path) the names of
 * its declared parameters.
 */
export class StepDefinition {
  readonly name: string
  readonly executionType: string
  readonly outputType: string
  readonly version: string | undefined
  readonly limits: ResolvedCaptureLimits
  readonly redact: Redactor
  readonly params: StepOptions['params']
  readonly paramKeys: readonly string[] | undefined
  readonly file: string | undefined
  readonly cache: boolean
  /** True for an `async function`: a result reused from the cache is returned as a promise. */
  readonly isAsync: boolean
  readonly #fn: (...args: never[]) => unknown
  #parameters: DeclaredParameter[] | undefined
  #code: StepCode | undefined

  constructor(
    fn: (...args: never[]) => unknown,
    options: StepOptions,
    file: string | undefined,
    fallbackName?: string,
  ) {
    this.#fn = fn
    this.name = options.name ?? (fn.name || fallbackName || 'step')
    this.executionType = options.type ?? 'Step'
    this.outputType = options.outputType ?? 'Value'
    this.version = options.version
    this.limits = resolveCaptureLimits(options.capture)
    this.redact = createRedactor(options.redact)
    this.params = options.params
    this.paramKeys =
      options.params === undefined
        ? undefined
        : Object.keys(options.params.shape)
    this.file = file
    this.cache = options.cache === true
    this.isAsync = fn.constructor.name === 'AsyncFunction'
  }

  /**
   * The step's code version: its function's source, the helpers of its file it names and the
   * local modules it imports (see {@link stepCode}), worked out on first use.
   */
  get code(): StepCode {
    this.#code ??= stepCode(
      Function.prototype.toString.call(this.#fn),
      this.file,
    )
    return this.#code
  }

  /** The step's code fingerprint (see {@link code}). */
  get codeVersion(): string {
    return this.code.fingerprint
  }

  /** The parameters the function declares, parsed from its source on first use. */
  get parameters(): DeclaredParameter[] {
    this.#parameters ??= parseParameterNames(this.#fn)
    return this.#parameters
  }
}
