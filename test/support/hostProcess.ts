import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { builtFile } from './built'

const CLI = builtFile('main/cli.js')

/** A headless host started as `npm run host` starts it: a real process on loopback. */
export interface HostProcess {
  url: string
  port: number
  process: ChildProcess
  output: () => string
  /** Ends the host as Ctrl+C would (it saves first) and waits for it to exit. */
  stop: () => Promise<number | null>
}

/**
 * Starts the built host CLI with the given arguments and resolves once it prints its address (or, for a
 * follower, which prints none until it takes over, once its output matches `ready`). `cli`: another build's
 * (a bench's before/after); `nodeArgs`: flags for node itself (a bench's `--cpu-prof`); `env`: its environment (a
 * bench's data folder).
 */
export async function startHostProcess(
  args: string[],
  ready?: RegExp,
  cli = CLI,
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<HostProcess> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does).`)
  const child = spawn(process.execPath, [...nodeArgs, cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  })
  let out = ''
  const url = await new Promise<string>((ok, fail) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      if (ready?.test(out)) ok('')
      const match = /http:\/\/\S+/.exec(out)
      if (match && !ready) ok(match[0].endsWith('/') ? match[0] : `${match[0]}/`)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('exit', (code) => fail(new Error(`host exited with ${code} before it was ready:\n${out}`)))
  })
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)))
  return {
    url,
    port: url ? Number(new URL(url).port) : 0,
    process: child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
