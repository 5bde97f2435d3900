import { type KeyPress, keysOf, matchesShortcut } from '../../../shared/commands'
import { APP_COMMANDS, appCommand } from './appCommands'
import type { Command, CommandContext, Trigger } from './command'
import { commandTitle } from './title'

/** The app's commands bound to the page's current state: what buttons, menus and keys call. */
export interface CommandRunner {
  command(id: string): Command
  /** Whether there is a command with this id (the desktop menu's ids come from another process). */
  has(id: string): boolean
  enabled(id: string): boolean
  /** Runs a command if it is enabled now. */
  run(id: string, trigger?: Trigger): void
  title(id: string): string
  /** The page's state now, for a caller that adds to it (the context menu's locked element). */
  context(): CommandContext
  /** A key press: runs every enabled command it is a key of; returns whether the key was taken from the browser. */
  press(e: KeyPress & { repeat: boolean }): boolean
}

/** A runner that reads the context afresh for every call (`latest` returns the page's state now). */
export function commandRunner(latest: () => CommandContext): CommandRunner {
  const enabled = (c: Command) => c.enabledWhen(latest())
  return {
    command: appCommand,
    has: (id) => APP_COMMANDS.some((c) => c.id === id),
    enabled: (id) => enabled(appCommand(id)),
    run(id, trigger = { shift: false }) {
      const c = appCommand(id)
      if (enabled(c)) c.perform(latest(), trigger)
    },
    title: (id) => commandTitle(appCommand(id)),
    context: latest,
    press(e) {
      let taken = false
      for (const c of APP_COMMANDS) {
        if (c.keyboard === false || !keysOf(c).some((s) => matchesShortcut(e, s))) continue
        const on = enabled(c)
        // A disabled command's Ctrl/Cmd key is still kept from the browser (Ctrl+O, Ctrl+D would open its dialogs).
        if (!on && !(e.ctrlKey || e.metaKey)) continue
        taken = true
        if (on && !(c.once && e.repeat)) c.perform(latest(), { shift: e.shiftKey })
      }
      return taken
    },
  }
}
