import { useLoad } from '../api/use-load.js'
import { formatTime } from '../components/format.js'
import { Loaded } from '../components/loaded.js'
import { routeHref } from '../router/hash-route.js'
import { listModels } from './read-registry.js'

/** Every registered model, with its version count and aliases. */
export function ModelsPage() {
  const state = useLoad('models', listModels)
  return (
    <>
      <h1>Models</h1>
      <Loaded state={state} what="models">
        {(models) =>
          models.length === 0 ? (
            <div className="card muted">
              No registered models yet: the monitoring example registers one
              (pnpm monitoring).
            </div>
          ) : (
            <table className="data" data-testid="models-table">
              <thead>
                <tr>
                  <th>model</th>
                  <th>versions</th>
                  <th>aliases</th>
                  <th>registered</th>
                  <th>description</th>
                </tr>
              </thead>
              <tbody>
                {models.map((model) => (
                  <tr key={model.name}>
                    <td>
                      <a href={routeHref(['models', model.name])}>
                        {model.name}
                      </a>
                    </td>
                    <td>{model.versionCount}</td>
                    <td>
                      {Object.entries(model.aliases)
                        .map(([alias, version]) => `${alias} → v${version}`)
                        .join(', ')}
                    </td>
                    <td>{formatTime(model.createdAt)}</td>
                    <td>{model.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  )
}
