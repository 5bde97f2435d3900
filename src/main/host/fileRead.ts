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

/**
 * Reads a regular file of at most `maxBytes`, checking its type and size on the open handle before reading a
 * byte (a FIFO, /dev/zero or a folder never reaches a read); undefined when there is no such file. `what`
 * names what the file should have been ("a Lanvas board file"), for the message.
 */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  what: string,
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
    // Read what stat promised and no more, so a file that grows meanwhile cannot exceed the cap.
    const bytes = Buffer.alloc(info.size)
    let read = 0
    while (read < bytes.byteLength) {
      const { bytesRead } = await handle.read(bytes, read, bytes.byteLength - read, read)
      if (bytesRead === 0) break
      read += bytesRead
    }
    return bytes.subarray(0, read)
  } finally {
    await handle.close()
  }
}
