export {
  ensureUiBuilt,
  isUiBuilt,
  isUiStale,
  uiDirectory,
} from './ui-directory.js'
export { createGraphLayout, type ElkGraphLayout } from './graph-layout.js'
