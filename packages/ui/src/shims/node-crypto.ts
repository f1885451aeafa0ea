import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/** The part of Node's `Hash` that the SDK's `hashValue` uses. */
export interface Hash {
  update(data: string | Uint8Array): Hash
  digest(encoding: 'hex'): string
}

/**
 * `node:crypto`'s `createHash('sha256')` for the page, over @noble/hashes, so a value hashed
 * here gets the fingerprint the SDK gives it in Node.
 */
export function createHash(algorithm: string): Hash {
  if (algorithm !== 'sha256')
    throw new Error(`only sha256 is available in the page, not ${algorithm}`)
  const hash = sha256.create()
  const wrapper: Hash = {
    update(data) {
      hash.update(typeof data === 'string' ? utf8ToBytes(data) : data)
      return wrapper
    },
    digest: () => bytesToHex(hash.digest()),
  }
  return wrapper
}
