import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
} from '@tanstack/react-table'
import { useMemo, useState } from 'react'
import { useLoad } from '../api/use-load.js'
import {
  formatDuration,
  formatTime,
  formatValue,
  readPath,
} from '../components/format.js'
import { ErrorBox, Loaded } from '../components/loaded.js'
import { StatusBadge } from '../components/status-badge.js'
import { navigate, routeHref } from '../router/hash-route.js'
import {
  readRunMetrics,
  readRunsPage,
  sortFields,
  type RunRow,
  type SortColumn,
} from './runs-query.js'

const list = (text: string | null): string[] =>
  (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')

const column = createColumnHelper<RunRow>()

function columnsFor(
  params: string[],
  metrics: string[],
  selected: Set<string>,
  toggle: (id: string) => void,
): ColumnDef<RunRow, any>[] {
  return [
    column.display({
      id: 'select',
      header: 'compare',
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`select ${row.original.summary.runId}`}
          checked={selected.has(row.original.summary.runId)}
          onChange={() => toggle(row.original.summary.runId)}
        />
      ),
    }),
    column.accessor((row) => row.summary.runId, {
      id: 'run',
      header: 'run',
      cell: (info) => (
        <a className="mono" href={routeHref(['runs', info.getValue()])}>
          {info.getValue().slice(0, 8)}
        </a>
      ),
    }),
    column.accessor((row) => row.summary.pipeline, {
      id: 'pipeline',
      header: 'pipeline',
    }),
    column.accessor((row) => row.summary.status, {
      id: 'status',
      header: 'status',
      cell: (info) => <StatusBadge status={info.getValue()} />,
    }),
    column.accessor(
      (row) => row.summary.startedAt ?? row.context.createTimeSinceEpoch,
      {
        id: 'start',
        header: 'start',
        cell: (info) => formatTime(info.getValue()),
      },
    ),
    column.accessor((row) => row.summary.durationMs, {
      id: 'duration',
      header: 'duration',
      cell: (info) => formatDuration(info.getValue()),
    }),
    column.accessor((row) => row.summary.steps, {
      id: 'steps',
      header: 'steps',
      cell: (info) =>
        `${info.getValue()}${info.row.original.summary.failedSteps > 0 ? ` (${info.row.original.summary.failedSteps} failed)` : ''}`,
    }),
    ...params.map((param) =>
      column.accessor((row) => readPath(row.context.properties.config, param), {
        id: `param:${param}`,
        header: param,
        cell: (info) => (
          <span className="mono">{formatValue(info.getValue())}</span>
        ),
      }),
    ),
    ...metrics.flatMap((key) =>
      (['last', 'min', 'max'] as const).map((which) =>
        column.accessor((row) => row.metrics?.[key]?.[which], {
          id: `metric:${key}:${which}`,
          header: `${key} (${which})`,
          cell: (info) =>
            info.row.original.metrics === undefined
              ? '…'
              : formatValue(info.getValue()),
        }),
      ),
    ),
  ]
}

/**
 * Every run, a page at a time from the server: sortable by the orders the store keeps (run,
 * pipeline, start), filtered with Lore's filter language over the run contexts (an error
 * shows where, with a caret), with chosen config parameters and metrics as columns. Running
 * runs on the page are read again every two seconds.
 */
