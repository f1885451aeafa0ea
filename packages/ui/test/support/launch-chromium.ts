import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

/** Debian's chromium; Playwright's own browser download cannot work on this machine. */
export const chromiumPath = process.env.LORE_CHROMIUM ?? '/usr/bin/chromium'

/** True when the browser the tests drive is installed. */
export const hasChromium = (): boolean => existsSync(chromiumPath)

/** A headless chromium with a fresh profile; `close()` removes the profile too. */
export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/**
 * Start Debian's chromium headless, with a new user-data-dir and nothing that phones home.
 *
 * @example
 * const browser = await launchChromium(); const page = await browser.context.newPage()
 */
export async function launchChromium(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'lore-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 120_000,
  })
  return {
    context,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}
