// The Electron shell's security settings, checked without Electron (it does not run here): the pure window
// policy and web preferences, the source of the page lock-down, the packaged app's fuses and the page's CSP.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import {
  allowPermission,
  externalLink,
  isTrustedPage,
  joinNeedsConsent,
  LinkConsent,
  type TrustedPages,
  webPreferences,
} from '../../src/main/windowPolicy'

const root = new URL('../../', import.meta.url)
const text = (path: string) => readFile(new URL(path, root), 'utf8')

const pages: TrustedPages = {
  ownOrigin: 'http://127.0.0.1:41000',
  joinedOrigins: new Set(['http://192.168.1.20:47800']),
}

describe('the window policy', () => {
  it.each([
    ['http://127.0.0.1:41000/#board=abc', true],
    ['http://192.168.1.20:47800/#join=token', true],
    ['http://127.0.0.1:41001/', false],
    ['http://localhost:41000/', false],
    ['https://127.0.0.1:41000/', false],
    ['http://192.168.1.21:47800/', false],
    ['file:///etc/passwd', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(isTrustedPage(url, pages)).toBe(allowed)
  })

  it('trusts nothing before the own host runs', () => {
    expect(isTrustedPage('http://127.0.0.1:41000/', { ownOrigin: undefined, joinedOrigins: new Set() })).toBe(
      false,
    )
  })

  it.each([
    ['https://example.org/help', 'https://example.org/help'],
    ['http://192.168.1.20:47800/', 'http://192.168.1.20:47800/'],
    ['file:///home/me/.ssh/id_rsa', undefined],
    ['smb://server/share', undefined],
    ['javascript:alert(1)', undefined],
    ['ms-settings:privacy', undefined],
    ['vscode://file/etc/passwd', undefined],
    ['', undefined],
  ])('a new window for %s goes to the browser as %s', (url, opened) => {
    expect(externalLink(url)).toBe(opened)
  })

  it.each([
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'pointerLock',
    'fullscreen',
    'openExternal',
    'clipboard-read',
    'hid',
    'serial',
    'usb',
    'display-capture',
    'idle-detection',
    'storage-access',
  ])('refuses the permission %s, even to the own page', (permission) => {
    expect(allowPermission(permission, 'http://127.0.0.1:41000/', pages)).toBe(false)
  })

  it('lets Lanvas pages write to the clipboard (Copy image, Copy link), and nobody else', () => {
    expect(allowPermission('clipboard-sanitized-write', 'http://127.0.0.1:41000/', pages)).toBe(true)
    expect(allowPermission('clipboard-sanitized-write', 'http://192.168.1.20:47800/', pages)).toBe(true)
    expect(allowPermission('clipboard-sanitized-write', 'http://evil.example/', pages)).toBe(false)
    expect(allowPermission('clipboard-sanitized-write', '', pages)).toBe(false)
  })
})

describe('the web preferences of the window (src/main/windowPolicy.ts)', () => {
  it('keep the renderer sandboxed and isolated, without Node', () => {
    expect(webPreferences).toMatchObject({
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
      disableBlinkFeatures: 'Auxclick',
    })
    expect(Object.keys(webPreferences)).not.toContain('enableBlinkFeatures')
    // The preload is the window's own (a path only index.ts knows); nothing here may replace it.
    expect(Object.keys(webPreferences)).not.toContain('preload')
  })
})

describe('what needs the user (issue 10, item 16)', () => {
  it.each([
    [
      'the own page joins what the person picked',
      'http://127.0.0.1:41000/',
      'http://192.168.1.30:47800',
      false,
    ],
    [
      'a joined page goes back to its own host',
      'http://192.168.1.20:47800/',
      'http://192.168.1.20:47800',
      false,
    ],
    [
      'a joined page takes the window to its host app',
      'http://192.168.1.20:47800/',
      'http://127.0.0.1:41000',
      false,
    ],
    ['a joined page adds a new host', 'http://192.168.1.20:47800/', 'http://192.168.1.30:47800', true],
    ['a page of no origin', '', 'http://192.168.1.30:47800', true],
    ['the own host on another port', 'http://127.0.0.1:41001/', 'http://192.168.1.30:47800', true],
  ])('joining: %s, asks the user: %s', (_what, caller, target, asks) => {
    expect(joinNeedsConsent(caller, target, pages)).toBe(asks)
  })

  it('opens a link only after a yes, never another scheme, one question at a time', async () => {
    const asked: string[] = []
    const opened: string[] = []
    let answer: (yes: boolean) => void = () => {}
    const links = new LinkConsent(
      (link) => {
        asked.push(link)
        return new Promise((r) => {
          answer = r
        })
      },
      (link) => {
        opened.push(link)
      },
    )
    expect(await links.request('smb://server/share')).toBe('refused')
    const first = links.request('https://example.org/a')
    expect(await links.request('https://example.org/b')).toBe('busy')
    answer(false)
    expect(await first).toBe('declined')
    const second = links.request('https://example.org/c')
    answer(true)
    expect(await second).toBe('opened')
    expect(asked).toEqual(['https://example.org/a', 'https://example.org/c'])
    expect(opened).toEqual(['https://example.org/c'])
  })
})

describe('the window set-up in src/main/index.ts', () => {
  it('gives the window those web preferences, with only its preload added after them', async () => {
    const source = await text('src/main/index.ts')
    expect(source).toMatch(
      /webPreferences: \{\s*\.\.\.webPreferences,\s*(\/\/[^\n]*\s*)*preload: [^\n]*\n\s*\},/,
    )
  })

  it('locks down every web page: new windows denied, navigation and webviews checked, permissions handled', async () => {
    const source = await text('src/main/index.ts')
    expect(source).toContain("app.on('web-contents-created', (_event, contents) => lockDown(contents))")
    expect(source).toContain("return { action: 'deny' }")
    expect(source).toContain("contents.on('will-navigate', stayOnTrustedPages)")
    expect(source).toContain("contents.on('will-redirect', stayOnTrustedPages)")
    expect(source).toContain(
      "contents.on('will-frame-navigate', (event) => stayOnTrustedPages(event, event.url))",
    )
    expect(source).toContain("contents.on('will-attach-webview', (event) => event.preventDefault())")
    expect(source).toMatch(/setPermissionRequestHandler\([^)]*\) =>\s+callback\(allowPermission\(/)
    expect(source).toMatch(/setPermissionCheckHandler\([^)]*\) =>\s+allowPermission\(/)
    // Only the checked link reaches the system's URL handler.
    expect(source.match(/shell\.openExternal\(([^)]*)\)/g)).toEqual(['shell.openExternal(link)'])
  })
})

describe('the packaged app', () => {
  it('sets the Electron fuses, each under a key electron-builder knows', async () => {
    const require = createRequire(import.meta.url)
    const yaml = require('js-yaml') as { load: (s: string) => unknown }
    const config = yaml.load(await text('electron.builder.yml')) as { electronFuses: Record<string, boolean> }
    const scheme = JSON.parse(await text('node_modules/app-builder-lib/scheme.json')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } }
    }
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties)
    for (const key of Object.keys(config.electronFuses)) expect(known).toContain(key)
    expect(config.electronFuses).toEqual({
      // No ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect: the app binary cannot be used as a Node to run code.
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      // Only the signed app.asar is loaded, and checked against its hash.
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      // Pages come over http from the host; file:// gets no extra powers.
      grantFileProtocolExtraPrivileges: false,
    })
  })
})

describe('the page', () => {
  it('carries a strict CSP: own scripts only, no plugins, no base or form targets elsewhere', async () => {
    const html = await text('src/renderer/index.html')
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? ''
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/)
        return [name, values] as const
      }),
    )
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    // The host's header is the stricter policy: 'self' only for this computer's pages, ws: too for guests' pages
    // (so that they can move to the session's next host); both policies apply, so the meta must allow ws:.
    expect(directives.get('connect-src')).toEqual(["'self'", 'ws:'])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(directives.get('base-uri')).toEqual(["'none'"])
    expect(directives.get('form-action')).toEqual(["'none'"])
    expect(csp).not.toMatch(/unsafe-eval|\*/)
  })
})
