// Servers for the infra suite: the app (a child Node process), a real nginx in front of it, and
// HTTP over curl. Everything on free 127.0.0.1 ports, in temporary directories, stopped afterwards.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));

/** A port the kernel just handed out on 127.0.0.1 (closed again before use: bind failures retry). */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** The session payload of `bytes` characters: deterministic, so a read can check it exactly. */
export function payload(bytes) {
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += `${i.toString(36)}-`;
  return text.slice(0, bytes);
}

/**
 * Starts app.mjs in its own Node process (so Node's own head limit is the real one) with the
 * session options in `config` (JSON). Resolves once it listens; `stop()` ends it.
 */
export async function startApp(config, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, join(here, 'app.mjs')], {
    env: { ...process.env, APP_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}

/**
 * A real nginx with a default-style reverse-proxy configuration: `proxy_pass` and nothing else, so
 * proxy_buffer_size (4k), large_client_header_buffers (4 8k) are nginx's defaults. Own prefix,
 * temp paths, pid and logs in a temporary directory; never the system service.
 */
export async function startNginx(upstreamPort, extra = '') {
  const dir = await mkdtemp(join(tmpdir(), 'ss-nginx-'));
  const port = await freePort();
  const conf = `
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    ${extra}
    location / { proxy_pass http://127.0.0.1:${upstreamPort}; }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const child = spawn('nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf'), '-g', 'daemon off; user root;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  // Ready when it answers (any status): bounded to 100 tries.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    try {
      await fetch(`http://127.0.0.1:${port}/health`);
      break;
    } catch (error) {
      if (i === 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        await once(child, 'exit');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One request with curl and a cookie jar file (curl's own cookie engine, as a user's script
 * would), returning the status and body. `--max-time` bounds it.
 */
export async function curl(url, jar) {
  const { stdout } = await run('curl', ['-sS', '--max-time', '10', '-b', jar, '-c', jar, '-o', '-', '-w', '\n%{http_code}', url], {
    maxBuffer: 1 << 20,
  });
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

/** The flags the brief gives for Chromium in CI: headless, no sandbox (root in a container), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A real Chromium (Debian's), driven by playwright-core with a fresh profile. */
export async function startChromium() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 60_000 });
  return browser;
}

/** GET `url` in `page`; the status and the JSON body (or the text). */
export async function visit(page, url) {
  const response = await page.goto(url, { timeout: 20_000 });
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = { text }; }
  return { status: response.status(), body };
}

/** A fresh curl cookie jar file in its own temporary directory. */
export async function curlJar() {
  return join(await mkdtemp(join(tmpdir(), 'ss-jar-')), 'jar');
}

export const SECRET_1 = 'integration-infra-secret-key-one-0123456789';
export const SECRET_2 = 'integration-infra-secret-key-two-0123456789';
