// A real SMTP server on loopback for tests: Debian's python3-aiosmtpd with
// its Debugging handler, which prints every mail it receives to stdout.
//
//   const smtp = await startSmtp();   // smtp.url -> 'smtp://127.0.0.1:PORT'
//   const [, link] = await smtp.waitForMail(/token=(\S+)/);
//   smtp.mails();                     // everything received so far
//   smtp.stop();
//   const again = await startSmtp(smtp.port);   // back on the same port
//   freeSmtpPort();                    // a port for a server not started yet
import { spawn } from 'node:child_process';
import net from 'node:net';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolvePort) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** A free loopback port: for a server that is down now and started later. */
export const freeSmtpPort = freePort;

function listening(port) {
  return new Promise((r) => {
    const s = net.connect(port, '127.0.0.1', () => (s.destroy(), r(true)));
    s.on('error', () => r(false));
  });
}

/** Starts the server; on `port` when given (a server "back" where it was). */
export async function startSmtp(port = undefined) {
  port ??= await freePort();
  // The python3 first on PATH may lack aiosmtpd: use Debian's.
  const proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`], {
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let mails = '';
  proc.stdout.on('data', (d) => (mails += d));
  proc.stderr.on('data', (d) => (mails += d));
  for (let i = 0; !(await listening(port)); i++) {
    if (i > 100) {
      proc.kill();
      throw new Error(`SMTP server not listening on ${port}: ${mails}`);
    }
    await sleep(100);
  }
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails: () => mails,
    /** Resolves to the first match of `pattern` in the mails received. */
    async waitForMail(pattern, timeoutMs = 15_000) {
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(100)) {
        const m = mails.match(pattern);
        if (m) return m;
      }
      throw new Error(`no mail matching ${pattern}:\n${mails}`);
    },
    stop: () => proc.kill(),
  };
}
