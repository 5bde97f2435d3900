/**
 * The window's title: the board's name, marked while the host has not saved this person's edits (it cannot
 * write, or it is away), then the app's name. The desktop window takes the page's title as its own.
 */
export function windowTitle(boardName: string, unsaved: boolean): string {
  const name = boardName.trim()
  return `${unsaved ? '• ' : ''}${name ? `${name} — ` : ''}Lanvas`
}
