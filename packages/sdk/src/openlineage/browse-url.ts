/**
 * Where a file of a commit is shown, for the usual hosts (GitHub, GitLab, Gitea: `/blob/`):
 * `https://github.com/org/repo/blob/<commit>/<path>`, from an https or scp-like remote
 * (`git@github.com:org/repo.git`). Undefined for a remote that is neither.
 *
 * @example
 * browseUrl('git@github.com:org/repo.git', 'abc', 'src/train.ts')
 * // 'https://github.com/org/repo/blob/abc/src/train.ts'
 */
export function browseUrl(
  remote: string,
  commit: string,
  path: string | undefined,
): string | undefined {
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(remote)
  let base: string
  if (scp !== null) base = `https://${scp[1]}/${scp[2]}`
  else if (/^(https?|ssh|git):\/\//i.test(remote)) {
    try {
      const url = new URL(remote)
      base = `https://${url.hostname}${url.pathname}`
    } catch {
      return undefined
    }
  } else return undefined
  const repository = base.replace(/\/+$/, '').replace(/\.git$/, '')
  const file =
    path === undefined || path.startsWith('/') || path.startsWith('..')
      ? ''
      : `/${path.split('/').map(encodeURIComponent).join('/')}`
  return `${repository}/blob/${commit}${file}`
}
