// The slice of '@lore/store' that the SDK's read rules use at run time in the page: the
// error class. Everything else they take from it is a type, erased by the build.
export { LoreError } from '../../../store/src/lore-error.js'
export { readableNodeName } from '../../../store/src/readable-node-name.js'
