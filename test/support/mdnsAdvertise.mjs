// A raw announcer, as anyone on the network could run: publishes the Lanvas services given as JSON in argv[2]
// ([{ instance, port, txt }]) with bonjour-service, untouched by Lanvas's own checks, until it is killed.
import { Bonjour } from 'bonjour-service'

const services = JSON.parse(process.argv[2] ?? '[]')
const bonjour = new Bonjour()
for (const s of services) bonjour.publish({ name: s.instance, type: 'lanvas', port: s.port, txt: s.txt })
process.stdout.write('published\n')
process.on('SIGTERM', () => bonjour.unpublishAll(() => bonjour.destroy(() => process.exit(0))))
