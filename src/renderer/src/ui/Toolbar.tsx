import type { ReactNode } from 'react'
import { TOOL_COMMANDS, toolCommandId } from '../../../shared/commands'
import type { CommandRunner } from '../commands/runner'
import type { Tool } from '../tools/tool'
import { LockIcon } from './icons'
import './Toolbar.css'

export interface ToolbarProps {
  tool: Tool
  /** The tool lock (Q) is on: shapes, text and notes keep their tool. */
  toolLocked: boolean
  commands: CommandRunner
}

/** One toolbar button of a command: its icon, its tooltip naming its keys, disabled when the command is. */
function CommandButton({
  commands,
  id,
  active,
  icon,
}: {
  commands: CommandRunner
  id: string
  active?: boolean
  /** In place of the command's icon (one that shows a state). */
  icon?: ReactNode
}) {
  const command = commands.command(id)
  const enabled = commands.enabled(id)
  const title = commands.title(id)
  // A tool a viewer cannot pick says why (undo and redo are simply greyed).
  const why = !enabled && active !== undefined ? `${title} — viewing only` : title
  return (
    <button
      type="button"
      className={`icon-button${active ? ' active' : ''}`}
      data-testid={id}
      data-command={id}
      title={why}
      aria-label={active === undefined ? command.label : title}
      aria-pressed={active}
      disabled={!enabled}
      onClick={() => commands.run(id)}
    >
      {icon ?? command.icon}
    </button>
  )
}

/**
 * The floating toolbar, from the command list: the tool lock (Q, as Excalidraw puts it first), every tool (letters as in Excalidraw and tldraw, digits in
 * Excalidraw's order), then undo and redo. Colours and widths are in the style panel.
 */
export function Toolbar({ tool, toolLocked, commands }: ToolbarProps) {
  return (
    <div className="toolbar panel" role="toolbar" aria-label="Tools">
      <div className="group">
        <CommandButton
          commands={commands}
          id="tool-lock"
          active={toolLocked}
          icon={<LockIcon open={!toolLocked} />}
        />
      </div>
      <div className="separator lock-separator" />
      <div className="group">
        {TOOL_COMMANDS.map((t) => (
          <CommandButton
            key={t.tool}
            commands={commands}
            id={toolCommandId(t.tool)}
            active={tool === t.tool}
          />
        ))}
      </div>
      <div className="separator" />
      <div className="group">
        <CommandButton commands={commands} id="undo" />
        <CommandButton commands={commands} id="redo" />
      </div>
    </div>
  )
}
