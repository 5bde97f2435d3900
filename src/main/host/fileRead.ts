import type { Hash } from 'node:crypto'
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'

/** Why a path could not be read as a file: a folder, a pipe or device, or more bytes than allowed. */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError'
  constructor(
    readonly kind: 'folder' | 'special' | 'too large' | 'no permission',
    message: string,
  ) {
    super(message)
  }
}

// A FIFO opened for reading without a writer would block the host forever; O_NONBLOCK returns at once.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/** Bytes read at a time: the next piece is read while the one before is hashed. */
const PIECE_BYTES = 4 * 1024 * 1024

/**
 * Reads a regular file of at most `maxBytes`, checking its type and size on the open handle before reading a
 * byte (a FIFO, /dev/zero or a folder never reaches a read); undefined when there is no such file. `what`
 * names what the file should have been ("a Lanvas board file"), for the message. `hash`, when given, is
 * updated with the bytes as they are read (piece by piece, the next piece read meanwhile): a large board's
 * digest then costs the host's start little more than the reading itself.
 */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  what: string,
  hash?: Hash,
): Promise<Uint8Array | undefined> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(path, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'EISDIR') throw new UnreadableFileError('folder', `${path} is a folder, not ${what}.`)
    if (code === 'EACCES' || code === 'EPERM')
      throw new UnreadableFileError('no permission', `${path} cannot be read (no permission).`)
    throw error
  }
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw new UnreadableFileError('folder', `${path} is a folder, not ${what}.`)
    if (!info.isFile()) {
      const kind = info.isFIFO() ? 'a pipe' : info.isSocket() ? 'a socket' : 'a device'
      throw new UnreadableFileError('special', `${path} is ${kind}, not a file: it is not ${what}.`)
    }
    if (info.size > maxBytes)
      throw new UnreadableFileError(
        'too large',
        `${path} is too large to be ${what} (${Math.ceil(info.size / 2 ** 20)} MB; at most ${Math.floor(maxBytes / 2 ** 20)} MB).`,
      )
    // Read what stat promised and no more, so a file that grows meanwhile cannot exceed the cap. Every byte
    // handed out is one read from the file (the buffer is not zeroed first: what was not read is cut off).
    const bytes = Buffer.allocUnsafe(info.size)
    const piece = hash ? PIECE_BYTES : bytes.byteLength
    const readAt = (at: number) => handle.read(bytes, at, Math.min(piece, bytes.byteLength - at), at)
    let read = 0
    let reading = read < bytes.byteLength ? readAt(0) : undefined
    while (reading) {
      const { bytesRead } = await reading
      if (bytesRead === 0) break
      const at = read
      read += bytesRead
      reading = read < bytes.byteLength ? readAt(read) : undefined
      hash?.update(bytes.subarray(at, read))
    }
    // A read still under way (the file shrank meanwhile) ends before the handle closes.
    await reading?.catch(() => {})
    return bytes.subarray(0, read)
  } finally {
    await handle.close()
  }
}
