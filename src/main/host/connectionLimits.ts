import { isIPv4 } from 'node:net'

/** Whether a remote address is this computer (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
  if (isIPv4(v4)) return v4.startsWith('127.')
  return address === '::1'
}
