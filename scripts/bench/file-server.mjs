// The blob-pull yardstick of bench:oci: a minimal Node file server, what "Node streaming a file"
// costs with nothing else in the way. Every GET answers the whole file given on the command line.
// Usage: node scripts/bench/file-server.mjs FILE PORT
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';

const [file, port] = process.argv.slice(2);
const size = statSync(file).size;
http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
  createReadStream(file).pipe(response);
}).listen(Number(port), '127.0.0.1');
