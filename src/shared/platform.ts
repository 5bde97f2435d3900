// What src/shared needs of the platform it runs on. Shared code type-checks without DOM or Node types, so the
// renderer (src/renderer/src/platform.ts) and Node's export (src/main/host/export/nodeCanvas.ts) register theirs.

import type { FontFile } from './fonts'

/** A native path a canvas fills (Path2D in browsers and in @napi-rs/canvas). */
export interface NativePath {
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  closePath(): void
}

/** An image a canvas can draw: an ImageBitmap or image element in browsers, an @napi-rs/canvas Image in Node. */
export type CanvasImage = object

/** The platform's services; each is optional except `warn`, and shared code has a fallback for the rest. */
export interface Platform {
  /** Width of `text` in a CSS `font`; where it is missing or says undefined, 0.6 em a character is assumed. */
  measureText?: (text: string, font: string) => number | undefined
  /** Decodes image bytes into something a canvas draws; rejects for bytes that are no image it can decode. */
  decodeImage?: (bytes: Uint8Array, mime: string) => Promise<CanvasImage>
  /** A new native path, so a stroke's outline is traced once and filled many times; without it, traced each draw. */
  createPath?: () => NativePath
  /**
   * A stroke outline's native path made in one call where that is cheaper than a lineTo per point (Node: an SVG
   * path string of whole numbers, its axes scaled by powers of two, unitX and unitY scaling them back), or undefined
   * for an outline it cannot take; without it, or for those, strokePath traces it point by point.
   */
  outlinePath?: (outline: Float32Array) => { path: NativePath; unitX: number; unitY: number } | undefined
  /**
   * Called after a canvas filled `path` with the nonzero rule (an export's strokes): lets the platform drop what the
   * fill left with the path. @napi-rs/canvas keeps a second copy of the path's points with it after each fill (a
   * snapshot its canvas recorded, remade at every fill); a path held for later bands would hold both. Without it,
   * nothing.
   */
  settleFilledPath?: (path: NativePath) => void
  /**
   * The bytes of a shipped font (src/shared/fonts.ts), for SVG and PDF exports to embed; without it those exports
   * name the fonts without embedding them (SVG) or say that text cannot be set (PDF).
   */
  fontBytes?: (file: FontFile) => Promise<Uint8Array>
  /**
   * A zlib-format deflate stream for PNG image data, where the platform can do better than CompressionStream's
   * default level (Node: zlib at a fast level, run off the main thread); without it, CompressionStream('deflate').
   */
  deflate?: () => { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> }
  /**
   * A full garbage collection, which a PNG export runs after each band: the native paths of the strokes it has passed
   * are freed only when their objects are collected, and the engine, which does not see their size, would let
   * hundreds of MB of them pile up (Node's export; docs/decisions.md, "Export at scale"). Without it, nothing.
   */
  collectGarbage?: () => void
  /** Reports something odd that is no error (a developer's console). */
  warn: (message: string) => void
}

let current: Platform = { warn: () => {} }

/** Sets the platform's services (merged over what was registered before); each side calls it once at start. */
export function registerPlatform(services: Partial<Platform>): void {
  current = { ...current, ...services }
}

/** The platform's services as registered. */
export function platform(): Readonly<Platform> {
  return current
}
