import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const RENDERER = fileURLToPath(new URL('../../src/renderer/', import.meta.url))
const TOKENS = join(RENDERER, 'src/ui/tokens.css')

// CSS's named colours; `transparent` and `currentColor` name no colour of their own, so they stay allowed.
const NAMED_COLOURS = new Set(
  `aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood
  cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray
  darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
  darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue
  firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
  hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
  lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
  lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
  mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred
  midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
  palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple
  rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue
  slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
  yellowgreen`.split(/\s+/),
)
const COLOUR_FUNCTION = /\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix)\(/i
const HEX = /#[0-9a-f]{3,8}\b/i

/** Every stylesheet of the renderer. */
function stylesheets(): string[] {
  return readdirSync(RENDERER, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.css'))
    .map((f) => join(RENDERER, f))
}

/** The declarations of a stylesheet, comments left out, as `property: value` with the file and line. */
function declarations(path: string): { where: string; property: string; value: string }[] {
  const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
  const found: { where: string; property: string; value: string }[] = []
  // A declaration is a property, a colon and a value up to `;` or `}`, inside a block.
  for (const m of text.matchAll(/([-\w]+)\s*:\s*([^;{}]+)(?=[;}])/g)) {
    const line = text.slice(0, m.index).split('\n').length
    found.push({
      where: `${relative(RENDERER, path)}:${line}`,
      property: m[1] as string,
      value: m[2] as string,
    })
  }
  return found
}

/** A colour written out in a value: a hex code, a colour function or a named colour. */
function colourLiteral(value: string): string | undefined {
  const hex = HEX.exec(value)?.[0]
  if (hex) return hex
  const fn = COLOUR_FUNCTION.exec(value)?.[0]
  if (fn) return fn
  return value
    .replace(/var\([^)]*\)/g, '')
    .split(/[^-\w]+/)
    .find((word) => NAMED_COLOURS.has(word.toLowerCase()))
}

/** The custom properties a block of tokens.css defines, by the selector of the block. */
function tokensOf(selector: string): Set<string> {
  const text = readFileSync(TOKENS, 'utf8')
  const start = text.indexOf(`${selector} {`)
  expect(start, `tokens.css has a ${selector} block`).toBeGreaterThanOrEqual(0)
  const block = text.slice(start, text.indexOf('\n}', start))
  return new Set([...block.matchAll(/^\s*(--[-\w]+)\s*:/gm)].map((m) => m[1] as string))
}

describe('the stylesheets of the renderer', () => {
  it('write colours only in tokens.css; every other sheet uses its variables', () => {
    const sheets = stylesheets()
    expect(sheets).toContain(TOKENS)
    const literals = sheets
      .filter((path) => path !== TOKENS)
      .flatMap(declarations)
      .flatMap(({ where, property, value }) => {
        const literal = colourLiteral(value)
        return literal ? [`${where} ${property}: ${literal}`] : []
      })
    expect(literals).toEqual([])
  })

  it('use only variables tokens.css defines', () => {
    const defined = tokensOf(':root')
    const unknown = stylesheets()
      .flatMap(declarations)
      .flatMap(({ where, value }) => [...value.matchAll(/var\(\s*(--[-\w]+)/g)].map((m) => [where, m[1]]))
      .filter(([, name]) => !defined.has(name as string))
      .map(([where, name]) => `${where} ${name}`)
    expect(unknown).toEqual([])
  })

  it('give dark mode only tokens that light mode has', () => {
    const light = tokensOf(':root')
    const dark = [...tokensOf(':root[data-theme="dark"]')]
    expect(dark.length).toBeGreaterThan(0)
    expect(dark.filter((name) => !light.has(name))).toEqual([])
  })
})
