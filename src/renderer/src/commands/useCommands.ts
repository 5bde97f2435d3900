import { useEffect, useMemo, useRef } from 'react'
import type { Bridge } from '../bridge'
import type { CommandContext } from './command'
import { type CommandRunner, commandRunner } from './runner'
import { isTyping } from './typing'

/** A text field's own editing commands, which the desktop menu's Undo, Redo and Select all reach while it has focus. */
const FIELD_COMMANDS: Record<string, string> = { undo: 'undo', redo: 'redo', 'select-all': 'selectAll' }

/**
 * The app's commands for this page: the one keydown listener of the window (no shortcut fires while typing in a
 * field), Space held as the hand, and the desktop menu's items (app only).
 */
export function useCommands(ctx: CommandContext, bridge: Bridge, releaseHand: () => void): CommandRunner {
  const latest = useRef(ctx)
  latest.current = ctx
  const release = useRef(releaseHand)
  release.current = releaseHand
  const runner = useMemo(() => commandRunner(() => latest.current), [])

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return
      if (runner.press(e)) e.preventDefault()
    }
    const onKeyUp = (e: KeyboardEvent) => {
      if (e.code === 'Space') release.current()
    }
    const onBlur = () => release.current()
    window.addEventListener('keydown', onKeyDown)
    window.addEventListener('keyup', onKeyUp)
    window.addEventListener('blur', onBlur)
    return () => {
      window.removeEventListener('keydown', onKeyDown)
      window.removeEventListener('keyup', onKeyUp)
      window.removeEventListener('blur', onBlur)
    }
  }, [runner])

  useEffect(
    () =>
      bridge.onMenuCommand?.((id) => {
        const field = FIELD_COMMANDS[id]
        if (field && isTyping(document.activeElement)) document.execCommand(field)
        else if (runner.has(id)) runner.run(id)
      }),
    [bridge, runner],
  )
  return runner
}
