/**
 * The native dialogs that stand for the user's yes when a page asks for something a page alone may not decide
 * (src/main/windowPolicy.ts says when). A page cannot draw these or click them.
 */
import { type BrowserWindow, dialog } from 'electron'

function hostOf(origin: string): string {
  try {
    return new URL(origin).host
  } catch {
    return origin
  }
}

/** Asks whether to open a link a page wants opened, in the user's browser; the answer is no unless they pick yes. */
export async function askToOpenLink(win: BrowserWindow | undefined, link: string): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: `${link.slice(0, 500)}\n\nThe board page asked to open it. Open it only if you clicked a link you trust.`,
  }
  const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
  return answer.response === 0
}

/** Asks whether a joined page may take the window to another session (which then becomes a trusted page). */
export async function askToJoin(
  win: BrowserWindow,
  targetOrigin: string,
  callerOrigin: string,
): Promise<boolean> {
  const answer = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Join', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Join the session at ${hostOf(targetOrigin)}?`,
    detail: `The page of the session at ${hostOf(callerOrigin)} asks to open it. Join only if you picked it yourself.`,
  })
  return answer.response === 0
}

/** Asks whether to join the session a lanvas: link names; any web page or program can send such a link. */
export async function askToJoinLink(win: BrowserWindow | undefined, targetOrigin: string): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Join', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Join the session at ${hostOf(targetOrigin)}?`,
    detail: 'A Lanvas link asks to open it. Join only if you clicked a link from someone you know.',
  }
  const answer = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options)
  return answer.response === 0
}
