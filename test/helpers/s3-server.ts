// A real S3-compatible server for integration tests: s3rver on 127.0.0.1, an OS-chosen port,
// its own temp directory and a fresh bucket per start. stop() ends it and removes the directory.
//
// It runs as a child process with --openssl-legacy-provider: s3rver encrypts ListObjectsV2
// continuation tokens with DES, which Node's OpenSSL 3 refuses without that provider (every
// truncated listing would be a 500). A child also keeps its synchronous directory walks off
// the test's event loop.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

export async function startS3Server(): Promise<S3TestServer> {
  const cli = createRequire(__filename).resolve('s3rver/bin/s3rver.js');
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'nora-s3rver-'));
  const bucket = `nora-test-${randomUUID().slice(0, 8)}`;
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', cli, '--directory', directory, '--address', '127.0.0.1', '--port', '0', '--silent', '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await fs.rm(directory, { recursive: true, force: true });
  };

  try {
    // The CLI prints "S3rver listening on <address>:<port>" once it listens: port 0's choice.
    const port = await new Promise<number>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`s3rver did not start:\n${output}`)), START_TIMEOUT_MS);
      const onData = (data: Buffer) => {
        output += data.toString();
        const match = /listening on [\d.]+:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited with ${code}:\n${output}`));
      });
    });
    return {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region: 'us-east-1',
      // s3rver's fixed account: it checks signatures made with this key pair.
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
