import { describe, expect, it } from 'vitest'
import { placeBoard, placeSession, WindowRegistry } from '../../src/main/windowRegistry'
import { CASCADE_STEP, cascadeWindow } from '../../src/main/windowState'

describe('which window a board goes to (one window per board)', () => {
  const windows = [
    { id: 1 },
    { id: 2, boardPath: '/b/Plan.lanvas' },
    { id: 3, boardPath: '/b/Other.lanvas' },
    { id: 4, sessionOrigin: 'http://192.168.1.9:47800' },
  ]

  it('brings the window already showing the board to the front, whoever asks', () => {
    expect(placeBoard('/b/x/../Plan.lanvas', windows)).toEqual({ focus: 2 })
    expect(placeBoard('/b/Plan.lanvas', windows, 3)).toEqual({ focus: 2 })
  })

  it('opens a board in the window that asked for it (its start screen, its Open dialog)', () => {
    expect(placeBoard('/b/New.lanvas', windows, 3)).toEqual({ load: 3 })
  })

  it('opens a board the system or the menu asks for in a new window, so no window loses its board', () => {
    expect(placeBoard('/b/New.lanvas', windows)).toEqual({ create: true })
    expect(placeBoard('/b/New.lanvas', [])).toEqual({ create: true })
    // A window that closed meanwhile cannot take it.
    expect(placeBoard('/b/New.lanvas', windows, 9)).toEqual({ create: true })
  })

  it('matches case as the platform does', () => {
    expect(placeBoard('/b/plan.lanvas', windows, undefined, 'win32')).toEqual({ focus: 2 })
    expect(placeBoard('/b/plan.lanvas', windows, undefined, 'darwin')).toEqual({ focus: 2 })
    expect(placeBoard('/b/plan.lanvas', windows, undefined, 'linux')).toEqual({ create: true })
  })

  it('brings the window already in a session to the front; a link opens a new one; a window joins itself', () => {
    expect(placeSession('http://192.168.1.9:47800', windows)).toEqual({ focus: 4 })
    expect(placeSession('http://192.168.1.20:47800', windows)).toEqual({ create: true })
    expect(placeSession('http://192.168.1.20:47800', windows, 1)).toEqual({ load: 1 })
  })
})

describe('the windows the app keeps', () => {
  const win = (id: number) => ({ id })
  const paths: Record<string, string> = { a: '/b/A.lanvas', b: '/b/B.lanvas' }
  const pathOf = (id: string) => paths[id]

  it('lists what each window shows, the one last in front first, with the board files as of now', () => {
    const windows = new WindowRegistry<{ id: number }>()
    windows.add(win(1), { boardId: 'a' })
    windows.add(win(2), { boardId: 'b' })
    windows.add(win(3), { sessionOrigin: 'http://10.0.0.2:47800' })
    windows.focused(1)
    expect(windows.front()?.id).toBe(1)
    expect(windows.list(pathOf)).toEqual([
      { id: 1, boardPath: '/b/A.lanvas' },
      { id: 3, sessionOrigin: 'http://10.0.0.2:47800' },
      { id: 2, boardPath: '/b/B.lanvas' },
    ])
    // Save As moves a board to another file: the list follows it.
    paths.b = '/b/B copy.lanvas'
    expect(placeBoard('/b/B copy.lanvas', windows.list(pathOf))).toEqual({ focus: 2 })
    paths.b = '/b/B.lanvas'
  })

  it('follows a window to another board and forgets a closed one', () => {
    const windows = new WindowRegistry<{ id: number }>()
    windows.add(win(1), { boardId: 'a' })
    windows.add(win(2), { boardId: 'b' })
    windows.show(1, { sessionOrigin: 'http://10.0.0.2:47800' })
    expect(placeBoard('/b/A.lanvas', windows.list(pathOf))).toEqual({ create: true })
    windows.remove(2)
    expect(windows.front()?.id).toBe(1)
    expect(windows.get(2)).toBeUndefined()
    expect(windows.shows(2)).toBeUndefined()
    windows.remove(1)
    expect(windows.front()).toBeUndefined()
    expect(windows.list(pathOf)).toEqual([])
  })
})

describe('where a further window opens', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1080 }
  it('cascades down and right of the window in front', () => {
    expect(cascadeWindow({ x: 100, y: 80, width: 1000, height: 700 }, [screen])).toEqual({
      x: 100 + CASCADE_STEP,
      y: 80 + CASCADE_STEP,
      width: 1000,
      height: 700,
    })
  })
  it('goes back to the top left of that screen when the next step would leave it', () => {
    const right = { x: 1920, y: 0, width: 1280, height: 1024 }
    expect(cascadeWindow({ x: 2190, y: 300, width: 1000, height: 700 }, [screen, right])).toEqual({
      x: 1920,
      y: 0,
      width: 1000,
      height: 700,
    })
  })
})
