// The shipped fonts on the page (src/shared/fonts.ts): added to document.fonts under their family names, so the
// canvas, the text editor and the export draw with the same glyphs and widths on every machine. Vite copies the
// files into the build; Noto Sans SC (10 MB) is limited to CJK characters and loads on their first use.
import notoSansSc from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url'
import dejaVuSans from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url'
import { FontFile, inRanges, SHIPPED_FONTS, unicodeRange } from '../../shared/fonts'

const URLS: Record<FontFile, string> = { [FontFile.Sans]: dejaVuSans, [FontFile.SansSC]: notoSansSc }

const faces = new Map<FontFile, FontFace>()

/** Adds the shipped fonts' faces to the page (unloaded: each loads when text first needs it). */
export function addShippedFonts(): void {
  if (typeof FontFace !== 'function' || faces.size > 0) return
  for (const font of SHIPPED_FONTS) {
    const face = new FontFace(font.family, `url("${URLS[font.file]}")`, { unicodeRange: unicodeRange(font) })
    document.fonts.add(face)
    faces.set(font.file, face)
  }
}

/** Loads the first shipped font (Latin, Greek, Cyrillic, symbols): awaited before the first render. */
export async function loadMainFont(): Promise<void> {
  try {
    await faces.get(FontFile.Sans)?.load()
  } catch {
    // The platform's sans-serif draws instead (the family list ends in it).
  }
}

/**
 * Starts loading the shipped fonts a text needs that are not loaded yet (a canvas measuring with a font that is
 * still loading measures the fallback): the board redraws its texts when they arrive (BoardScene).
 */
export function loadFontsFor(text: string): void {
  for (const font of SHIPPED_FONTS) {
    const face = faces.get(font.file)
    if (face?.status !== 'unloaded' || !font.ranges) continue
    for (const ch of text) {
      if (inRanges(font, ch.codePointAt(0) as number)) {
        face?.load().catch(() => {})
        break
      }
    }
  }
}

/** A shipped font's bytes, for SVG and PDF exports to embed (from the same file the page draws with). */
export async function shippedFontBytes(file: FontFile): Promise<Uint8Array> {
  const response = await fetch(URLS[file])
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

/** A shipped font as a worker adds it to its own fonts (a worker has no document.fonts): family, file, characters. */
export interface FontSource {
  family: string
  url: string
  unicodeRange: string
}

/**
 * The shipped fonts the page has loaded, for a worker that draws as the page does (the export's band workers): a
 * canvas draws with the faces that are loaded, so a worker given these draws the same glyphs.
 */
export function loadedFontSources(): FontSource[] {
  const out: FontSource[] = []
  for (const font of SHIPPED_FONTS) {
    const face = faces.get(font.file)
    if (face?.status !== 'loaded') continue
    out.push({
      family: font.family,
      url: new URL(URLS[font.file], document.baseURI).href,
      unicodeRange: unicodeRange(font),
    })
  }
  return out
}
