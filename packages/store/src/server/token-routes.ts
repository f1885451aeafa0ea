import { z } from 'zod'
import { tokenScopeSchema } from '../auth/token-scope.js'
import type { TokenStore } from '../auth/token-store.js'
import { storableText } from '../storable-text.js'
import { defineRoute, type RouteDefinition } from './route-definition.js'

/** Token management for `admin` tokens; only served when the server has a token store. */
export const tokenRoutes: readonly RouteDefinition<TokenStore>[] = [
  defineRoute({
    operation: 'createToken',
    scope: 'admin',
    summary:
      'Create a token; the answer holds its text, which is never shown again.',
    body: z.strictObject({
      name: storableText().min(1).max(200),
      scope: tokenScopeSchema,
    }),
    call: (tokens: TokenStore, options) => tokens.create(options),
  }),
  defineRoute({
    operation: 'listTokens',
    scope: 'admin',
    summary: 'Every token (never its secret), revoked ones too.',
    body: z.strictObject({}),
    call: (tokens: TokenStore) => tokens.list(),
  }),
  defineRoute({
    operation: 'revokeToken',
    scope: 'admin',
    summary: 'Revoke a token by id; it authenticates nothing from now on.',
    body: z.strictObject({ id: z.string().min(1).max(64) }),
    call: (tokens: TokenStore, { id }) => tokens.revoke(id),
  }),
]
