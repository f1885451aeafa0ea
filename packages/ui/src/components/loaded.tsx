import type { ReactNode } from 'react'
import { LoreError } from '../../../store/src/lore-error.js'
import type { LoadState } from '../api/use-load.js'

/**
 * An error as the page shows it: the message, and where a filter went wrong, a caret under
 * the character the store names (its `position` counts from 1, as its message does).
 */
export function ErrorBox({ error }: { error: Error }) {
  const position = LoreError.isInstance(error)
    ? error.details.position
    : undefined
  const filter = LoreError.isInstance(error) ? error.details.filter : undefined
  const message =
    typeof position === 'number' ? error.message.split('\n')[0] : error.message
  return (
    <div className="error" role="alert">
      {LoreError.isInstance(error) ? <strong>{error.code}: </strong> : null}
      {message}
      {typeof position === 'number' && typeof filter === 'string' ? (
        <pre className="caret" data-testid="filter-caret">
          {filter}
          {'\n'}
          {' '.repeat(Math.max(0, position - 1))}^
        </pre>
      ) : null}
    </div>
  )
}

/**
 * Show `state`: a loading line, the error, or `children(data)`.
 *
 * @example
 * <Loaded state={state}>{(run) => <RunView run={run} />}</Loaded>
 */
export function Loaded<T>({
  state,
  children,
  what = 'data',
}: {
  state: LoadState<T>
  children: (data: T) => ReactNode
  what?: string
}) {
  if (state.status === 'loading')
    return <div className="loading">Loading {what}…</div>
  if (state.status === 'error') return <ErrorBox error={state.error} />
  return <>{children(state.data)}</>
}
