import { useCallback, useEffect, useState } from 'react'
import { LoreError } from '../../store/src/lore-error.js'
import { callApi, saveToken, savedToken } from './api/lore-api.js'
import { ErrorBox } from './components/loaded.js'
import { ComparePage } from './pages/compare-page.js'
import { LineagePage } from './pages/lineage-page.js'
import { ModelPage } from './pages/model-page.js'
import { ModelsPage } from './pages/models-page.js'
import { RunPage } from './pages/run-page.js'
import { RunsPage } from './pages/runs-page.js'
import { TokenForm } from './pages/token-form.js'
import { routeHref, useHashRoute, type HashRoute } from './router/hash-route.js'

type Access =
  | { status: 'checking' }
  | { status: 'ok' }
  | { status: 'token'; error?: Error }
  | { status: 'down'; error: Error }

function Page({ route }: { route: HashRoute }) {
  const [first, second] = route.segments
  if (first === undefined || first === 'runs') {
    return second === undefined ? (
      <RunsPage params={route.params} />
    ) : (
      <RunPage reference={second} />
    )
  }
  if (first === 'compare') return <ComparePage params={route.params} />
  if (first === 'lineage' && second !== undefined)
    return <LineagePage reference={second} params={route.params} />
  if (first === 'models')
    return second === undefined ? <ModelsPage /> : <ModelPage name={second} />
  return (
    <ErrorBox
      error={
        new LoreError(
          'NOT_FOUND',
          `there is no page '${route.segments.join('/')}'; go to the runs: ${routeHref(['runs'])}`,
        )
      }
    />
  )
}

const pages = [
  ['runs', 'Runs'],
  ['compare', 'Compare'],
  ['models', 'Models'],
] as const

/**
 * The page: a header, then the route's page. It first asks the server whether it may read;
 * when the server wants a token, it asks the user for one and keeps it for this tab only.
 */
export function App() {
  const route = useHashRoute()
  const [access, setAccess] = useState<Access>({ status: 'checking' })
  const check = useCallback(async () => {
    try {
      await callApi('getContextTypes', {})
      setAccess({ status: 'ok' })
    } catch (error) {
      if (LoreError.isInstance(error) && error.code === 'UNAUTHENTICATED')
        setAccess(
          savedToken() === undefined
            ? { status: 'token' }
            : { status: 'token', error },
        )
      else setAccess({ status: 'down', error: error as Error })
    }
  }, [])
  useEffect(() => {
    void check()
  }, [check])
  const current = route.segments[0] ?? 'runs'
  return (
    <>
      <header className="top">
        <span className="brand">Lore</span>
        {pages.map(([segment, label]) => (
          <a
            key={segment}
            href={routeHref([segment])}
            className={current === segment ? 'active' : ''}
          >
            {label}
          </a>
        ))}
        <span className="spacer" />
        {savedToken() !== undefined ? (
          <button
            type="button"
            onClick={() => {
              saveToken(undefined)
              setAccess({ status: 'token' })
            }}
          >
            Forget token
          </button>
        ) : null}
      </header>
      <main>
        {access.status === 'checking' ? (
          <div className="loading">Connecting to the store server…</div>
        ) : null}
        {access.status === 'down' ? <ErrorBox error={access.error} /> : null}
        {access.status === 'token' ? (
          <TokenForm
            {...(access.error === undefined ? {} : { error: access.error })}
            onToken={(token) => {
              saveToken(token)
              void check()
            }}
          />
        ) : null}
        {access.status === 'ok' ? <Page route={route} /> : null}
      </main>
    </>
  )
}
