/** Polls `check` until it returns a truthy value and returns it; fails with `what` if it never does. */
export async function waitUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
      last = value
    } catch (err) {
      last = err
    }
    if (Date.now() > end) throw new Error(`timed out waiting until ${what} (last: ${String(last)})`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
