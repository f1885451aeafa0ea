/** An OpenLineage dataset's identity: the datasource (`namespace`) and the dataset in it. */
export interface DatasetName {
  namespace: string
  name: string
}

/*
 * One mapping, used both ways, so that a dataset another tool reports and an artifact Lore
 * recorded are one node. It follows OpenLineage's naming spec (spec/Naming.md): a dataset's uri
 * is `scheme:[//authority]path`, its namespace `scheme:[//authority]`, its name the path.
 *
 *   file:///data/x.csv            ↔ namespace `file`,                 name `/data/x.csv`
 *   s3://bucket/key/x.parquet     ↔ namespace `s3://bucket`,          name `key/x.parquet`
 *   postgres://db:5432/shop.public.orders ↔ `postgres://db:5432`,     name `shop.public.orders`
 *   hdfs://namenode:8020/warehouse/t      ↔ `hdfs://namenode:8020`,   name `/warehouse/t`
 *   bigquery:project.dataset.table        ↔ namespace `bigquery`,     name `project.dataset.table`
 *
 * Object stores and databases name a dataset without the path's leading slash; HDFS-like file
 * systems keep it, as the spec's examples do. A uri with no scheme is not a uri: it is given
 * the namespace `file` only when it is an absolute path. Everything is plain string work, never
 * URL parsing, so that a name comes back exactly as it went in (no percent-encoding added).
 */

/** Schemes whose dataset names keep the leading `/` of the path. */
const pathSchemes = new Set([
  'hdfs',
  'webhdfs',
  'viewfs',
  'dbfs',
  'ftp',
  'sftp',
])

const schemePattern = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s

/**
 * The OpenLineage dataset a uri names (see the mapping above). A uri without a scheme is
 * taken as a local path when it starts with `/`; any other text gets the namespace `lore`,
 * so that nothing is lost and the inverse gives back `lore:<text>`.
 *
 * @example
 * datasetOfUri('file:///data/iris.csv') // { namespace: 'file', name: '/data/iris.csv' }
 * datasetOfUri('s3://bucket/a/b.csv') // { namespace: 's3://bucket', name: 'a/b.csv' }
 */
export function datasetOfUri(uri: string): DatasetName {
  const match = schemePattern.exec(uri)
  if (match === null) {
    return uri.startsWith('/')
      ? { namespace: 'file', name: uri }
      : { namespace: 'lore', name: uri }
  }
  const scheme = match[1]!
  const rest = match[2]!
  if (scheme.toLowerCase() === 'file') {
    // file:///abs → '/abs'; file://host/abs keeps the host in the name's place of a path.
    const path = rest.startsWith('//') ? rest.slice(2) : rest
    return { namespace: 'file', name: path }
  }
  if (!rest.startsWith('//')) return { namespace: scheme, name: rest }
  const slash = rest.indexOf('/', 2)
  if (slash === -1) return { namespace: uri, name: '' }
  const namespace = `${scheme}:${rest.slice(0, slash)}`
  const path = rest.slice(slash)
  return {
    namespace,
    name: pathSchemes.has(scheme.toLowerCase()) ? path : path.slice(1),
  }
}

/**
 * The uri of an OpenLineage dataset: the inverse of {@link datasetOfUri}. A name that lacks
 * the leading `/` its scheme's paths have gets one, as other producers sometimes leave it out.
 *
 * @example
 * uriOfDataset({ namespace: 'file', name: '/data/iris.csv' }) // 'file:///data/iris.csv'
 * uriOfDataset({ namespace: 's3://bucket', name: 'a/b.csv' }) // 's3://bucket/a/b.csv'
 */
export function uriOfDataset(dataset: DatasetName): string {
  const { namespace, name } = dataset
  const match = schemePattern.exec(namespace)
  const scheme = match?.[1]?.toLowerCase()
  if (namespace === 'file' || scheme === 'file') {
    return `file://${name.startsWith('/') ? '' : '/'}${name}`
  }
  if (match === null || !match[2]!.startsWith('//')) {
    return `${namespace}:${name}`
  }
  if (name === '') return namespace
  if (pathSchemes.has(scheme!) && name.startsWith('/'))
    return `${namespace}${name}`
  return `${namespace}/${name}`
}
