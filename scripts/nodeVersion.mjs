// Which Node the Electron tools need. Lanvas itself (the host, the tests, the build) runs on Node 20.19 or newer
// (package.json engines); only fetching Electron's binary (`npm start`, first time) and packaging (`npm run dist`)
// go through @electron/get, @electron/rebuild and node-abi, which ask for Node 22.12 or newer.

/** The Node version the Electron download and packaging tools ask for (their package.json engines). */
export const ELECTRON_TOOLS_NODE = '22.12.0'

/** Whether `version` (as in process.versions.node) is at least `wanted`. */
export function atLeast(version, wanted) {
  const a = version.split('.').map(Number)
  const b = wanted.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return true
}

/** One line saying `what` needs a newer Node, or undefined when this Node is new enough. */
export function electronToolsProblem(what, version = process.versions.node) {
  if (atLeast(version, ELECTRON_TOOLS_NODE)) return undefined
  return `${what} needs Node ${ELECTRON_TOOLS_NODE} or newer for Electron's download and packaging tools (this is Node ${version}); the host, the tests and the build run on this one: \`npm run host\` opens the board in a browser.`
}
