export { RemoteStore, type RemoteStoreOptions } from './remote-store.js'
export type { HttpTransportOptions } from './http-transport.js'
