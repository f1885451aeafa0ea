import { readdirSync, readFileSync } from 'node:fs'

/** A JSON Schema document, as read from its file. */
export type JsonSchemaDocument = Record<string, unknown> & { $id: string }

/** The `$id` of OpenLineage's core schema, 2-0-2 (the version Lore speaks). */
export const openLineageSchemaUrl =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json'

const schemaFolder = new URL('./schemas/', import.meta.url)

function readSchema(url: URL): JsonSchemaDocument {
  return JSON.parse(readFileSync(url, 'utf8')) as JsonSchemaDocument
}

let cached:
  { core: JsonSchemaDocument; facets: JsonSchemaDocument[] } | undefined

/**
 * OpenLineage 2-0-2's core schema and every official facet schema, shipped in this package
 * (`src/openlineage/schemas`, copied unchanged from the spec). Read once per process.
 *
 * @example
 * const { core, facets } = openLineageSchemas()
 * core.$id // 'https://openlineage.io/spec/2-0-2/OpenLineage.json'
 */
export function openLineageSchemas(): {
  core: JsonSchemaDocument
  facets: JsonSchemaDocument[]
} {
  if (cached === undefined) {
    const facetFolder = new URL('./facets/', schemaFolder)
    const facets = readdirSync(facetFolder)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => readSchema(new URL(file, facetFolder)))
    cached = {
      core: readSchema(new URL('OpenLineage.json', schemaFolder)),
      facets,
    }
  }
  return cached
}
