import { pixelSizeProblem } from '../elements/imageHeader'
import type { ImageAsset } from '../elements/types'
import { type CanvasImage, platform } from '../platform'

/** Turns an image's bytes into something a canvas can draw. */
export type ImageDecoder = (asset: ImageAsset) => Promise<CanvasImage>

interface CacheEntry {
  source?: CanvasImage
  loading?: Promise<CanvasImage | undefined>
  failed?: boolean
}

/** Decodes with what the platform registered (createImageBitmap in browsers, @napi-rs/canvas in Node). */
const defaultDecoder: ImageDecoder = async (asset) => {
  const decode = platform().decodeImage
  if (!decode) throw new Error('this platform decodes no images')
  return decode(asset.bytes, asset.mime)
}

/**
 * Decoded images by asset id. Asset ids are the sha-256 of the bytes, so one cache serves every board in the
 * process: the same id is always the same picture.
 */
export class ImageCache {
  private readonly entries = new Map<string, CacheEntry>()
  private readonly listeners = new Set<(assetId: string) => void>()

  constructor(private readonly decode: ImageDecoder = defaultDecoder) {}

  /** The decoded image, or undefined while it decodes (decoding starts now; `onLoad` says when it is ready). */
  get(asset: ImageAsset | undefined): CanvasImage | undefined {
    if (!asset) return undefined
    const entry = this.entries.get(asset.id)
    if (entry?.source) return entry.source
    if (!entry) void this.load(asset)
    return undefined
  }

  /** Decodes an asset (once); resolves undefined when its bytes are no image this platform can decode. */
  load(asset: ImageAsset): Promise<CanvasImage | undefined> {
    const known = this.entries.get(asset.id)
    if (known?.source) return Promise.resolve(known.source)
    if (known?.loading) return known.loading
    if (known?.failed) return Promise.resolve(undefined)
    const entry: CacheEntry = {}
    this.entries.set(asset.id, entry)
    // Never hand a decoder more pixels than the cap (a board file or an old peer may hold such an image).
    if (pixelSizeProblem(asset.bytes)) {
      entry.failed = true
      return Promise.resolve(undefined)
    }
    entry.loading = this.decode(asset).then(
      (source) => {
        entry.source = source
        entry.loading = undefined
        for (const listener of this.listeners) listener(asset.id)
        return source
      },
      () => {
        entry.failed = true
        entry.loading = undefined
        return undefined
      },
    )
    return entry.loading
  }

  /** Calls `listener` with each asset id as its image finishes decoding; returns the unsubscribe. */
  onLoad(listener: (assetId: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

/** The process's image cache, used by the screen and by export alike. */
export const images = new ImageCache()
