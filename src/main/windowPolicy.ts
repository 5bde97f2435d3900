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

/**
 * Whether a page's request to join a session needs the user's yes in a native dialog first. The own page's Join
 * panel is the app's own code acting on a click: no. A joined page is another computer's code: it may take the
 * window to a host the user already trusts, and to any other one only if the user says so, since joining adds
 * that host to the trusted pages.
 */
export function joinNeedsConsent(callerUrl: string, targetOrigin: string, pages: TrustedPages): boolean {
  const caller = originOf(callerUrl)
  if (caller !== undefined && caller === pages.ownOrigin) return false
  return targetOrigin !== pages.ownOrigin && !pages.joinedOrigins.has(targetOrigin)
}

/** What became of a page's request for a new window. */
export type LinkOutcome = 'opened' | 'declined' | 'refused' | 'busy'

/**
 * New windows, the rule: a page never opens one; an http or https link it asks for is shown to the user in a
 * native dialog and opens in their browser only if they say yes. One question at a time: requests while a
 * question is open are dropped, so a page cannot stack dialogs. Electron does not say whether a click caused the
 * request, so the dialog is the user's action for every link, the own page's included.
 */
export class LinkConsent {
  private asking = false

  constructor(
    private readonly ask: (link: string) => Promise<boolean>,
    private readonly open: (link: string) => Promise<void> | void,
  ) {}

  /** Handles one request for a new window on `url`; resolves when the user has answered (or at once). */
  async request(url: string): Promise<LinkOutcome> {
    const link = externalLink(url)
    if (!link) return 'refused'
    if (this.asking) return 'busy'
    this.asking = true
    try {
      if (!(await this.ask(link))) return 'declined'
      await this.open(link)
      return 'opened'
    } finally {
      this.asking = false
    }
  }
}
