import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SqliteTokenStore } from '../src/server/index.js'
import { serveStore, type ServedStore } from './fixtures/serve-store.js'

/*
 * A client that sends its headers and part of a body, then stalls, must not hold a
 * connection (and the request's memory) forever: the server answers 408 and closes it.
 */

const running: ServedStore[] = []
const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const served of running.splice(0)) await served.close()
  for (const close of closers.splice(0)) await close()
})

/** Everything the server sends on `socket` until it closes the connection. */
function answerUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (text += chunk))
    socket.on('close', () => resolve(text))
    socket.on('error', reject)
  })
}

/** Open a raw connection, send headers announcing `length` bytes and only `sent` of them. */
async function sendHalfABody(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ socket: Socket; answer: Promise<string> }> {
  const { hostname, port } = new URL(url)
  const socket = connect(Number(port), hostname)
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  const answer = answerUntilClosed(socket)
  const body = '{"artifacts":[{"type":"Dataset","uri":"s3://half'
  const lines = [
    'POST /v1/putArtifacts HTTP/1.1',
    `Host: ${hostname}:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length + 100}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
  socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`)
  return { socket, answer }
}

describe('store server request timeout', () => {
  it('answers a body that never completes with a 408 and closes the connection', async () => {
    const served = await serveStore({ requestTimeoutMs: 300 })
    running.push(served)
    await served.store.putArtifactType({ name: 'Dataset' })
    const { answer } = await sendHalfABody(served.url)
    const text = await answer
    expect(text).toMatch(/^HTTP\/1\.1 408 /)
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))
    expect(body.error.code).toBe('INVALID_ARGUMENT')
    expect(body.error.message).toMatch(/within 300 ms/)
    // Nothing of the half-sent request was stored, and the server still answers.
    expect((await served.store.getArtifacts()).items).toEqual([])
    expect((await fetch(`${served.url}/health`)).status).toBe(200)
  })

  it('times out a stalled body from an authenticated client too', async () => {
    const tokens = SqliteTokenStore.open(':memory:')
    closers.push(() => tokens.close())
    const { token } = await tokens.create({ name: 'ci', scope: 'write' })
    const served = await serveStore({ requestTimeoutMs: 300, tokens })
    running.push(served)
    await served.store.putArtifactType({ name: 'Dataset' })
    const { answer } = await sendHalfABody(served.url, {
      Authorization: `Bearer ${token}`,
    })
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /)
    expect((await served.store.getArtifacts()).items).toEqual([])
    const { status } = await served.post(
      '/v1/putArtifacts',
      { artifacts: [{ type: 'Dataset', uri: 's3://whole' }] },
      { authorization: `Bearer ${token}` },
    )
    expect(status).toBe(200)
  })

  it('closes a connection from an unauthenticated client that stalls mid-body', async () => {
    const tokens = SqliteTokenStore.open(':memory:')
    closers.push(() => tokens.close())
    const served = await serveStore({ requestTimeoutMs: 300, tokens })
    running.push(served)
    const { answer } = await sendHalfABody(served.url)
    // Auth answers 401 as soon as the headers are in; the connection still must not stay
    // open waiting for the rest of the body.
    expect(await answer).toMatch(/^HTTP\/1\.1 (401|408) /)
    expect((await fetch(`${served.url}/health`)).status).toBe(200)
  })
})
