// The part of pako 1.x (zlib's deflate in JavaScript, already in the tree through pdf-lib) that the export's band
// workers use: a raw deflate that ends in a sync flush (src/renderer/src/export/bandWorker.ts). pako ships no types.
declare module 'pako/lib/deflate' {
  export interface DeflateOptions {
    level?: number
    raw?: boolean
    chunkSize?: number
  }
  export class Deflate {
    constructor(options?: DeflateOptions)
    /** `mode`: true or 4 finishes the stream, 2 is a sync flush; `result` then holds what came out. */
    push(data: Uint8Array, mode: boolean | number): boolean
    result: Uint8Array
    err: number
    msg: string
  }
}
