"""The built `nianbao lsp` binary, driven by pytest-lsp's client replaying the
captured capabilities of real editors (VS Code 1.65, Neovim 0.7 and 0.11,
Emacs 29 eglot).

One loop per client on `fixtures/editors/report.nianbao.txt`, which has one
broken total (NB301 at 0-based line 87, characters 1–3: a tab, then 「12」):
initialize, open, diagnostics (pushed to clients that cannot pull, pulled by
those that can, never both), the code-action ladder, apply the preferred fix,
didChange, diagnostics gone, hover, shutdown + exit with status 0.

NIANBAO_BIN names the binary (default: target/debug/nianbao).
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
SERVER = pathlib.Path(os.environ.get("NIANBAO_BIN") or REPO / "target" / "debug" / "nianbao")
FIXTURE = REPO / "fixtures" / "editors" / "report.nianbao.txt"
TEXT = FIXTURE.read_text(encoding="utf-8")
ROOT_URI = FIXTURE.parent.as_uri()
URI = FIXTURE.as_uri()

LINE = 87
MESSAGE = "「一、本年新收政府信息公开申请数量」的总计应为 11，实际为 12"
CELL_FIX = "将此单元格改为 11"
FIX_ALL = "source.fixAll.nianbao"
TIMEOUT = 10  # seconds, for anything the server should do at once

CLIENTS = ["visual-studio-code", "neovim@v0.7.0", "neovim", "emacs"]


def can_pull(caps: types.ClientCapabilities) -> bool:
    return caps.text_document is not None and caps.text_document.diagnostic is not None


def offers_utf8(caps: types.ClientCapabilities) -> bool:
    encodings = caps.general.position_encodings if caps.general else None
    return types.PositionEncodingKind.Utf8 in (encodings or [])


@pytest_lsp.fixture(
    params=CLIENTS,
    config=ClientServerConfig(server_command=[str(SERVER), "lsp"]),
)
async def client(request, lsp_client: LanguageClient):
    caps = client_capabilities(request.param)
    # Every publishDiagnostics, with its version (pytest-lsp keeps only the
    # latest list per document).
    lsp_client.nianbao_pushes = pushes = []
    handle = lsp_client.protocol._handle_notification

    def record(method, params):
        if method == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            pushes.append(params)
        return handle(method, params)

    lsp_client.protocol._handle_notification = record
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            locale="zh-CN",
            root_uri=ROOT_URI,
            workspace_folders=[types.WorkspaceFolder(uri=ROOT_URI, name="editors")],
        )
    )
    lsp_client.nianbao_caps = caps
    lsp_client.nianbao_init = result
    yield
    # The test shuts the server down itself; after a failure, make sure
    # nothing is left running (pytest-lsp would wait for the process).
    server = lsp_client._server
    if server is not None and server.returncode is None:
        server.kill()
        await server.wait()


def to_index(line: str, character: int, encoding: str) -> int:
    """An LSP character offset in `line` → a Python string index."""
    if encoding == types.PositionEncodingKind.Utf32:
        return character
    unit = 2 if encoding == types.PositionEncodingKind.Utf16 else 1
    codec = "utf-16-le" if unit == 2 else "utf-8"
    count = 0
    for i, ch in enumerate(line):
        if count >= character:
            return i
        count += len(ch.encode(codec)) // unit
    return len(line)


def apply_edits(text: str, edits, encoding: str) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        s, t = e.range.start, e.range.end
        head = lines[s.line][: to_index(lines[s.line], s.character, encoding)]
        tail = lines[t.line][to_index(lines[t.line], t.character, encoding) :]
        lines[s.line : t.line + 1] = (head + e.new_text + tail).split("\n")
    return "\n".join(lines)


def edits_for(action: types.CodeAction, caps: types.ClientCapabilities, version: int):
    """The text edits of `action` for the fixture, in the shape the client asked for."""
    edit = action.edit
    assert edit is not None, action.title
    ws = caps.workspace
    versioned = bool(ws and ws.workspace_edit and ws.workspace_edit.document_changes)
    if versioned:
        assert edit.changes is None
        [change] = edit.document_changes
        assert change.text_document.uri == URI and change.text_document.version == version
        return list(change.edits)
    assert edit.document_changes is None
    return list(edit.changes[URI])


async def diagnostics(client: LanguageClient, version: int):
    """This version's diagnostics: pulled if the client can, else pushed."""
    if can_pull(client.nianbao_caps):
        report = await asyncio.wait_for(
            client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=URI), identifier="nianbao"
                )
            ),
            TIMEOUT,
        )
        assert report.kind == "full"
        return list(report.items)

    async def pushed():
        while True:
            mine = [p for p in client.nianbao_pushes if p.uri == URI and p.version == version]
            if mine:
                assert len(mine) == 1, f"version {version} published {len(mine)} times"
                return list(mine[0].diagnostics)
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(pushed(), TIMEOUT)


