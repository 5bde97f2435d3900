// What the page starts as soon as its script runs, before the rest of the app's modules are evaluated and React
// renders: the main font's file and the host's answer to which board to show load meanwhile. Imported by main.tsx
// right after ./platform (which adds the font faces).
import { loadMainFont } from './fonts'
import { askBoardChoiceAhead } from './session/boardChoiceAhead'

/** The main font, loading from the page's start (the first render waits for it: texts are measured with it). */
export const mainFont = loadMainFont()
askBoardChoiceAhead()
