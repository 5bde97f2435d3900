import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'

/**
 * The page's main font (src/renderer/src/fonts.ts) asked for by the HTML itself, beside the scripts: the first render
 * waits for it, and the script would otherwise ask for it only once it has loaded and run.
 */
function preloadMainFont(): Plugin {
  return {
    name: 'lanvas-preload-main-font',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const font = Object.values(ctx.bundle ?? {}).find((f) =>
          /(^|\/)DejaVuSans-[^/]*\.ttf$/.test(f.fileName),
        )
        if (!font) return []
        return [
          {
            tag: 'link',
            attrs: {
              rel: 'preload',
              href: `./${font.fileName}`,
              as: 'font',
              type: 'font/ttf',
              crossorigin: '',
            },
            injectTo: 'head',
          },
        ]
      },
    },
  }
}

export default defineConfig({
  main: {
    build: {
      externalizeDeps: {
        exclude: [
          'yjs',
          'lib0',
          'y-protocols',
          'ws',
          '@noble/hashes',
          '@noble/curves',
          '@noble/ciphers',
          'crc-32',
        ],
      },
      rollupOptions: {
        // The Electron entry and the headless host share the host runtime; only index imports electron.
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/host/cli.ts'),
          discover: resolve('src/main/host/discoverCli.ts'),
          export: resolve('src/main/host/exportCli.ts'),
          // The worker threads of a large PNG export (src/main/host/export/parallelBands.ts finds it here).
          exportWorker: resolve('src/main/host/export/bandWorker.ts'),
          // The worker thread that makes a large board's overview pictures (src/main/host/room/overviewPictures.ts).
          overviewWorker: resolve('src/main/host/room/pictureWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    // Served over the network to browsers and phones: ship it minified (LANVAS_RENDERER_MINIFY=0 keeps names for a
    // CPU profile).
    build: {
      minify: process.env.LANVAS_RENDERER_MINIFY !== '0',
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react(), preloadMainFont()],
    // The export dialog's band workers (src/renderer/src/export/bandWorkers.ts) are module workers.
    worker: { format: 'es' },
  },
})
