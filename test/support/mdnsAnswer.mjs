// Asks the network for Lanvas sessions (an mDNS PTR query, every 500 ms) and exits 0 on the first *answer* to
// it: a response whose answers are PTR records alone. An unsolicited announcement carries SRV, TXT and A
// records among its answers too, so it does not count: only a responder that hears queries gets through.
import multicastDns from 'multicast-dns'

const SERVICE = '_lanvas._tcp.local'
const seconds = Number(process.argv[2] ?? 5)
const mdns = multicastDns()
mdns.on('response', (packet) => {
  const answers = packet.answers ?? []
  if (answers.length > 0 && answers.every((a) => a.type === 'PTR' && a.name === SERVICE)) {
    process.stdout.write(`${JSON.stringify(answers.map((a) => a.data))}\n`)
    mdns.destroy()
    process.exit(0)
  }
})
const ask = () => mdns.query([{ name: SERVICE, type: 'PTR' }])
ask()
setInterval(ask, 500)
setTimeout(() => {
  mdns.destroy()
  process.exit(1)
}, seconds * 1000)
