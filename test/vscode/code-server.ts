// Starts and stops code-server (a real VS Code workbench served to a browser) for the end-to-end
// suite: a free loopback port, a fresh user-data-dir and extensions-dir per run, the VSIX
// installed into it. The server runs in its own process group so that stopping it also ends the
// extension host and the other processes it spawned.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..');
export const codeServerEntry = join(repoRoot, '.cache', 'code-server', 'package', 'out', 'node', 'entry.js');

/** Runs the cached set-up script (a no-op when already done) and returns the server entry point. */
export function ensureCodeServer(): string {
  if (existsSync(codeServerEntry) && existsSync(join(repoRoot, '.cache', 'code-server', 'installed-4.100.3'))) return codeServerEntry;
  const r = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-code-server.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(codeServerEntry)) throw new Error('scripts/setup-code-server.sh failed');
  return codeServerEntry;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Profile {
  /** Root of this run's scratch folders. */
  dir: string;
  userDataDir: string;
  extensionsDir: string;
}

/** A fresh user-data-dir (settings that skip the trust dialog and welcome page) and extensions-dir. */
export function freshProfile(settings: Record<string, unknown> = {}): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'nanguard-e2e-'));
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'editor.minimap.enabled': false,
        'editor.hover.delay': 300,
        'files.autoSave': 'off',
        'window.restoreWindows': 'none',
        'chat.commandCenter.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        ...settings,
      },
      null,
      2,
    ),
  );
  return { dir, userDataDir, extensionsDir };
}

export function installVsix(profile: Profile, vsix: string): void {
  const r = spawnSync(
    process.execPath,
    [ensureCodeServer(), '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (r.status !== 0 || !/was successfully installed/.test(r.stdout + r.stderr)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
}

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

/** Starts code-server on a free loopback port and resolves once it answers HTTP. */
export interface ServerOptions {
  /** Keep VS Code's workspace trust on (a restricted workspace until the user trusts it). Off by default. */
  workspaceTrust?: boolean;
}

export async function startCodeServer(profile: Profile, workspace: string, logFile: string, options: ServerOptions = {}): Promise<RunningServer> {
  const port = await freeLoopbackPort();
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [
      ensureCodeServer(),
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', profile.userDataDir,
      '--extensions-dir', profile.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      workspace,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' } },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  // If the test runner is interrupted, the server (a separate process group) must not outlive it.
  const killGroup = (): void => {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already stopped */ }
  };
  if (child.pid !== undefined) process.once('exit', killGroup);

  const stop = async (): Promise<void> => {
    if (exited || child.pid === undefined) return;
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exitedPromise;
    clearTimeout(timer);
    // Children that outlived the server process (extension host) share its process group.
    killGroup();
    process.removeListener('exit', killGroup);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up; see ${logFile}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { await stop(); throw new Error(`code-server did not answer within 60 s; see ${logFile}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, process: child, logFile, stop };
}

export function removeProfile(profile: Profile): void {
  rmSync(profile.dir, { recursive: true, force: true });
}
