import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import '@xyflow/react/dist/style.css'
import 'uplot/dist/uPlot.min.css'
import './styles.css'
import { App } from './app.js'
import { prepareLayout } from './pages/layout-lineage.js'

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
// The server's layout engine warms up while the first page is read (see layout-lineage.ts).
requestIdleCallback(prepareLayout, { timeout: 1000 })
