import type { Board } from '../../../shared/board'
import { errorMessage } from '../../../shared/errors'
import type { ExportOptions } from '../../../shared/export'

/**
 * Copies the board (or the selection) to the clipboard as a PNG; resolves to a message to show, or null when it
 * worked. Browsers allow writing images only in a secure context (https, localhost, the app), so a page opened over
 * plain http on the LAN is told so instead of failing silently.
 */
export async function copyBoardImage(
  board: Board,
  options: Partial<ExportOptions> = {},
  signal?: AbortSignal,
): Promise<string | null> {
  if (!window.isSecureContext || typeof ClipboardItem === 'undefined' || !navigator.clipboard?.write) {
    return 'This browser allows copying images only on a secure page (https or this computer). Use Export to download the image instead.'
  }
  // The export code loads on first use (it is large and the board shows without it).
  const png = import('../../../shared/export')
    .then(({ exportBoard }) =>
      exportBoard(board, { scale: 2, padding: 16, ...options, format: 'png', embedBoard: true }, { signal }),
    )
    .then((r) => new Blob([r.bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
  try {
    // A promised blob keeps the user's gesture valid while the image is drawn (Chromium, Safari).
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })])
    return null
  } catch (error) {
    const made = await png.catch((e: Error) => e)
    if (made instanceof Error) return made.message
    return `The browser refused to copy the image (${errorMessage(error)}). Use Export instead.`
  }
}

/** Saves bytes as a download (the browser's way to "save a file"). */
export function downloadBytes(bytes: Uint8Array, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
