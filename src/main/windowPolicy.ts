/**
 * What the app window may do: where it may navigate, which links go to the user's browser, which permissions
 * a page gets. Pure, without Electron, so that tests check it; src/main/index.ts applies it.
 */

/**
 * The window's web preferences apart from its preload: sandboxed and isolated, without Node in the page, its
 * workers or its frames, with web security on, and no webviews, insecure content or experimental features.
 */
export const webPreferences = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  // A middle click on a link would open a window; the middle button pans the board instead.
  disableBlinkFeatures: 'Auxclick',
} as const

function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}

/** The pages the window may show: the own host's, and the hosts of sessions the user chose to join. */
export interface TrustedPages {
  /** http://127.0.0.1:PORT of the own host; undefined before it runs. */
  ownOrigin: string | undefined
  /** Origins of the hosts the user joined through the Join panel or a join link. */
  joinedOrigins: ReadonlySet<string>
}

/** Whether a URL belongs to the own host or to a host the user chose to join. */
export function isTrustedPage(url: string, pages: TrustedPages): boolean {
  const origin = originOf(url)
  if (!origin) return false
  return origin === pages.ownOrigin || pages.joinedOrigins.has(origin)
}

/**
 * The address to give the user's browser when a page opens a link in a new window: http and https only, so a
 * page can never make the system open a file, a share or another app's URL scheme. Undefined: open nothing.
 */
export function externalLink(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/**
 * Whether a page gets a permission. Everything is refused (camera, microphone, location, notifications,
 * MIDI, HID, serial, USB, pointer lock, reading the clipboard...) except writing a sanitized image or text to
 * the clipboard, which Copy image and Copy link need, and only for Lanvas pages.
 */
export function allowPermission(permission: string, requestingUrl: string, pages: TrustedPages): boolean {
  return permission === 'clipboard-sanitized-write' && isTrustedPage(requestingUrl, pages)
}
