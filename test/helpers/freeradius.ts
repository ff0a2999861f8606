/**
 * Debian's FreeRADIUS as a proxy in front of Pforte, as many sites already run it: a
 * raddb of its own in a temporary folder (the realm DEFAULT sent to one home server),
 * started in the foreground (-X) on a free port, ready when it says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export interface FreeRadius {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startFreeRadiusProxy(options: {
  /** The secret radclient shares with FreeRADIUS. */
  clientSecret: string;
  homePort: number;
  /** The secret FreeRADIUS shares with Pforte. */
  homeSecret: string;
}): Promise<FreeRadius> {
  const dir = mkdtempSync(join(tmpdir(), 'pforte-freeradius-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'radiusd.conf'),
    `prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = ${dir}
sbindir = /usr/sbin
logdir = ${dir}
raddbdir = ${dir}
radacctdir = ${dir}
name = freeradius
confdir = ${dir}
run_dir = ${dir}
libdir = /usr/lib/freeradius
pidfile = ${dir}/radiusd.pid
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
proxy_requests = yes
log {
  destination = stdout
}
security {
  allow_core_dumps = no
}
thread pool {
  start_servers = 1
  max_servers = 4
  min_spare_servers = 1
  max_spare_servers = 4
}
modules {
}
$INCLUDE clients.conf
$INCLUDE proxy.conf
server default {
  listen {
    type = auth
    ipaddr = 127.0.0.1
    port = ${port}
  }
  authorize {
    update control {
      &Proxy-To-Realm := "pforte"
    }
  }
  authenticate {
  }
}
`,
  );
  writeFileSync(
    join(dir, 'clients.conf'),
    `client radclient {
  ipaddr = 127.0.0.1
  secret = ${options.clientSecret}
  require_message_authenticator = no
}
`,
  );
  writeFileSync(
    join(dir, 'proxy.conf'),
    `proxy server {
  default_fallback = no
}
home_server pforte {
  type = auth
  ipaddr = 127.0.0.1
  port = ${options.homePort}
  secret = ${options.homeSecret}
  response_window = 10
  status_check = none
}
home_server_pool pforte {
  type = fail-over
  home_server = pforte
}
realm pforte {
  auth_pool = pforte
  nostrip
}
realm DEFAULT {
  auth_pool = pforte
  nostrip
}
`,
  );
  writeFileSync(join(dir, 'dictionary'), '');
  const child: ChildProcess = spawn('/usr/sbin/freeradius', ['-X', '-d', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (output.includes('Ready to process requests')) resolve();
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`freeradius exited (${code}):\n${output}`)));
  });
  return {
    port,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
