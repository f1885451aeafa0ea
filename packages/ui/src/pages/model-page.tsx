import { readableNodeName } from '@lore/store'
import { useLoad } from '../api/use-load.js'
import { formatTime, formatValue } from '../components/format.js'
import { Loaded } from '../components/loaded.js'
import { MetricChart, type ChartSeries } from '../components/metric-chart.js'
import { StatusBadge } from '../components/status-badge.js'
import { routeHref } from '../router/hash-route.js'
import { readModel, type ModelView } from './model-query.js'

function Charts({ view }: { view: ModelView }) {
  const keys = [
    ...new Set(
      view.versions.flatMap(({ metrics }) => metrics.map((point) => point.key)),
    ),
  ].sort()
  const marks = view.drift.map((check) => ({
    x: check.time,
    label: check.drifted ? 'drift' : '',
    color: check.drifted ? '#c62828' : '#2e7d32',
  }))
  if (keys.length === 0)
    return (
      <div className="muted">
        No metrics were logged on this model's versions.
      </div>
    )
  return (
    <div className="grid2">
      {keys.map((key) => {
        const series: ChartSeries[] = view.versions
          .map(({ version, metrics }) => ({
            label: `v${version.version}`,
            points: metrics
              .filter((point) => point.key === key)
              .map((point) => ({ x: point.timestampMs, y: point.value })),
          }))
          .filter((line) => line.points.length > 0)
        return (
          <div className="card" key={key}>
            <MetricChart title={key} series={series} marks={marks} time />
          </div>
        )
      })}
    </div>
  )
}

function ModelBody({ view }: { view: ModelView }) {
  return (
    <>
      <h1>
        Model {view.name}{' '}
        <span className="muted" style={{ fontSize: 14 }}>
          {Object.entries(view.aliases)
            .map(([alias, version]) => `${alias} → v${version}`)
            .join(', ')}
        </span>
      </h1>
      {view.description !== undefined ? (
        <p className="muted">{view.description}</p>
      ) : null}
      <div className="card">
        <h2>Versions</h2>
        <table className="data" data-testid="versions-table">
          <thead>
            <tr>
              <th>version</th>
              <th>aliases</th>
              <th>registered</th>
              <th>by</th>
              <th>artifact</th>
              <th>run</th>
              <th>latest metrics</th>
            </tr>
          </thead>
          <tbody>
            {view.versions.map(({ version, metrics }) => {
              const latest = new Map<string, number>()
              for (const point of [...metrics].sort(
                (a, b) => a.step - b.step || a.timestampMs - b.timestampMs,
              ))
                latest.set(point.key, point.value)
              return (
                <tr key={version.version}>
                  <td>v{version.version}</td>
                  <td>{version.aliases.join(', ')}</td>
                  <td>{formatTime(version.registeredAt)}</td>
                  <td>{version.registeredBy}</td>
                  <td>
                    <a
                      href={routeHref(['lineage', `a:${version.artifact.id}`], {
                        direction: 'upstream',
                      })}
                    >
                      {readableNodeName(version.artifact.name) ??
                        version.artifact.uri}
                    </a>
                    <div className="mono muted">
                      {version.artifact.fingerprint?.slice(0, 12)}
                    </div>
                  </td>
                  <td>
                    {version.producer?.runId !== undefined ? (
                      <a
                        className="mono"
                        href={routeHref(['runs', version.producer.runId])}
                      >
                        {version.producer.runId.slice(0, 8)}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="mono">
                    {[...latest]
                      .map(([key, value]) => `${key} ${formatValue(value)}`)
                      .join(', ')}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <h2>Metrics (dashed lines: drift checks, red where drift was found)</h2>
      <Charts view={view} />
      <div className="grid2">
        <div className="card">
          <h2>Alias history</h2>
          <ul className="timeline" data-testid="alias-timeline">
            {view.history.map((move) => (
              <li key={move.executionId} className={move.action}>
                <div>
                  <strong>
                    {move.alias} {move.action}
                  </strong>{' '}
                  {move.fromVersion === undefined
                    ? ''
                    : `v${move.fromVersion} → `}
                  v{move.toVersion}
                </div>
                <div className="muted">
                  {formatTime(move.time)} by {move.actor}
                  {move.incident === undefined ? '' : ` · ${move.incident}`}
                </div>
                {move.reason !== undefined ? <div>{move.reason}</div> : null}
                <a
                  href={routeHref(['lineage', `e:${move.executionId}`], {
                    direction: 'upstream',
                  })}
                >
                  why (lineage)
                </a>
              </li>
            ))}
          </ul>
        </div>
        <div className="card">
          <h2>Incidents</h2>
          {view.incidents.length === 0 ? (
            <div className="muted">No incidents.</div>
          ) : null}
          {view.incidents.map(({ incident, entries }) => (
            <div key={incident.id} data-testid="incident">
              <h2>
                {incident.id} <span className="badge">{incident.status}</span>{' '}
                <span className="muted">{incident.trigger}</span>
              </h2>
              <div className="muted">{incident.reason}</div>
              <ul className="timeline">
                {entries.map((entry, index) => (
                  <li
                    key={index}
                    className={`${entry.stage} ${entry.state ?? ''}`}
                  >
                    <div>
                      <strong>{entry.stage}</strong>{' '}
                      {entry.state !== undefined ? (
                        <StatusBadge status={entry.state} />
                      ) : null}
                    </div>
                    <div className="muted">{formatTime(entry.time)}</div>
                    <div>
                      {entry.summary}{' '}
                      {entry.runId !== undefined ? (
                        <a href={routeHref(['runs', entry.runId])}>run</a>
                      ) : null}
                      {entry.executionId !== undefined ? (
                        <a
                          href={routeHref([
                            'lineage',
                            `e:${entry.executionId}`,
                          ])}
                        >
                          {' '}
                          lineage
                        </a>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </div>
    </>
  )
}

/**
 * A registered model: versions with metrics and lineage links, the history of every alias,
 * the incidents with their timelines, and drift verdicts marked on the metric charts.
 */
export function ModelPage({ name }: { name: string }) {
  const state = useLoad(`model:${name}`, () => readModel(name))
  return (
    <Loaded state={state} what={`model ${name}`}>
      {(view) => <ModelBody view={view} />}
    </Loaded>
  )
}
