// A worker thread of a parallel PNG export (parallelBands.ts): it receives the export's layout once, then draws
// the bands it is asked for with the same scene code and tiles as the main thread would (drawBand: PNG rows) and
// sends them back. Built as out/main/exportWorker.js.

import { parentPort, workerData } from 'node:worker_threads'
import { ElementKind, type ImageAsset } from '../../../shared/elements/types'
import {
  type BandPlan,
  drawBand,
  type ExportLayout,
  ExportPainter,
  exportCanvas,
  GarbageAfterBands,
} from '../../../shared/export'
import { images } from '../../../shared/scene'
import type { BandReply, BandRequest, WorkerLayout } from './bandMessages'
import { collectGarbageBetweenBands } from './nodeCanvas'

const port = parentPort
if (!port) throw new Error('bandWorker runs as a worker thread')

async function start(data: WorkerLayout, plan: BandPlan) {
  // A band worker only draws: a collection after each band frees the native paths of the strokes it has passed.
  collectGarbageBetweenBands()
  const assets = new Map<string, ImageAsset>(data.assets.map((a) => [a.id, a]))
  const layout: ExportLayout = { ...data, asset: (id) => assets.get(id), notes: [] }
  // Images are decoded before anything is drawn, or the canvas paints grey boxes where they go.
  await Promise.all(
    layout.items.flatMap((i) => {
      const asset = i.element.kind === ElementKind.Image ? assets.get(i.element.assetId) : undefined
      return asset ? [images.load(asset)] : []
    }),
  )
  const painter = new ExportPainter(layout)
  const canvas = exportCanvas(plan.tileWidth, plan.bandHeight)
  const garbage = new GarbageAfterBands()
  const reply = (message: BandReply, transfer?: ArrayBuffer[]) => port?.postMessage(message, transfer)
  port?.on('message', (request: BandRequest) => {
    try {
      const { rows } = drawBand(painter, canvas, plan, request.band)
      // Bands are handed out top to bottom: what ends above the next one is drawn for the last time.
      garbage.released(painter.releaseAbove((request.band + 1) * plan.bandHeight))
      reply({ type: 'band', band: request.band, rows }, [rows.buffer as ArrayBuffer])
    } catch (error) {
      reply({ type: 'error', message: (error as Error).message })
    }
  })
  reply({ type: 'ready' })
}

const { layout, plan } = workerData as { layout: WorkerLayout; plan: BandPlan }
start(layout, plan).catch((error: Error) => port.postMessage({ type: 'error', message: error.message }))
