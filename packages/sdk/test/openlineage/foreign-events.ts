import type { OpenLineageRunEvent } from '@lore/store/openlineage'

const producerAirflow =
  'https://github.com/apache/airflow/tree/providers-openlineage/2.1.0'
const producerSpark =
  'https://github.com/OpenLineage/OpenLineage/tree/1.26.0/integration/spark'
const schemaURL =
  'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent'
const facetUrl = (name: string, version: string): string =>
  `https://openlineage.io/spec/facets/${version}/${name}.json#/$defs/${name}`

/**
 * What Airflow's and Spark's integrations send, written by hand: a DAG run and its task
 * (START/COMPLETE pairs, `parent`, `sql`, `schema`, `columnLineage`) that export the orders
 * table to `ordersFile` (with `fileSha256` as its version, when given), and a Spark job under
 * the task that reads the file back.
 */
export function foreignEvents(
  ordersFile: string,
  fileSha256?: string,
): {
  events: OpenLineageRunEvent[]
  taskRunId: string
  sparkRunId: string
} {
  const dagRunId = '01939a6e-0000-7000-8000-00000000da60'
  const taskRunId = '01939a6e-0000-7000-8000-0000000074a5'
  const sparkRunId = '01939a6e-0000-7000-8000-00000000595a'
  const dagJob = { namespace: 'airflow-prod', name: 'orders_daily' }
  const taskJob = {
    namespace: 'airflow-prod',
    name: 'orders_daily.export_orders',
  }
  const sparkJob = { namespace: 'spark-prod', name: 'orders_enrich.read_csv' }
  const parentOfTask = {
    _producer: producerAirflow,
    _schemaURL: facetUrl('ParentRunFacet', '1-2-0'),
    run: { runId: dagRunId },
    job: dagJob,
    root: { run: { runId: dagRunId }, job: dagJob },
  }
  const table = {
    namespace: 'postgres://db.internal:5432',
    name: 'shop.public.orders',
    facets: {
      schema: {
        _producer: producerAirflow,
        _schemaURL: facetUrl('SchemaDatasetFacet', '1-2-0'),
        fields: [
          { name: 'id', type: 'INTEGER' },
          { name: 'customer', type: 'VARCHAR' },
          { name: 'amount', type: 'NUMERIC' },
        ],
      },
    },
  }
  const file = {
    namespace: 'file',
    name: ordersFile,
    facets: {
      schema: {
        _producer: producerAirflow,
        _schemaURL: facetUrl('SchemaDatasetFacet', '1-2-0'),
        fields: [
          { name: 'id', type: 'INTEGER' },
          { name: 'customer', type: 'VARCHAR' },
          { name: 'amount', type: 'NUMERIC' },
        ],
      },
      ...(fileSha256 === undefined
        ? {}
        : {
            version: {
              _producer: producerAirflow,
              _schemaURL: facetUrl('DatasetVersionDatasetFacet', '1-0-1'),
              datasetVersion: fileSha256,
            },
          }),
      columnLineage: {
        _producer: producerAirflow,
        _schemaURL: facetUrl('ColumnLineageDatasetFacet', '1-2-0'),
        fields: Object.fromEntries(
          ['id', 'customer', 'amount'].map((field) => [
            field,
            {
              inputFields: [
                {
                  namespace: table.namespace,
                  name: table.name,
                  field,
                  transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
                },
              ],
            },
          ]),
        ),
      },
    },
  }
  const sql = {
    _producer: producerAirflow,
    _schemaURL: facetUrl('SQLJobFacet', '1-1-0'),
    query: `COPY (SELECT id, customer, amount FROM public.orders) TO '${ordersFile}' CSV HEADER`,
    dialect: 'postgres',
  }
  const jobType = (jobType: string, integration: string) => ({
    _producer: integration === 'SPARK' ? producerSpark : producerAirflow,
    _schemaURL: facetUrl('JobTypeJobFacet', '2-0-4'),
    processingType: 'BATCH',
    integration,
    jobType,
  })
  const at = (time: string) => ({ eventTime: `2026-12-01T${time}Z`, schemaURL })
  const events: OpenLineageRunEvent[] = [
    {
      eventType: 'START',
      ...at('02:00:00.000'),
      producer: producerAirflow,
      run: { runId: dagRunId },
      job: { ...dagJob, facets: { jobType: jobType('DAG', 'AIRFLOW') } },
      inputs: [],
      outputs: [],
    },
    {
      eventType: 'START',
      ...at('02:00:01.000'),
      producer: producerAirflow,
      run: { runId: taskRunId, facets: { parent: parentOfTask } },
      job: { ...taskJob, facets: { sql, jobType: jobType('TASK', 'AIRFLOW') } },
      inputs: [table],
      outputs: [file],
    },
    {
      eventType: 'COMPLETE',
      ...at('02:03:00.000'),
      producer: producerAirflow,
      run: { runId: taskRunId, facets: { parent: parentOfTask } },
      job: { ...taskJob, facets: { sql } },
      inputs: [table],
      outputs: [file],
    },
    {
      eventType: 'START',
      ...at('02:04:00.000'),
      producer: producerSpark,
      run: {
        runId: sparkRunId,
        facets: {
          parent: {
            ...parentOfTask,
            _producer: producerSpark,
            run: { runId: taskRunId },
            job: taskJob,
          },
        },
      },
      job: { ...sparkJob, facets: { jobType: jobType('JOB', 'SPARK') } },
      inputs: [{ namespace: 'file', name: ordersFile }],
      outputs: [],
    },
    {
      eventType: 'COMPLETE',
      ...at('02:05:00.000'),
      producer: producerSpark,
      run: { runId: sparkRunId },
      job: sparkJob,
      inputs: [{ namespace: 'file', name: ordersFile }],
      outputs: [{ namespace: 's3://lake', name: 'orders/enriched.parquet' }],
    },
    {
      eventType: 'COMPLETE',
      ...at('02:06:00.000'),
      producer: producerAirflow,
      run: { runId: dagRunId },
      job: dagJob,
      inputs: [],
      outputs: [],
    },
  ]
  return { events, taskRunId, sparkRunId }
}
