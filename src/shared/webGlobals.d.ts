// The web APIs that browsers and Node (20+) both have as globals, as far as src/shared uses them. Only the shared
// project reads this file (tsconfig.shared.json): it type-checks without DOM or Node types, and anything a
// platform has that the other lacks (canvases, images, the console) is injected through ./platform.ts instead.
// The renderer's and Node's projects check the same code against the real DOM and Node declarations.

interface Crypto {
  getRandomValues<T extends Uint8Array>(array: T): T
}
declare const crypto: Crypto

interface TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>
}
declare const TextEncoder: { new (): TextEncoder }

interface TextDecoder {
  decode(input?: ArrayBufferView | ArrayBuffer): string
}
declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean }): TextDecoder }

interface URL {
  readonly origin: string
  readonly protocol: string
  readonly username: string
  readonly password: string
  readonly hostname: string
  readonly port: string
  readonly hash: string
  readonly host: string
  readonly pathname: string
  readonly searchParams: URLSearchParams
}
declare const URL: { new (url: string, base?: string): URL }

interface URLSearchParams {
  get(name: string): string | null
  has(name: string): boolean
  toString(): string
}
declare const URLSearchParams: { new (init?: string | Record<string, string>): URLSearchParams }

declare const performance: { now(): number }

declare function setTimeout(handler: (...args: never[]) => void, timeout?: number): unknown

interface AbortSignal {
  readonly aborted: boolean
  readonly reason: unknown
  throwIfAborted(): void
}

interface ReadableStreamDefaultReader<R> {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: R }>
}
interface ReadableStream<R = unknown> {
  getReader(): ReadableStreamDefaultReader<R>
  pipeThrough<T>(transform: { writable: WritableStream<R>; readable: ReadableStream<T> }): ReadableStream<T>
}
interface WritableStreamDefaultWriter<W = unknown> {
  write(chunk: W): Promise<void>
  close(): Promise<void>
  abort(reason?: unknown): Promise<void>
}
interface WritableStream<W = unknown> {
  getWriter(): WritableStreamDefaultWriter<W>
}

interface TransformStream<I = unknown, O = unknown> {
  readonly readable: ReadableStream<O>
  readonly writable: WritableStream<I>
}
declare const TransformStream: { new <I = unknown, O = unknown>(): TransformStream<I, O> }

interface CompressionStream {
  readonly readable: ReadableStream<Uint8Array<ArrayBuffer>>
  readonly writable: WritableStream<Uint8Array>
}
declare const CompressionStream: { new (format: 'deflate' | 'deflate-raw' | 'gzip'): CompressionStream }

interface Blob {
  readonly size: number
  readonly type: string
  arrayBuffer(): Promise<ArrayBuffer>
  stream(): ReadableStream<Uint8Array>
}
declare const Blob: {
  new (parts?: (Uint8Array<ArrayBuffer> | ArrayBuffer | Blob | string)[], options?: { type?: string }): Blob
}

interface Response {
  arrayBuffer(): Promise<ArrayBuffer>
}
declare const Response: { new (body?: ReadableStream<Uint8Array> | Blob | null): Response }
