export {
  ensureUiBuilt,
  isUiBuilt,
  isUiStale,
  uiDirectory,
} from './ui-directory.js'
export {
  createGraphLayout,
  maxWaitingLayouts,
  type ElkGraphLayout,
} from './graph-layout.js'
