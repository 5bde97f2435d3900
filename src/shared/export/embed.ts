import { fromBase64, toBase64 } from 'lib0/buffer'
import { BOARD_CHUNK, insertPngChunk, isPng, pngChunks } from './png'
import { SVG_BOARD_NAMESPACE } from './svg'

/** The .lanvas bytes as the SVG metadata carries them. */
export function boardToBase64(boardFile: Uint8Array): string {
  return toBase64(boardFile)
}

/** A PNG carrying a .lanvas board in a private chunk (opening the image in Lanvas restores the board). */
export function embedBoardInPng(png: Uint8Array, boardFile: Uint8Array): Uint8Array {
  return insertPngChunk(png, BOARD_CHUNK, boardFile)
}

const SVG_BOARD = /<lanvas:board\b[^>]*>([A-Za-z0-9+/=\s]*)<\/lanvas:board>/

/**
 * The .lanvas bytes embedded in an exported PNG or SVG, or undefined when the file carries none. The bytes are
 * not checked: pass them to decodeBoardFile/openBoardFile, which refuse a damaged board.
 */
export function extractEmbeddedBoard(bytes: Uint8Array): Uint8Array | undefined {
  if (isPng(bytes)) {
    for (const chunk of pngChunks(bytes)) {
      if (chunk.type === BOARD_CHUNK) return chunk.data.slice()
    }
    return undefined
  }
  // An SVG is text; only look at it when it looks like XML and names the board namespace.
  const head = new TextDecoder().decode(bytes.subarray(0, 1024)).trimStart()
  if (!head.startsWith('<')) return undefined
  const text = new TextDecoder().decode(bytes)
  if (!text.includes(SVG_BOARD_NAMESPACE)) return undefined
  const match = SVG_BOARD.exec(text)
  if (!match) return undefined
  try {
    return fromBase64((match[1] as string).replace(/\s+/g, ''))
  } catch {
    return undefined
  }
}
