import { useState } from 'react'
import { ErrorBox } from '../components/loaded.js'

/**
 * Asks for a token when the server has auth on. The token stays in this tab's
 * sessionStorage; a read token is enough to see everything.
 */
export function TokenForm({
  error,
  onToken,
}: {
  error?: Error
  onToken: (token: string) => void
}) {
  const [token, setToken] = useState('')
  return (
    <div className="card" style={{ maxWidth: 560 }}>
      <h1>This store needs a token</h1>
      <p className="muted">
        Paste a token made with{' '}
        <code>lore token create --name &lt;you&gt; --scope read</code>. It is
        kept only until this tab is closed.
      </p>
      {error !== undefined ? <ErrorBox error={error} /> : null}
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (token.trim() !== '') onToken(token.trim())
        }}
      >
        <div className="toolbar">
          <input
            type="password"
            name="token"
            aria-label="token"
            placeholder="lore_…"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            style={{ flex: 1 }}
          />
          <button type="submit" className="primary">
            Open
          </button>
        </div>
      </form>
    </div>
  )
}
