// Registers the page's canvas, images and console with src/shared before anything draws.
import './platform'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
// Tokens and shared rules load before every component's own stylesheet, so a component's rules win ties.
import './ui/tokens.css'
import './ui/styles.css'
import './ui/controls.css'
import { App } from './App'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
