// A test-only page for the export dialog while App does not mount it yet: a board, the shortcuts hook and the
// dialog, exactly as App is meant to wire them. Built by test/e2e/exportDialog.test.ts.
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { copyBoardImage } from '../../src/renderer/src/export/clipboard'
import { useExportShortcuts } from '../../src/renderer/src/export/shortcuts'
import { ExportDialog } from '../../src/renderer/src/ui/ExportDialog'
import '../../src/renderer/src/ui/styles.css'
import { Board } from '../../src/shared/board'

const board = new Board(undefined, 'harness')
for (const [color, width, y] of [
  ['#1e1e1e', 4, 0],
  ['#e03131', 10, 60],
  ['#1971c2', 6, 120],
] as const) {
  const flat = Array.from({ length: 40 }, (_, i) => [i * 6, y + Math.sin(i / 4) * 15, 0.5]).flat()
  const id = board.beginStroke({ color, width }, flat)
  board.finishStroke(id)
}

const saved: { fileName: string; mime: string; bytes: number[] }[] = []
Object.assign(window, { __exportSaved: saved })

function Harness() {
  const [open, setOpen] = useState(false)
  const [message, setMessage] = useState('')
  useExportShortcuts({
    enabled: !open,
    onOpenExport: () => setOpen(true),
    onCopyImage: () => {
      copyBoardImage(board).then((said) => setMessage(said ?? 'copied'))
    },
  })
  return (
    <div className="app">
      <p data-testid="harness-message">{message}</p>
      {open && (
        <ExportDialog
          board={board}
          boardName="Harness"
          viewport={{ x: -20, y: -40, zoom: 1, width: 800, height: 600 }}
          onSave={(bytes, fileName, mime) => {
            saved.push({ fileName, mime, bytes: [...bytes.subarray(0, 16)] })
            return null
          }}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
)
