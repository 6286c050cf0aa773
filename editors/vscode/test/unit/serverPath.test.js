// Unit tests of the server-path resolution (out/serverPath.js, compiled by
// `npm run compile`); plain Node, no VS Code. Run: npm test
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const { resolveServerPath, notFoundMessage, startFailedMessage, crashedMessage } = require('../../out/serverPath');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nianbao-path-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
const bin = path.join(dir, 'bin');
fs.mkdirSync(bin);
const exe = path.join(bin, 'nianbao');
fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
const plain = path.join(bin, 'not-executable');
fs.writeFileSync(plain, '', { mode: 0o644 });
const env = { pathVar: ['/nonexistent', bin].join(path.delimiter), platform: 'linux', home: dir, baseDir: dir };

test('the default is nianbao, looked up on PATH', () => {
  for (const setting of [undefined, '', '  ', 'nianbao']) {
    assert.deepEqual(resolveServerPath(setting, env), { configured: 'nianbao', found: exe, tried: 'PATH' });
  }
});

test('a name that is not on PATH is not found, and the message says so', () => {
  const r = resolveServerPath('nianbao', { ...env, pathVar: '/nonexistent' });
  assert.deepEqual(r, { configured: 'nianbao', tried: 'PATH' });
  const m = notFoundMessage(r);
  assert.match(m, /^找不到 nianbao 可执行文件：在 PATH 中没有「nianbao」/);
  assert.match(m, /nianbao\.server\.path/);
  assert.match(m, /Cannot find the nianbao executable: "nianbao" is not on PATH/);
});

test('an absolute path is used as it is', () => {
  assert.equal(resolveServerPath(exe, env).found, exe);
});

test('a relative path with a directory is relative to the workspace folder', () => {
  assert.equal(resolveServerPath('bin/nianbao', env).found, exe);
  assert.equal(resolveServerPath('./bin/nianbao', env).found, exe);
});

test('~/ is the home directory', () => {
  assert.equal(resolveServerPath('~/bin/nianbao', env).found, exe);
});

test('a missing or non-executable file is not found, and the message names it', () => {
  for (const p of [path.join(dir, 'missing', 'nianbao'), plain, bin]) {
    const r = resolveServerPath(p, env);
    assert.equal(r.found, undefined, p);
    assert.equal(r.tried, p);
    const m = notFoundMessage(r);
    assert.ok(m.startsWith(`找不到 nianbao 可执行文件：${p} 不存在或不可执行（设置 nianbao.server.path）`), m);
    assert.ok(m.includes(`Cannot find the nianbao executable: ${p} does not exist`), m);
  }
});

test('Windows: PATHEXT is tried', () => {
  const win = path.join(bin, 'nianbao.EXE');
  fs.writeFileSync(win, '');
  try {
    const r = resolveServerPath('nianbao', { ...env, platform: 'win32', pathExt: '.EXE' });
    // The name as given comes first, as in libuv's search (what spawn uses).
    assert.equal(r.found, exe);
    fs.rmSync(exe);
    assert.equal(resolveServerPath('nianbao', { ...env, platform: 'win32', pathExt: '.EXE' }).found, win);
  } finally {
    fs.writeFileSync(exe, '#!/bin/sh\n', { mode: 0o755 });
    fs.rmSync(win);
  }
});

test('the start-failure message names the binary and the setting', () => {
  const m = startFailedMessage('/opt/nianbao', new Error('spawn EACCES'));
  assert.match(m, /^nianbao 语言服务器启动失败（\/opt\/nianbao）：spawn EACCES。详情见「输出」面板中的 nianbao；请检查设置 nianbao\.server\.path。/);
  assert.match(m, /failed to start \(\/opt\/nianbao\): spawn EACCES\. See the nianbao output, and check the nianbao\.server\.path setting\.$/);
});

test('the crash message names the binary and the count', () => {
  const m = crashedMessage('/opt/nianbao', 5);
  assert.match(m, /^nianbao 语言服务器（\/opt\/nianbao）在 3 分钟内崩溃了 5 次，不再重启/);
  assert.match(m, /\(\/opt\/nianbao\) crashed 5 times in 3 minutes/);
});
