/** One command-line argument: the flag's name (without an `=value`), and how to read its value. */
export interface CliArg {
  arg: string
  name: string
  /** The value written as `--flag=value`, if it was. */
  inline: string | undefined
  /** The flag's value, inline or the next argument; throws `fail`'s error when there is none. */
  value(): string
}

/** Walks command-line arguments written as `--flag value` or `--flag=value` (the host's and export's CLIs). */
export function* cliArgs(args: readonly string[], fail: (message: string) => Error): Generator<CliArg> {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    const eq = arg.indexOf('=')
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined
    const value = (): string => {
      if (inline !== undefined) return inline
      const next = args[i + 1]
      if (next === undefined || next.startsWith('--')) throw fail(`${name} needs a value.`)
      i++
      return next
    }
    yield { arg, name, inline, value }
  }
}
