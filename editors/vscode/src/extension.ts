// The nianbao extension: starts `nianbao lsp` through vscode-languageclient
// for `nianbao`, plaintext and markdown documents (the server itself stays
// silent on texts that are not reports), passes the `nianbao.*` settings, and
// adds one client-side command, 「重新计算全部总计」.
//
// Everything else (diagnostics, quick fixes, hover, outline, folding, inlay
// hints) comes from the server. The server has no commands: the fix-all
// command asks for the `source.fixAll.nianbao` code action and applies its
// edit here, never through `workspace/executeCommand`.

import * as vscode from 'vscode';
import {
  CloseAction,
  CloseHandlerResult,
  CodeAction,
  CodeActionParams,
  CodeActionRequest,
  Command,
  ErrorAction,
  ErrorHandler,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';

import { crashedMessage, notFoundMessage, resolveServerPath, startFailedMessage } from './serverPath';

const FIX_ALL_KIND = 'source.fixAll.nianbao';
const LANGUAGES = ['nianbao', 'plaintext', 'markdown'];
const SCHEMES = ['file', 'untitled'];
const OPEN_SETTINGS = '打开设置 / Open Settings';
const SHOW_OUTPUT = '查看输出 / Show Output';
/** Restarts after crashes within 3 minutes (the client's default). */
const MAX_RESTARTS = 4;

let client: LanguageClient | undefined;
/** One output channel for every client this window starts (restarts reuse it). */
let output: vscode.LogOutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('nianbao', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('nianbao.fixAllTotals', fixAllTotals),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // Other settings reach the running server through `synchronize`;
      // a new binary needs a new server.
      if (e.affectsConfiguration('nianbao.server.path')) void restart();
    }),
  );
  await restart();
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** The settings object the server reads: `nianbao.*` without `server`. */
function serverSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration('nianbao');
  return {
    // Unset means "follow VS Code's display language" (InitializeParams.locale).
    locale: cfg.get<string>('locale'),
    rules: cfg.get<Record<string, string>>('rules', {}),
    amountDecimals: cfg.get<number | null>('amountDecimals', null),
    inlayHints: cfg.get<string>('inlayHints', 'mismatch'),
  };
}

async function start(): Promise<void> {
  const setting = vscode.workspace.getConfiguration('nianbao').get<string>('server.path');
  const resolution = resolveServerPath(setting, {
    baseDir: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
  });
  output?.info(`nianbao.server.path = ${JSON.stringify(setting)} → ${resolution.found ?? '(not found)'}`);
  if (!resolution.found) {
    showError(notFoundMessage(resolution));
    return;
  }
  const binary = resolution.found;
  // No `transport`: stdio all the same, without the `--stdio` the client
  // would otherwise append (nianbao accepts it, but does not need it).
  const serverOptions: ServerOptions = { command: binary, args: ['lsp'] };
  // A server that dies before it has answered `initialize` is not restarted
  // (the client would retry four times, each with its own notifications, and
  // VS Code drops toasts that come more than three at a time): the errors go
  // to the output channel, and one message naming the binary says what to
  // fix. After a good start, crashes get the client's usual restarts.
  let started = false;
  let defaults: ErrorHandler | undefined;
  const errorHandler: ErrorHandler = {
    error: (error, message, count) =>
      started ? defaults!.error(error, message, count) : { action: ErrorAction.Continue, handled: true },
    closed: async (): Promise<CloseHandlerResult> => {
      if (!started) return { action: CloseAction.DoNotRestart, handled: true };
      const result = await defaults!.closed();
      if (result.action === CloseAction.DoNotRestart && !result.handled) {
        return { action: CloseAction.DoNotRestart, message: crashedMessage(binary, MAX_RESTARTS + 1) };
      }
      return result;
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme }))),
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: 'nianbao' },
    errorHandler,
    outputChannel: output,
    // No retry of a failed `initialize`, and no raw protocol error shown:
    // the message below says it better.
    initializationFailedHandler: () => false,
  };
  const c = new LanguageClient('nianbao', 'nianbao', serverOptions, clientOptions);
  defaults = c.createDefaultErrorHandler(MAX_RESTARTS);
  client = c;
  try {
    await c.start();
    started = true;
  } catch (e) {
    if (client === c) client = undefined;
    showError(startFailedMessage(binary, e));
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (!c?.isRunning()) return;
  try {
    await c.stop();
  } catch (e) {
    output?.warn(`stopping the server failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Restarts one after the other: a client cannot be stopped while it starts. */
let restarting: Promise<void> = Promise.resolve();
function restart(): Promise<void> {
  restarting = restarting.then(stop).then(start);
  return restarting;
}

function showError(message: string): void {
  void vscode.window.showErrorMessage(message, OPEN_SETTINGS, SHOW_OUTPUT).then((choice) => {
    if (choice === OPEN_SETTINGS) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'nianbao.server.path');
    } else if (choice === SHOW_OUTPUT) {
      output?.show();
    }
  });
}

/** 「重新计算全部总计」: the server's fix-all action for the active document. */
async function fixAllTotals(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  if (!doc || !LANGUAGES.includes(doc.languageId) || !SCHEMES.includes(doc.uri.scheme)) {
    void vscode.window.showInformationMessage('请先打开一份年报。 / Open a report first.');
    return;
  }
  const c = client;
  if (!c?.isRunning()) {
    void vscode.window.showErrorMessage('nianbao 语言服务器未运行。 / The nianbao language server is not running.');
    return;
  }
  const whole = doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0));
  const params: CodeActionParams = {
    textDocument: c.code2ProtocolConverter.asTextDocumentIdentifier(doc),
    range: c.code2ProtocolConverter.asRange(whole),
    context: { diagnostics: [], only: [FIX_ALL_KIND] },
  };
  let actions: (Command | CodeAction)[] | null;
  try {
    actions = await c.sendRequest(CodeActionRequest.type, params);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    void vscode.window.showErrorMessage(`重新计算全部总计失败：${why} / Recomputing all totals failed: ${why}`);
    return;
  }
  const fixAll = (actions ?? []).find(
    (a): a is CodeAction => CodeAction.is(a) && a.edit !== undefined && (a.kind ?? '').startsWith(FIX_ALL_KIND),
  );
  if (!fixAll?.edit) {
    void vscode.window.showInformationMessage('没有需要重新计算的总计。 / No totals to recompute.');
    return;
  }
  const edit = await c.protocol2CodeConverter.asWorkspaceEdit(fixAll.edit);
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage('无法应用修改（文档可能已更改）。 / Could not apply the edit (the document may have changed).');
  }
}
