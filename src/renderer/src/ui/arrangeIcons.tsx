import { Icon } from './icons'

// Align and distribute icons: a guide line and the boxes lined up on it (the shapes of Excalidraw's and tldraw's),
// each drawn from its path and its boxes (x, y, width, height) on the 24-unit icon grid.
type Box = readonly [x: number, y: number, width: number, height: number]

function arrangeIcon(guide: string, boxes: readonly Box[]) {
  return () => (
    <Icon>
      <path d={guide} />
      {boxes.map(([x, y, width, height]) => (
        <rect key={`${x} ${y}`} x={x} y={y} width={width} height={height} rx="1" />
      ))}
    </Icon>
  )
}

export const AlignLeftIcon = arrangeIcon('M4 3v18', [
  [7, 6, 12, 4],
  [7, 14, 7, 4],
])
export const AlignCenterIcon = arrangeIcon('M12 3v18', [
  [5, 6, 14, 4],
  [8, 14, 8, 4],
])
export const AlignRightIcon = arrangeIcon('M20 3v18', [
  [5, 6, 12, 4],
  [10, 14, 7, 4],
])
export const AlignTopIcon = arrangeIcon('M3 4h18', [
  [6, 7, 4, 12],
  [14, 7, 4, 7],
])
export const AlignMiddleIcon = arrangeIcon('M3 12h18', [
  [6, 5, 4, 14],
  [14, 8, 4, 8],
])
export const AlignBottomIcon = arrangeIcon('M3 20h18', [
  [6, 5, 4, 12],
  [14, 10, 4, 7],
])
export const DistributeHorizontallyIcon = arrangeIcon('M3 4v16M21 4v16', [[9, 7, 6, 10]])
export const DistributeVerticallyIcon = arrangeIcon('M4 3h16M4 21h16', [[7, 9, 10, 6]])
