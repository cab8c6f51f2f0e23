// The start-up floor of the HTTP framework NORA is built on: fastify with the two routes the
// start-up bench polls and nothing else, bundled like NORA (scripts/bench/startup.mjs builds it
// with esbuild and runs it on the pinned Node with the binary's V8 flags). Port in argv[2].
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/v2/', async () => ({}));
app.get('/health', async () => ({ status: 'ok' }));
void app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) });
