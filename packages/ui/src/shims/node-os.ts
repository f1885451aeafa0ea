// `node:os` for the page. A page runs on no recorded host, so the SDK's liveness rule never
// probes a pid from here and judges a RUNNING run by its heartbeat alone.
export const hostname = (): string => ''
export const userInfo = (): { username: string } => ({ username: 'web' })
