// The shipped fonts (src/shared/fonts.ts) in Node: read from their npm packages (electron-builder packs production
// dependencies into the app; Electron's fs reads inside the asar archive), registered with @napi-rs/canvas so that
// PNG exports draw with them whatever the machine has installed, and given to SVG and PDF exports to embed.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { GlobalFonts } from '@napi-rs/canvas'
import { FontFile, SHIPPED_FONTS } from '../../../shared/fonts'

/** Each shipped font's file, as its package names it (electron.builder.yml keeps these and drops the rest). */
export const FONT_MODULES: Record<FontFile, string> = {
  [FontFile.Sans]: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  [FontFile.SansSC]: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
}

const modules = createRequire(import.meta.url)
const bytes = new Map<FontFile, Buffer>()

/** The bytes of a shipped font, read once. */
export function shippedFontBytes(file: FontFile): Buffer {
  let b = bytes.get(file)
  if (!b) {
    b = readFileSync(modules.resolve(FONT_MODULES[file]))
    bytes.set(file, b)
  }
  return b
}

let registered = false

/** Registers every shipped font with the canvas under its family name, once (Noto Sans SC costs 10 MB). */
export function registerShippedFonts(): void {
  if (registered) return
  registered = true
  for (const font of SHIPPED_FONTS) {
    if (GlobalFonts.has(font.family)) continue
    GlobalFonts.register(shippedFontBytes(font.file), font.family)
  }
}