async def test_diagnose_fix_hover_shutdown(client: LanguageClient):
    caps = client.nianbao_caps
    pull = can_pull(caps)

    # initialize
    result = client.nianbao_init
    encoding = types.PositionEncodingKind.Utf8 if offers_utf8(caps) else types.PositionEncodingKind.Utf16
    assert result.capabilities.position_encoding == encoding
    provider = result.capabilities.diagnostic_provider
    assert provider is not None and provider.identifier == "nianbao"
    assert not provider.inter_file_dependencies and not provider.workspace_diagnostics
    assert result.server_info.name == "nianbao"

    # open: one NB301 on the 总计 cell
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="nianbao", version=1, text=TEXT)
        )
    )
    [diag] = await diagnostics(client, 1)
    assert diag.code == "NB301"
    assert diag.severity == types.DiagnosticSeverity.Error
    assert diag.range == types.Range(
        start=types.Position(line=LINE, character=1), end=types.Position(line=LINE, character=3)
    )
    assert diag.message.startswith(MESSAGE), diag.message

    # the ladder: this cell (preferred), this table, the whole document
    actions = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=URI),
                range=diag.range,
                context=types.CodeActionContext(diagnostics=[diag]),
            )
        ),
        TIMEOUT,
    )
    assert all(isinstance(a, types.CodeAction) for a in actions), "the server has no commands"
    assert [a.kind for a in actions[:3]] == ["quickfix", "quickfix", FIX_ALL], [a.title for a in actions]
    cell, table, fix_all = actions[:3]
    assert cell.title == CELL_FIX and cell.is_preferred
    assert not table.is_preferred and not fix_all.is_preferred
    assert cell.diagnostics and cell.diagnostics[0].code == "NB301"
    [edit] = edits_for(cell, caps, 1)
    assert edit.new_text == "11" and edit.range == diag.range
    for wider in (table, fix_all):
        assert any(e.range == diag.range and e.new_text == "11" for e in edits_for(wider, caps, 1)), wider.title

    # `only` narrows the answer to the fix-all action, wherever the range is
    only = await asyncio.wait_for(
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=URI),
                range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
                context=types.CodeActionContext(diagnostics=[], only=[FIX_ALL]),
            )
        ),
        TIMEOUT,
    )
    assert [a.kind for a in only] == [FIX_ALL]

    # apply the preferred fix as the editor would, then tell the server
    fixed = apply_edits(TEXT, [edit], encoding)
    assert fixed.split("\n")[LINE] == "\t11"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)],
        )
    )
    assert await diagnostics(client, 2) == []

    # hover on the (now right) total
    hover = await asyncio.wait_for(
        client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=URI),
                position=types.Position(line=LINE, character=1),
            )
        ),
        TIMEOUT,
    )
    assert hover is not None and "总计" in hover.contents.value, hover

    # a client that pulls is never pushed to
    if pull:
        await asyncio.sleep(0.2)
        assert client.nianbao_pushes == [], "pushed to a client that pulls"
    else:
        assert [p.version for p in client.nianbao_pushes] == [1, 2]

    # shutdown + exit: the server exits by itself, with status 0
    try:
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    except asyncio.TimeoutError:
        pytest.fail(f"the server was still running {TIMEOUT} s after shutdown + exit")
    assert client._server.returncode == 0
