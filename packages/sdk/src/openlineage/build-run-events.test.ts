import type { Context } from '@lore/store'
import { createOpenLineageValidator } from '@lore/store/openlineage'
import { describe, expect, it } from 'vitest'
import { browseUrl } from './browse-url.js'
import { buildRunEvents } from './build-run-events.js'
import { loreMetricsFacetSchema } from './openlineage-facets.js'

const commit = '0123456789abcdef0123456789abcdef01234567'

function context(code: Record<string, string>): Context {
  return {
    id: 1,
    typeId: 1,
    type: 'PipelineRun',
    name: 'train/run-1',
    externalId: 'run-1',
    properties: {
      pipeline: 'train',
      code: { gitCommit: commit, ...code },
      entry: { module: 'src/train.ts' },
    },
    customProperties: { status: 'RUNNING', startedAt: 1_800_000_000_000 },
    createTimeSinceEpoch: 1_800_000_000_000,
    lastUpdateTimeSinceEpoch: 1_800_000_000_000,
  }
}

const startOf = (code: Record<string, string>) =>
  buildRunEvents({
    context: context(code),
    executions: [],
    events: [],
    artifacts: new Map(),
    executionMetrics: new Map(),
    runMetrics: [],
  })[0]!

describe('sourceCodeLocation', () => {
  it("points at the file of the commit on the git remote's host, and names the remote", () => {
    const start = startOf({ gitRemote: 'git@github.com:org/repo.git' })
    expect(start.job.facets?.sourceCodeLocation).toMatchObject({
      type: 'git',
      url: `https://github.com/org/repo/blob/${commit}/src/train.ts`,
      repoUrl: 'git@github.com:org/repo.git',
      version: commit,
      path: 'src/train.ts',
    })
    const validator = createOpenLineageValidator({
      facetSchemas: [loreMetricsFacetSchema()],
      requireKnownFacets: true,
    })
    expect(validator.validate(start).issues).toEqual([])
  })

  it('keeps a urn naming the commit without a remote', () => {
    expect(startOf({}).job.facets?.sourceCodeLocation).toMatchObject({
      url: `urn:lore:git:${commit}`,
    })
    expect(startOf({}).job.facets?.sourceCodeLocation).not.toHaveProperty(
      'repoUrl',
    )
  })

  it('makes a browse url of https and ssh remotes, and none of a path outside the checkout', () => {
    expect(
      browseUrl('https://gitlab.example/group/sub/repo.git', 'abc', 'a b.ts'),
    ).toBe('https://gitlab.example/group/sub/repo/blob/abc/a%20b.ts')
    expect(browseUrl('ssh://git@host:2222/org/repo', 'abc', undefined)).toBe(
      'https://host/org/repo/blob/abc',
    )
    expect(browseUrl('/srv/git/repo.git', 'abc', 'x.ts')).toBeUndefined()
    expect(browseUrl('git@host:org/repo.git', 'abc', '/abs/x.ts')).toBe(
      'https://host/org/repo/blob/abc',
    )
  })
})
