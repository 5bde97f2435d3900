import { type Board, type BoardPoint, IMAGE_LIMITS, ImageTooLargeError } from '../../../shared/board'
import { pixelSizeProblem } from '../../../shared/elements/imageHeader'
import { errorMessage } from '../../../shared/errors'

/** Files that look like pictures (by type or, for files without one, by name). */
export function imageFiles(list: FileList | readonly File[] | null | undefined): File[] {
  if (!list) return []
  return Array.from(list).filter(
    (f) => f.type.startsWith('image/') || /\.(png|jpe?g|gif|webp)$/i.test(f.name),
  )
}

/** Pixel size of an image file, or an error a person understands when it is no image the browser can show. */
async function pixelSize(file: Blob): Promise<{ width: number; height: number }> {
  try {
    const bitmap = await createImageBitmap(file)
    const size = { width: bitmap.width, height: bitmap.height }
    bitmap.close()
    return size
  } catch {
    throw new Error('This file is not an image Lanvas can show (PNG, JPEG, GIF or WebP).')
  }
}

/**
 * Adds image files to the board, the first centred on `at` and the others beside it, each its own undo step.
 * Returns the new ids and one message per file that could not be added (too large, not an image).
 */
export async function addImageFiles(
  board: Board,
  files: readonly File[],
  at: BoardPoint,
): Promise<{ ids: string[]; errors: string[] }> {
  const ids: string[] = []
  const errors: string[] = []
  let x = at.x
  for (const file of files) {
    try {
      // Check the cap before reading and decoding a file that will be refused anyway.
      if (file.size > IMAGE_LIMITS.maxBytes) throw new ImageTooLargeError(file.size)
      const bytes = new Uint8Array(await file.arrayBuffer())
      // The header's pixel size before the browser decodes it: a small file can claim gigabytes of pixels.
      const tooMany = pixelSizeProblem(bytes)
      if (tooMany) throw new Error(tooMany)
      const size = await pixelSize(file)
      const id = board.addImage(bytes, file.type, size.width, size.height, { x, y: at.y })
      ids.push(id)
      const r = board.elementBounds(id)
      if (r) x = r.maxX + 20 + (r.maxX - r.minX) / 2
    } catch (err) {
      const name = file.name ? `${file.name}: ` : ''
      errors.push(`${name}${errorMessage(err)}`)
    }
  }
  return { ids, errors }
}
