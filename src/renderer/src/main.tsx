// Registers the page's canvas, images and console with src/shared before anything draws.
import './platform'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
// Starts the main font and the question of which board to show before the rest of the app loads.
import { mainFont } from './startup'
// Tokens and shared rules load before every component's own stylesheet, so a component's rules win ties.
import './ui/tokens.css'
import './ui/styles.css'
import './ui/controls.css'
import { App } from './App'
import { canvasPrefs, followColorScheme } from './canvas/backgroundPrefs'
import { loadAppIdentity } from './session/identity'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
// The app's theme setting reaches the page as prefers-color-scheme; a browser keeps the person's own choice.
if (window.lanvas) followColorScheme(canvasPrefs, window.matchMedia('(prefers-color-scheme: dark)'))
// The app's settings hold the person's name and colour: read before the first render asks for them. The main
// font too (asked for as the script started), so that the first texts are measured with it.
void Promise.allSettled([loadAppIdentity(window.lanvas), mainFont]).finally(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
)
