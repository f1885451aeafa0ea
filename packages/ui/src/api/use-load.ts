import { useEffect, useRef, useState } from 'react'

/** What a page shows while it reads: loading, the data, or the error. */
export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T; refreshing: boolean }
  | { status: 'error'; error: Error }

/** Options of {@link useLoad}. */
export interface LoadOptions<T> {
  /**
   * Read again every this many milliseconds while it returns true for the data (a run
   * still RUNNING). Errors stop the polling.
   */
  pollMs?: number
  poll?: (data: T) => boolean
}

/**
 * Run `load` when `key` changes and keep its latest answer; a newer key wins over an answer
 * still in flight. With `poll`, read again while the data says so (live runs).
 *
 * @example
 * const state = useLoad(`run:${id}`, () => loadRun(id), { pollMs: 2000, poll: isLive })
 */
export function useLoad<T>(
  key: string,
  load: () => Promise<T>,
  options: LoadOptions<T> = {},
): LoadState<T> {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' })
  const loadRef = useRef(load)
  loadRef.current = load
  const { pollMs = 2000, poll } = options
  const pollRef = useRef(poll)
  pollRef.current = poll
  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    setState({ status: 'loading' })
    const read = async (): Promise<void> => {
      try {
        const data = await loadRef.current()
        if (cancelled) return
        setState({ status: 'ready', data, refreshing: false })
        if (pollRef.current?.(data) === true)
          timer = setTimeout(() => void read(), pollMs)
      } catch (error) {
        if (cancelled) return
        setState({
          status: 'error',
          error: error instanceof Error ? error : new Error(String(error)),
        })
      }
    }
    void read()
    return () => {
      cancelled = true
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [key, pollMs])
  return state
}