export function RunsPage({ params }: { params: URLSearchParams }) {
  const filter = params.get('filter') ?? ''
  const sort = (params.get('sort') ?? 'run') as SortColumn
  const descending = params.get('order') !== 'asc'
  const pageToken = params.get('page') ?? undefined
  const paramColumns = list(params.get('params'))
  const metricColumns = list(params.get('metrics'))
  const [draft, setDraft] = useState({
    filter,
    params: paramColumns.join(', '),
    metrics: metricColumns.join(', '),
  })
  const [history, setHistory] = useState<string[]>([])
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const current = {
    filter,
    sort,
    order: descending ? undefined : 'asc',
    params: paramColumns.join(','),
    metrics: metricColumns.join(','),
  }
  const go = (
    changes: Record<string, string | undefined>,
    replace = false,
  ): void => navigate(routeHref(['runs'], { ...current, ...changes }), replace)
  const state = useLoad(
    JSON.stringify([filter, sort, descending, pageToken]),
    () =>
      readRunsPage({
        filter,
        sort,
        descending,
        pageSize: 50,
        pageToken,
      }),
    {
      pollMs: 2000,
      poll: (page) => page.rows.some((row) => row.summary.status === 'RUNNING'),
    },
  )
  const toggle = (id: string): void =>
    setSelected((old) => {
      const next = new Set(old)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const columns = useMemo(
    () => columnsFor(paramColumns, metricColumns, selected, toggle),
    [params.toString(), selected],
  )
  // The rows first; their metric columns in a second request (read again when a run's
  // status changes, so a running run's metrics follow it).
  const shown = state.status === 'ready' ? state.data.rows : []
  const metricsState = useLoad(
    JSON.stringify([
      metricColumns,
      shown.map((row) => [row.context.id, row.summary.status]),
    ]),
    () =>
      readRunMetrics(
        shown.map((row) => row.context.id),
        metricColumns,
      ),
  )
  const rows = useMemo(
    () =>
      shown.map((row) => ({
        ...row,
        ...(metricColumns.length === 0
          ? { metrics: {} }
          : metricsState.status === 'ready'
            ? { metrics: metricsState.data[row.context.id] ?? {} }
            : metricsState.status === 'error'
              ? { metrics: {} }
              : {}),
      })),
    [shown, metricsState, metricColumns.length],
  )
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
  })
  return (
    <>
      <h1>Runs</h1>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault()
          setHistory([])
          go({
            filter: draft.filter,
            params: list(draft.params).join(','),
            metrics: list(draft.metrics).join(','),
            page: undefined,
          })
        }}
      >
        <input
          className="filter"
          type="text"
          name="filter"
          aria-label="filter"
          placeholder="filter: properties.pipeline = 'iris' AND custom_properties.status = 'COMPLETE'"
          value={draft.filter}
          onChange={(event) =>
            setDraft({ ...draft, filter: event.target.value })
          }
        />
        <input
          type="text"
          name="params"
          aria-label="parameter columns"
          placeholder="config columns: maxDepth, testFraction"
          value={draft.params}
          onChange={(event) =>
            setDraft({ ...draft, params: event.target.value })
          }
        />
        <input
          type="text"
          name="metrics"
          aria-label="metric columns"
          placeholder="metric columns: accuracy"
          value={draft.metrics}
          onChange={(event) =>
            setDraft({ ...draft, metrics: event.target.value })
          }
        />
        <button type="submit" className="primary">
          Apply
        </button>
        <a
          href={routeHref(['compare'], { runs: [...selected].join(',') })}
          aria-disabled={selected.size < 2}
          onClick={(event) => {
            if (selected.size < 2) event.preventDefault()
          }}
        >
          <button type="button" disabled={selected.size < 2}>
            Compare {selected.size} selected
          </button>
        </a>
      </form>
      {metricsState.status === 'error' ? (
        <ErrorBox error={metricsState.error} />
      ) : null}
      <Loaded state={state} what="runs">
        {(page) => (
          <>
            <table className="data" data-testid="runs-table">
              <thead>
                {table.getHeaderGroups().map((group) => (
                  <tr key={group.id}>
                    {group.headers.map((header) => {
                      const sortable = header.column.id in sortFields
                      const arrow =
                        sort === header.column.id
                          ? descending
                            ? ' ▼'
                            : ' ▲'
                          : ''
                      return (
                        <th
                          key={header.id}
                          className={sortable ? 'sortable' : ''}
                          title={
                            sortable
                              ? 'sort by this column'
                              : 'the store cannot sort by this column'
                          }
                          onClick={
                            sortable
                              ? () => {
                                  setHistory([])
                                  go({
                                    sort: header.column.id,
                                    order:
                                      sort === header.column.id && descending
                                        ? 'asc'
                                        : undefined,
                                    page: undefined,
                                  })
                                }
                              : undefined
                          }
                        >
                          {flexRender(
                            header.column.columnDef.header,
                            header.getContext(),
                          )}
                          {arrow}
                        </th>
                      )
                    })}
                  </tr>
                ))}
              </thead>
              <tbody>
                {table.getRowModel().rows.map((row) => (
                  <tr key={row.id} data-testid="run-row">
                    {row.getVisibleCells().map((cell) => (
                      <td key={cell.id}>
                        {flexRender(
                          cell.column.columnDef.cell,
                          cell.getContext(),
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {page.rows.length === 0 ? (
              <div className="loading">
                No runs
                {filter === ''
                  ? ' yet: record one with pnpm demo'
                  : ' match this filter'}
                .
              </div>
            ) : null}
            <div className="pager">
              <button
                type="button"
                disabled={history.length === 0 && pageToken === undefined}
                onClick={() => {
                  const previous = history.at(-1)
                  setHistory(history.slice(0, -1))
                  go({ page: previous === '' ? undefined : previous })
                }}
              >
                ← newer
              </button>
              <button
                type="button"
                disabled={page.nextPageToken === undefined}
                onClick={() => {
                  setHistory([...history, pageToken ?? ''])
                  go({ page: page.nextPageToken })
                }}
              >
                older →
              </button>
              <span className="muted">
                {page.rows.length} runs on this page
              </span>
            </div>
          </>
        )}
      </Loaded>
    </>
  )
}
