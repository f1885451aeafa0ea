import {
  Ajv2020,
  type ErrorObject,
  type ValidateFunction,
} from 'ajv/dist/2020.js'
import formatsPlugin from 'ajv-formats'
import type { LoreIssue } from '../lore-error.js'
import {
  openLineageSchemas,
  openLineageSchemaUrl,
  type JsonSchemaDocument,
} from './openlineage-schemas.js'

/** Which facet container of an event a facet sits in, by the core schema's name for it. */
type FacetKind =
  | 'RunFacet'
  | 'JobFacet'
  | 'DatasetFacet'
  | 'InputDatasetFacet'
  | 'OutputDatasetFacet'

const facetKinds: readonly FacetKind[] = [
  'RunFacet',
  'JobFacet',
  'DatasetFacet',
  'InputDatasetFacet',
  'OutputDatasetFacet',
]

/** Options of {@link createOpenLineageValidator}. */
export interface OpenLineageValidatorOptions {
  /**
   * More facet schemas (custom facets), shaped like the official ones: a `$id`, and top-level
   * `properties` naming the facet's key.
   * @default []
   */
  facetSchemas?: readonly JsonSchemaDocument[]
  /**
   * Report a facet that no schema describes as an issue. Off for events from other tools,
   * whose custom facets (`airflow`, `spark_properties`…) need only be base facets.
   * @default false
   */
  requireKnownFacets?: boolean
}

/** What {@link OpenLineageValidator.validate} found. */
export interface OpenLineageValidation {
  /** One issue per problem, with a path into the event; empty when the event is valid. */
  issues: LoreIssue[]
  /** The `$id` of every schema the event was checked against, the core one first. */
  schemas: string[]
}

/** Validates OpenLineage events; made by {@link createOpenLineageValidator}. */
export interface OpenLineageValidator {
  validate(event: unknown): OpenLineageValidation
}

interface FacetSchema {
  id: string
  kinds: Set<FacetKind>
  validate: ValidateFunction
}

const addFormats = ((formatsPlugin as unknown as { default?: unknown })
  .default ?? formatsPlugin) as (ajv: Ajv2020) => Ajv2020

function referencedKinds(schema: unknown): Set<FacetKind> {
  const text = JSON.stringify(schema)
  return new Set(
    facetKinds.filter((kind) =>
      text.includes(`OpenLineage.json#/$defs/${kind}"`),
    ),
  )
}

function pathOf(pointer: string): (string | number)[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}

function field(path: readonly (string | number)[]): string {
  return (
    path.reduce<string>(
      (name, key) =>
        typeof key === 'number'
          ? `${name}[${key}]`
          : name === ''
            ? key
            : `${name}.${key}`,
      '',
    ) || 'event'
  )
}

