// Resolves the `nianbao.server.path` setting to an executable file, the way a
// shell would, so that a missing binary gets a clear message naming what was
// tried instead of the language client's generic "couldn't start" error.
//
// Deliberately free of the `vscode` module: the unit tests in test/unit run it
// under plain Node.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const DEFAULT_SERVER_PATH = 'nianbao';

export interface Resolution {
  /** The setting as given (or the default when it was empty). */
  configured: string;
  /** The absolute path of the executable, when one was found. */
  found?: string;
  /** What was looked at, for the error message: a path, or "PATH". */
  tried: string;
}

export interface Environment {
  /** The `PATH` variable. */
  pathVar?: string;
  /** `PATHEXT` on Windows. */
  pathExt?: string;
  platform?: NodeJS.Platform;
  home?: string;
  /** What a relative path with a directory part is relative to (the first workspace folder). */
  baseDir?: string;
}

function isExecutableFile(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(p).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves `setting`: `~/` is expanded; a value with a directory part is a
 * path (relative ones against `env.baseDir`); a bare name is looked up on
 * `PATH` (with `PATHEXT` on Windows).
 */
export function resolveServerPath(setting: string | undefined, env: Environment = {}): Resolution {
  const platform = env.platform ?? process.platform;
  const home = env.home ?? os.homedir();
  const configured = (setting ?? '').trim() || DEFAULT_SERVER_PATH;
  let value = configured;
  if (value === '~' || value.startsWith('~/') || (platform === 'win32' && value.startsWith('~\\'))) {
    value = path.join(home, value.slice(1));
  }
  const hasDir = value.includes('/') || (platform === 'win32' && value.includes('\\'));
  if (hasDir || path.isAbsolute(value)) {
    const full = path.resolve(env.baseDir ?? process.cwd(), value);
    return { configured, found: isExecutableFile(full, platform) ? full : undefined, tried: full };
  }
  const pathVar = env.pathVar ?? process.env.PATH ?? '';
  const exts =
    platform === 'win32'
      ? ['', ...(env.pathExt ?? process.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e)]
      : [''];
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, value + ext);
      if (isExecutableFile(candidate, platform)) return { configured, found: candidate, tried: 'PATH' };
    }
  }
  return { configured, tried: 'PATH' };
}

/** The error shown when nothing was found: zh first, then en. */
export function notFoundMessage(r: Resolution): string {
  if (r.tried === 'PATH') {
    return (
      `找不到 nianbao 可执行文件：在 PATH 中没有「${r.configured}」。请安装 nianbao，或在设置 nianbao.server.path 中填写它的完整路径。` +
      ` / Cannot find the nianbao executable: "${r.configured}" is not on PATH. Install nianbao, or set nianbao.server.path to its full path.`
    );
  }
  return (
    `找不到 nianbao 可执行文件：${r.tried} 不存在或不可执行（设置 nianbao.server.path）。` +
    ` / Cannot find the nianbao executable: ${r.tried} does not exist or is not executable (setting nianbao.server.path).`
  );
}

/** The error shown when the binary was found but the server did not start. */
export function startFailedMessage(binary: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return (
    `nianbao 语言服务器启动失败（${binary}）：${why}。详情见「输出」面板中的 nianbao；请检查设置 nianbao.server.path。` +
    ` / The nianbao language server failed to start (${binary}): ${why}. See the nianbao output, and check the nianbao.server.path setting.`
  );
}

/** The error shown when a running server keeps crashing and is given up on. */
export function crashedMessage(binary: string, times: number): string {
  return (
    `nianbao 语言服务器（${binary}）在 3 分钟内崩溃了 ${times} 次，不再重启；详情见「输出」面板中的 nianbao。` +
    ` / The nianbao language server (${binary}) crashed ${times} times in 3 minutes and will not be restarted; see the nianbao output.`
  );
}
