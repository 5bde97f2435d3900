import { newSecret } from '../src/main/host/access'
import { tokenWeakness } from '../src/main/host/tokenStrength'

/**
 * A join token for a bench's share: fresh, as the host makes them, and one the strength check takes (a chosen
 * token is checked, and a random one now and then holds a run like "abcd").
 */
export function benchToken(): string {
  for (;;) {
    const token = newSecret()
    if (!tokenWeakness(token)) return token
  }
}
