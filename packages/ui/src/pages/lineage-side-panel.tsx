import { readableNodeName, type Context } from '@lore/store'
import { browserStore } from '../api/browser-store.js'
import { useLoad } from '../api/use-load.js'
import { formatTime } from '../components/format.js'
import { KeyValues } from '../components/key-values.js'
import { Loaded } from '../components/loaded.js'
import { StatusBadge } from '../components/status-badge.js'
import { routeHref } from '../router/hash-route.js'
import { edgesOf, type LineageGraph } from './lineage-graph-data.js'

function contextHref(context: Context): string | undefined {
  if (context.type === 'PipelineRun')
    return routeHref(['runs', context.externalId ?? String(context.id)])
  if (context.type === 'RegisteredModel')
    return routeHref(['models', context.name])
  if (
    context.type === 'ModelVersion' &&
    typeof context.properties.model === 'string'
  )
    return routeHref(['models', context.properties.model])
  return undefined
}

/** The selected node: its fields, properties, fingerprint, events and contexts. */
export function LineageSidePanel({
  graph,
  node,
}: {
  graph: LineageGraph
  node: string | undefined
}) {
  const [kind, idText] = (node ?? '').split(':')
  const id = Number(idText)
  const contexts = useLoad(`contexts:${node ?? ''}`, async () =>
    node === undefined
      ? []
      : (
          await browserStore.getContexts(
            kind === 'a'
              ? { artifactId: id, limit: 100 }
              : { executionId: id, limit: 100 },
          )
        ).items,
  )
  if (node === undefined)
    return (
      <div className="card side muted">
        Click a node to see it here; click it again to read two more hops from
        it.
      </div>
    )
  const artifact = kind === 'a' ? graph.artifacts.get(id) : undefined
  const execution = kind === 'e' ? graph.executions.get(id) : undefined
  const events = edgesOf(graph).filter(
    (edge) => edge.source === node || edge.target === node,
  )
  const name = (other: string): string => {
    const [otherKind, otherId] = other.split(':')
    const found =
      otherKind === 'a'
        ? graph.artifacts.get(Number(otherId))
        : graph.executions.get(Number(otherId))
    return readableNodeName(found?.name) ?? other
  }
  return (
    <div className="card side" data-testid="lineage-side-panel">
      {artifact !== undefined ? (
        <>
          <h2>
            {readableNodeName(artifact.name) ?? artifact.uri ?? node}{' '}
            <span className="muted">{artifact.type}</span>
          </h2>
          <KeyValues
            values={{
              id: node,
              uri: artifact.uri,
              fingerprint: artifact.fingerprint,
              state: artifact.state,
              version: artifact.version,
              created: formatTime(artifact.createTimeSinceEpoch),
            }}
          />
          <h2>Properties</h2>
          <KeyValues
            values={{ ...artifact.properties, ...artifact.customProperties }}
          />
        </>
      ) : null}
      {execution !== undefined ? (
        <>
          <h2>
            {readableNodeName(execution.name) ?? node}{' '}
            <StatusBadge status={execution.lastKnownState} />
          </h2>
          <KeyValues
            values={{
              id: node,
              type: execution.type,
              started: formatTime(execution.startTimeSinceEpoch),
              ended: formatTime(execution.endTimeSinceEpoch),
              'code version': execution.codeVersion,
              error: execution.error?.message,
            }}
          />
          <h2>Properties</h2>
          <KeyValues
            values={{ ...execution.properties, ...execution.customProperties }}
          />
        </>
      ) : null}
      <h2>Events</h2>
      <table className="data">
        <tbody>
          {events.map((edge) => (
            <tr key={edge.id}>
              <td>{edge.event.type}</td>
              <td className="mono">{edge.event.path.join('.')}</td>
              <td>{name(edge.source === node ? edge.target : edge.source)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Contexts</h2>
      <Loaded state={contexts} what="contexts">
        {(list) =>
          list.length === 0 ? (
            <div className="muted">none</div>
          ) : (
            <ul>
              {list.map((context) => {
                const href = contextHref(context)
                return (
                  <li key={context.id}>
                    <span className="muted">{context.type}</span>{' '}
                    {href === undefined ? (
                      context.name
                    ) : (
                      <a href={href}>{context.name}</a>
                    )}
                  </li>
                )
              })}
            </ul>
          )
        }
      </Loaded>
    </div>
  )
}
