import type {
  Artifact,
  Context,
  ContextType,
  Event,
  EventQuery,
  Execution,
  LineageQuery,
  LineageSubgraph,
  ListQuery,
  MetadataStore,
  MetricPoint,
  MetricQuery,
  Page,
} from '@lore/store'
import { callApi } from './lore-api.js'

/**
 * A list call; without a limit, every page in turn, as RemoteStore reads one: the server
 * answers at most a page per request.
 */
async function listAll<T>(
  operation: string,
  query: ListQuery,
): Promise<Page<T>> {
  if (query.limit !== undefined) return callApi(operation, { query })
  const items: T[] = []
  let pageToken = query.pageToken
  do {
    const page: Page<T> = await callApi(operation, {
      query: { ...query, ...(pageToken === undefined ? {} : { pageToken }) },
    })
    items.push(...page.items)
    pageToken = page.nextPageToken
  } while (pageToken !== undefined)
  return { items }
}

/**
 * The reading half of `MetadataStore`, over the store server's JSON API, so the SDK's own
 * read rules (runs, steps, registry, incidents, diffs) run in the page unchanged. The page
 * changes nothing: `putContexts` and `putExecutions`, which the SDK's rule for dead runs
 * calls to store an ABANDONED status, only return the ids they were given (the page shows
 * what `lore runs` would say; storing it is left to the CLI and the SDK).
 */
class BrowserStore {
  getArtifacts(query: ListQuery = {}): Promise<Page<Artifact>> {
    return listAll('getArtifacts', query)
  }
  getExecutions(query: ListQuery = {}): Promise<Page<Execution>> {
    return listAll('getExecutions', query)
  }
  getContexts(query: ListQuery = {}): Promise<Page<Context>> {
    return listAll('getContexts', query)
  }
  getEvents(query: EventQuery): Promise<Event[]> {
    return callApi('getEvents', { query })
  }
  getParentContexts(contextId: number): Promise<Context[]> {
    return callApi('getParentContexts', { contextId })
  }
  getChildContexts(contextId: number): Promise<Context[]> {
    return callApi('getChildContexts', { contextId })
  }
  getLineageSubgraph(query: LineageQuery): Promise<LineageSubgraph> {
    return callApi('getLineageSubgraph', { query })
  }
  getMetrics(query: MetricQuery): Promise<MetricPoint[]> {
    return callApi('getMetrics', { query })
  }
  getContextTypes(): Promise<ContextType[]> {
    return callApi('getContextTypes', {})
  }
  async putContexts(contexts: { id?: number }[]): Promise<number[]> {
    return contexts.map((context) => context.id ?? 0)
  }
  async putExecutions(executions: { id?: number }[]): Promise<number[]> {
    return executions.map((execution) => execution.id ?? 0)
  }
}

/**
 * The page's store: a `MetadataStore` whose reads go to the server. Its other writes do not
 * exist here; a rule that called one would fail loudly rather than change the store.
 */
export const browserStore = new BrowserStore() as unknown as MetadataStore

/** What the page names the store in messages (the SDK's rules put it in NOT_FOUND errors). */
export const storeLocation = 'this store'
