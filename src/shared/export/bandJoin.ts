import type { BandPlan } from './bands'
import { adler32Combine, ZLIB_HEADER, zlibTrailer } from './png'

/** A band drawn and raw-deflated elsewhere (a worker), ending in a sync flush; the image's last band, in the final block. */
export interface DeflatedBand {
  band: number
  deflated: Uint8Array
  /** The Adler-32 of the band's uncompressed rows, and how many bytes they are. */
  adler: number
  length: number
}

/**
 * Joins deflated bands that workers finish in any order into the PNG's one zlib stream, in order: the header, each
 * band's bytes as soon as every band above it has gone, the Adler-32s combined into the trailer. Workers hand bands in
 * with `add` and failures (or a cancel) with `fail`; `stream` yields the bytes and the rows they complete, and throws
 * the first failure. The command line's worker threads (parallelBands) and the export dialog's Web Workers
 * (bandWorkers) both write through it.
 */
export class BandJoin {
  private readonly drawn = new Map<number, DeflatedBand>()
  private failure: { error: unknown } | undefined
  private wake: (() => void) | undefined

  add(band: DeflatedBand): void {
    this.drawn.set(band.band, band)
    this.notify()
  }

  /** The first failure ends the stream (later ones are dropped). */
  fail(error: unknown): void {
    this.failure ??= { error }
    this.notify()
  }

  /** The stream's bytes in order; `written(n)` after the n-th band went (the command line collects its garbage there). */
  async *stream(
    plan: BandPlan,
    total: number,
    written?: (bands: number) => void,
  ): AsyncGenerator<{ bytes: Uint8Array; rows: number }> {
    yield { bytes: ZLIB_HEADER, rows: 0 }
    let adler = 1
    for (let band = 0; band < total; ) {
      if (this.failure) throw this.failure.error
      const next = this.drawn.get(band)
      if (!next) {
        await new Promise<void>((resolve) => {
          this.wake = resolve
        })
        continue
      }
      this.drawn.delete(band)
      adler = adler32Combine(adler, next.adler, next.length)
      yield { bytes: next.deflated, rows: Math.min(plan.bandHeight, plan.height - band * plan.bandHeight) }
      band++
      written?.(band)
    }
    if (this.failure) throw this.failure.error
    yield { bytes: zlibTrailer(adler), rows: 0 }
  }

  private notify(): void {
    const w = this.wake
    this.wake = undefined
    w?.()
  }
}