function toIssues(
  errors: readonly ErrorObject[] | null | undefined,
  prefix: readonly (string | number)[],
  schema: string,
): LoreIssue[] {
  // oneOf/anyOf report every branch; the leaf errors say what is wrong, so keep those.
  const leaves = (errors ?? []).filter(
    (error) => !['oneOf', 'anyOf', 'allOf', 'if'].includes(error.keyword),
  )
  const chosen = leaves.length > 0 ? leaves : [...(errors ?? [])]
  const seen = new Set<string>()
  const issues: LoreIssue[] = []
  for (const error of chosen) {
    const path = [...prefix, ...pathOf(error.instancePath)]
    const extra =
      error.keyword === 'additionalProperties'
        ? ` ('${String((error.params as { additionalProperty?: string }).additionalProperty)}')`
        : error.keyword === 'enum'
          ? ` (one of ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
          : ''
    const message = `${field(path)}: ${error.message ?? 'is invalid'}${extra} (${schema})`
    if (seen.has(message)) continue
    seen.add(message)
    issues.push({ path, code: error.keyword, message })
  }
  return issues
}

function facetContainers(
  event: Record<string, unknown>,
): { kind: FacetKind; path: (string | number)[]; facets: unknown }[] {
  const containers: {
    kind: FacetKind
    path: (string | number)[]
    facets: unknown
  }[] = []
  const run = event.run as Record<string, unknown> | undefined
  const job = event.job as Record<string, unknown> | undefined
  if (run?.facets !== undefined)
    containers.push({
      kind: 'RunFacet',
      path: ['run', 'facets'],
      facets: run.facets,
    })
  if (job?.facets !== undefined)
    containers.push({
      kind: 'JobFacet',
      path: ['job', 'facets'],
      facets: job.facets,
    })
  const datasets: [string, unknown, FacetKind, string][] = [
    ['inputs', event.inputs, 'InputDatasetFacet', 'inputFacets'],
    ['outputs', event.outputs, 'OutputDatasetFacet', 'outputFacets'],
  ]
  for (const [key, list, kind, own] of datasets) {
    if (!Array.isArray(list)) continue
    list.forEach((dataset: Record<string, unknown>, index) => {
      if (dataset?.facets !== undefined)
        containers.push({
          kind: 'DatasetFacet',
          path: [key, index, 'facets'],
          facets: dataset.facets,
        })
      if (dataset?.[own] !== undefined)
        containers.push({ kind, path: [key, index, own], facets: dataset[own] })
    })
  }
  const dataset = event.dataset as Record<string, unknown> | undefined
  if (dataset?.facets !== undefined)
    containers.push({
      kind: 'DatasetFacet',
      path: ['dataset', 'facets'],
      facets: dataset.facets,
    })
  return containers
}

/**
 * A validator of OpenLineage 2-0-2 events with Ajv (JSON Schema draft 2020-12, strict mode,
 * formats checked): the event against the core schema, then each facet against the schema
 * of its key for its place (a `tags` run facet against TagsRunFacet.json, a `tags` dataset
 * facet against TagsDatasetFacet.json). Every schema is added under its own `$id`, so the
 * facets' `$ref`s into the core schema resolve without a network.
 *
 * @example
 * const { issues } = createOpenLineageValidator().validate(event)
 * if (issues.length > 0) console.error(issues.map((issue) => issue.message).join('\n'))
 */
export function createOpenLineageValidator(
  options: OpenLineageValidatorOptions = {},
): OpenLineageValidator {
  // Strict about the schemas' keywords and formats (an unknown one is an error, not a
  // silent pass); the spec's own schemas break the authoring lints (`required` naming a
  // property that `properties` does not list, inside `not`), which say nothing about data.
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
    allErrors: true,
  })
  addFormats(ajv)
  // Annotations the spec's schemas use, which Ajv's strict mode would refuse as unknown.
  ajv.addKeyword({ keyword: 'example' })
  ajv.addKeyword({ keyword: 'documentation' })
  const { core, facets } = openLineageSchemas()
  ajv.addSchema(core)
  const documents = [...facets, ...(options.facetSchemas ?? [])]
  for (const document of documents) ajv.addSchema(document)
  const validateCore = ajv.getSchema(openLineageSchemaUrl)
  if (validateCore === undefined)
    throw new Error('the OpenLineage core schema did not compile')
  // The core schema is a oneOf of three events; its errors list every branch's. Messages
  // come from the branch the event means (a `run` makes it a RunEvent), so they name the
  // problem rather than "must match exactly one schema".
  const branches = Object.fromEntries(
    ['RunEvent', 'DatasetEvent', 'JobEvent'].map((name) => [
      name,
      ajv.compile({ $ref: `${openLineageSchemaUrl}#/$defs/${name}` }),
    ]),
  ) as Record<'RunEvent' | 'DatasetEvent' | 'JobEvent', ValidateFunction>
  const branchOf = (event: unknown): ValidateFunction => {
    const record =
      typeof event === 'object' && event !== null
        ? (event as Record<string, unknown>)
        : {}
    if ('run' in record || !('job' in record || 'dataset' in record))
      return branches.RunEvent
    return 'dataset' in record ? branches.DatasetEvent : branches.JobEvent
  }
  const byKey = new Map<string, FacetSchema[]>()
  for (const document of documents) {
    const properties = (document.properties ?? {}) as Record<string, unknown>
    for (const key of Object.keys(properties)) {
      const validate = ajv.compile({
        $ref: `${document.$id}#/properties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      })
      const list = byKey.get(key) ?? []
      list.push({
        id: document.$id,
        kinds: referencedKinds(document),
        validate,
      })
      byKey.set(key, list)
    }
  }
  const requireKnown = options.requireKnownFacets ?? false

  return {
    validate(event) {
      const schemas = [openLineageSchemaUrl]
      if (!validateCore(event)) {
        const branch = branchOf(event)
        const errors = branch(event) ? validateCore.errors : branch.errors
        return { issues: toIssues(errors, [], 'OpenLineage.json'), schemas }
      }
      const issues: LoreIssue[] = []
      for (const container of facetContainers(
        event as Record<string, unknown>,
      )) {
        const facets = container.facets as Record<string, unknown>
        for (const [key, facet] of Object.entries(facets)) {
          const candidates = (byKey.get(key) ?? []).filter(
            (schema) =>
              schema.kinds.size === 0 || schema.kinds.has(container.kind),
          )
          const path = [...container.path, key]
          if (candidates.length === 0) {
            if (requireKnown)
              issues.push({
                path,
                code: 'unknownFacet',
                message: `${field(path)}: no schema describes a ${container.kind} named '${key}'; add its schema to the validator's facetSchemas`,
              })
            continue
          }
          const passed = candidates.find((schema) => schema.validate(facet))
          if (passed !== undefined) {
            if (!schemas.includes(passed.id)) schemas.push(passed.id)
            continue
          }
          const first = candidates[0]!
          first.validate(facet)
          const name = first.id.slice(first.id.lastIndexOf('/') + 1)
          issues.push(...toIssues(first.validate.errors, path, name))
        }
      }
      return { issues, schemas }
    },
  }
}
