import type { Context } from '@lore/store'
import { browserStore } from '../api/browser-store.js'
import {
  compareRuns,
  summarizeRun,
  type RunComparison,
} from '../api/sdk-rules.js'
import { useLoad } from '../api/use-load.js'
import { flatten, formatValue } from '../components/format.js'
import { Loaded } from '../components/loaded.js'
import { MetricChart } from '../components/metric-chart.js'
import { StatusBadge } from '../components/status-badge.js'
import { routeHref } from '../router/hash-route.js'
import { ComparisonTable } from './comparison-table.js'
import { ParallelCoordinates } from './parallel-coordinates.js'
import { readRun, type RunView } from './run-query.js'

interface CompareView {
  runs: RunView[]
  /** The first run against each other, as `lore diff` compares them. */
  comparisons: RunComparison[]
}

async function readComparison(references: string[]): Promise<CompareView> {
  const runs = await Promise.all(
    references.map((reference) => readRun(reference)),
  )
  const contexts: Context[] = runs.map((run) => run.details.context)
  const [first, ...others] = contexts
  const comparisons =
    first === undefined
      ? []
      : await Promise.all(
          others.map((other) => compareRuns(browserStore, first, other)),
        )
  return { runs, comparisons }
}

const label = (run: RunView): string => run.details.summary.runId.slice(0, 8)

function CompareBody({ view }: { view: CompareView }) {
  const configs = view.runs.map((run) =>
    flatten({
      config: run.details.context.properties.config,
      seed: run.details.context.properties.seed,
    }),
  )
  const keys = [
    ...new Set(configs.flatMap((config) => Object.keys(config))),
  ].sort()
  const differs = (key: string): boolean =>
    new Set(configs.map((config) => JSON.stringify(config[key]))).size > 1
  const metricKeys = [
    ...new Set(
      view.runs.flatMap((run) =>
        run.metrics.map((metric) => `${metric.owner} · ${metric.key}`),
      ),
    ),
  ].sort()
  const numericParams = keys.filter(
    (key) =>
      differs(key) &&
      configs.every((config) => typeof config[key] === 'number'),
  )
  const lastOf = (run: RunView, key: string): number | undefined =>
    run.metrics
      .find((metric) => `${metric.owner} · ${metric.key}` === key)
      ?.points.at(-1)?.value
  return (
    <>
      <div className="card">
        <h2>Parameters and config</h2>
        <table className="data" data-testid="compare-config">
          <thead>
            <tr>
              <th>key</th>
              {view.runs.map((run) => (
                <th key={run.details.summary.runId}>
                  <a
                    className="mono"
                    href={routeHref(['runs', run.details.summary.runId])}
                  >
                    {label(run)}
                  </a>{' '}
                  {run.details.summary.pipeline}{' '}
                  <StatusBadge
                    status={summarizeRun(run.details.context).status}
                  />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr
                key={key}
                className={differs(key) ? 'differs' : ''}
                data-differs={differs(key) ? 'true' : 'false'}
              >
                <td className={`mono${differs(key) ? ' diff' : ''}`}>{key}</td>
                {configs.map((config, index) => (
                  <td
                    key={index}
                    className={`mono${differs(key) ? ' diff' : ''}`}
                  >
                    {formatValue(config[key])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {view.comparisons.map((comparison) => (
        <div className="card" key={comparison.runB}>
          <h2>
            Step by step: {comparison.runA.slice(0, 8)} →{' '}
            {comparison.runB.slice(0, 8)}
          </h2>
          <ComparisonTable comparison={comparison} />
        </div>
      ))}
      {numericParams.length > 0 && metricKeys.length > 0 ? (
        <div className="card">
          <h2>Parameters against {metricKeys[0]}</h2>
          <ParallelCoordinates
            axes={[...numericParams, metricKeys[0] ?? '']}
            lines={view.runs.map((run, index) => ({
              label: label(run),
              values: [
                ...numericParams.map((key) => configs[index]?.[key] as number),
                lastOf(run, metricKeys[0] ?? ''),
              ],
            }))}
          />
        </div>
      ) : null}
      <h2>Metrics</h2>
      {metricKeys.length === 0 ? (
        <div className="muted">None of these runs logged metrics.</div>
      ) : null}
      <div className="grid2">
        {metricKeys.map((key) => (
          <div className="card" key={key}>
            <MetricChart
              title={key}
              series={view.runs.map((run) => ({
                label: label(run),
                points: (
                  run.metrics.find(
                    (metric) => `${metric.owner} · ${metric.key}` === key,
                  )?.points ?? []
                ).map((point) => ({ x: point.step, y: point.value })),
              }))}
            />
          </div>
        ))}
      </div>
    </>
  )
}

/**
 * Two or more runs side by side (`#/compare?runs=a,b`): config and parameters with the
 * differences marked, the step-by-step verdict of `lore diff`, a parallel-coordinates plot of
 * the numeric parameters that differ against a metric, and metric curves overlaid.
 */
export function ComparePage({ params }: { params: URLSearchParams }) {
  const references = (params.get('runs') ?? '')
    .split(',')
    .filter((reference) => reference !== '')
  const state = useLoad(`compare:${references.join(',')}`, () =>
    readComparison(references),
  )
  if (references.length < 2)
    return (
      <>
        <h1>Compare</h1>
        <div className="card">
          Select two or more runs on the{' '}
          <a href={routeHref(['runs'])}>runs page</a>, or open{' '}
          <span className="mono">#/compare?runs=&lt;run&gt;,&lt;run&gt;</span>.
        </div>
      </>
    )
  return (
    <>
      <h1>Compare {references.length} runs</h1>
      <Loaded state={state} what="runs">
        {(view) => <CompareBody view={view} />}
      </Loaded>
    </>
  )
}
