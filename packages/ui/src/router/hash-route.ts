import { useEffect, useState } from 'react'

/** Where the page is: the path after `#` and its query, as a shareable URL holds them. */
export interface HashRoute {
  /** `/runs/8d74613b`, split: `['runs', '8d74613b']`. */
  segments: string[]
  params: URLSearchParams
}

/** Read `#/runs/abc?filter=x` into segments and query parameters. */
export function parseHash(hash: string): HashRoute {
  const text = hash.replace(/^#\/?/, '')
  const question = text.indexOf('?')
  const path = question === -1 ? text : text.slice(0, question)
  const query = question === -1 ? '' : text.slice(question + 1)
  return {
    segments: path
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment)),
    params: new URLSearchParams(query),
  }
}

/**
 * The href of a page: `routeHref(['runs', id])` is `#/runs/<id>`, with the non-empty params
 * as its query.
 */
export function routeHref(
  segments: readonly (string | number)[],
  params: Record<string, string | undefined> = {},
): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') query.set(key, value)
  const text = query.toString()
  return `#/${segments.map((segment) => encodeURIComponent(String(segment))).join('/')}${text === '' ? '' : `?${text}`}`
}

/** Go to a page, replacing the current history entry when `replace` is set (typing in a filter). */
export function navigate(href: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', href)
  else window.location.hash = href.slice(1)
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'))
}

/**
 * The current route, updated on every hash change. Hash routes keep every page's URL
 * stable and shareable while the server serves just one `index.html`.
 */
export function useHashRoute(): HashRoute {
  const [route, setRoute] = useState(() => parseHash(window.location.hash))
  useEffect(() => {
    const update = (): void => setRoute(parseHash(window.location.hash))
    window.addEventListener('hashchange', update)
    return () => window.removeEventListener('hashchange', update)
  }, [])
  return route
}
