-- End-to-end test of the shipped module (lua/nianbao) in a real headless
-- Neovim, 0.7 and 0.11+ alike. Run by run.sh, which sets:
--   NIANBAO_PLUGIN_DIR  editors/nvim (put first on 'runtimepath')
--   NIANBAO_E2E_DIR     a scratch folder holding fresh copies of the fixture
--   NIANBAO_E2E         "main" (default), "options" (filetypes, root_markers)
--                       or "missing" (cmd not executable)
-- and puts the nianbao binary first on PATH, so the default cmd is tested.
--
-- The fixture has one broken total: NB301 at 0-based line 87, col 1–3, a tab
-- then 「12」; its preferred quick fix writes 11.
--
-- Headless Neovim hangs on an uncaught Lua error (0.7), so everything runs
-- under pcall and ends with :qall! (PASS) or :cquit N (FAIL).

local function log(...)
  io.stderr:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
end
local function finish(code, msg)
  log(code == 0 and 'PASS' or 'FAIL', msg or '')
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. code)
  end
end
local function check(cond, msg)
  if not cond then
    error(msg, 0)
  end
end
local function wait(ms, pred, what)
  check(vim.wait(ms, pred, 20), what .. ' (waited ' .. ms .. ' ms)')
end

local modern = vim.fn.has('nvim-0.11') == 1
local scenario = os.getenv('NIANBAO_E2E') or 'main'
local dir = assert(os.getenv('NIANBAO_E2E_DIR'), 'NIANBAO_E2E_DIR not set')
local LINE = 87 -- 0-based
local MESSAGE = '「一、本年新收政府信息公开申请数量」的总计应为 11，实际为 12'
local PREFERRED = '将此单元格改为 11'

vim.opt.runtimepath:prepend(assert(os.getenv('NIANBAO_PLUGIN_DIR'), 'NIANBAO_PLUGIN_DIR not set'))
vim.o.hidden = true
if os.getenv("NIANBAO_E2E_DEBUG") then vim.lsp.set_log_level("debug") end
vim.cmd('filetype on') -- -u NONE leaves it off; a user's config has it on

-- Record what reaches the user and how diagnostics arrive.
local notes = {}
vim.notify = function(msg, level)
  table.insert(notes, msg)
  log('notify:', level, msg)
end
local pushes, pulls = 0, 0
local function count(method, inc)
  local orig = vim.lsp.handlers[method]
  vim.lsp.handlers[method] = function(...)
    inc()
    return orig(...)
  end
end
count('textDocument/publishDiagnostics', function()
  pushes = pushes + 1
end)
if vim.lsp.handlers['textDocument/diagnostic'] then
  count('textDocument/diagnostic', function()
    pulls = pulls + 1
  end)
end

local function lines_of(path)
  local out = {}
  for l in io.lines(path) do
    table.insert(out, l)
  end
  return out
end

local function line(buf)
  return vim.api.nvim_buf_get_lines(buf, LINE, LINE + 1, false)[1]
end

local function diag_code(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function open(cmd, name)
  vim.cmd(cmd .. ' ' .. vim.fn.fnameescape(dir .. '/' .. name))
  return vim.api.nvim_get_current_buf()
end

--- Waits for exactly one diagnostic, the NB301, and checks where it is.
local function expect_nb301(buf, what, severity, message)
  wait(10000, function()
    return #vim.diagnostic.get(buf) > 0
  end, what .. ': no diagnostics')
  vim.wait(300) -- a second copy (push and pull both) would show up by now
  local ds = vim.diagnostic.get(buf)
  for _, d in ipairs(ds) do
    log(what .. ":", d.namespace, d.lnum, d.col, d.end_lnum, d.end_col, diag_code(d), d.message)
  end
  check(#ds == 1, what .. ': expected exactly 1 diagnostic, got ' .. #ds)
  local d = ds[1]
  check(diag_code(d) == 'NB301', what .. ': code ' .. tostring(diag_code(d)))
  check(d.lnum == LINE and d.col == 1 and d.end_lnum == LINE and d.end_col == 3, what .. ': wrong range')
  check(d.severity == (severity or vim.diagnostic.severity.ERROR), what .. ': severity ' .. tostring(d.severity))
  check(vim.startswith(d.message, message or MESSAGE), what .. ': message ' .. d.message)
  return d
end

local function stop(client)
  if modern then
    client:stop()
  else
    vim.lsp.stop_client(client.id)
  end
end

local function main()
  local server_exit
  require('nianbao').setup({
    settings = { locale = 'zh-CN', rules = {}, inlayHints = 'mismatch' },
    client = {
      on_exit = function(code)
        server_exit = code
      end,
    },
  })

  -- 1. filetype, attach, encoding
  local buf = open('edit', 'report.nianbao.txt')
  check(vim.bo[buf].filetype == 'nianbao', 'filetype is ' .. vim.bo[buf].filetype)
  wait(10000, function()
    return require('nianbao').get_client(buf) ~= nil
  end, 'client did not attach')
  local client = require('nianbao').get_client(buf)
  log('client', client.id, 'offset_encoding', client.offset_encoding, modern and 'modern API' or 'legacy API')
  check(client.offset_encoding == (modern and 'utf-8' or 'utf-16'), 'offset encoding ' .. client.offset_encoding)

  -- 2. the diagnostic, pushed (0.7) or pulled (0.11+), never both
  local d = expect_nb301(buf, 'report')
  log('pushes', pushes, 'pulls', pulls)
  if modern then
    check(pulls > 0 and pushes == 0, 'a pull client got pushes or no pulls')
  else
    check(pushes > 0, 'no publishDiagnostics')
  end

  -- 3. hover on the cell
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
    vim.lsp.util.make_position_params(0, client.offset_encoding), 5000)
  local text = vim.inspect(hover)
  check(text:find('总计', 1, true) ~= nil, 'hover lacks 总计: ' .. text)

  -- 4. the quick fix, through vim.lsp.buf.code_action()
  local selected
  vim.ui.select = function(items, opts, on_choice)
    selected = {}
    for i, item in ipairs(items) do
      local action = item.action or item[2] -- 0.10+: {action, ctx}; 0.7: {client_id, action}
      log('offered', i, opts.format_item and opts.format_item(item) or action.title, action.kind,
        action.isPreferred and 'preferred' or '')
      table.insert(selected, action)
    end
    local pick = 1
    for i, action in ipairs(selected) do
      if action.isPreferred then
        pick = i
        break
      end
    end
    on_choice(items[pick], pick)
  end
  if modern then
    -- The ladder, as the editor would list it.
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction',
      vim.tbl_extend('force', vim.lsp.util.make_range_params(0, client.offset_encoding),
        { context = { diagnostics = {} } }), 5000)
    local actions = res[client.id].result
    check(actions[1].title == PREFERRED and actions[1].isPreferred, 'first action: ' .. vim.inspect(actions[1]))
    vim.lsp.buf.code_action({
      apply = true,
      filter = function(a)
        return a.isPreferred == true
      end,
    })
  else
    vim.lsp.buf.code_action()
  end
  wait(10000, function()
    return line(buf) == '\t11'
  end, 'quick fix not applied; line reads ' .. vim.inspect(line(buf)))
  if modern then
    check(selected == nil, 'apply=true with one preferred action still prompted')
  else
    check(selected and selected[1].title == PREFERRED and selected[1].isPreferred, 'first offered is not the preferred fix')
  end
  wait(10000, function()
    return #vim.diagnostic.get(buf) == 0
  end, 'diagnostic not cleared after the quick fix')

  -- 5. a plain .txt report (filetype text) gets the same client and the same check
  local plain = open('split', 'plain.txt')
  check(vim.bo[plain].filetype == 'text', 'plain.txt filetype ' .. vim.bo[plain].filetype)
  wait(10000, function()
    return require('nianbao').get_client(plain) ~= nil
  end, 'client did not attach to the text buffer')
  check(require('nianbao').get_client(plain).id == client.id, 'a second client for the same root')
  expect_nb301(plain, 'plain.txt')

  -- 6. :NianbaoFixAll on a fresh copy, same root, same client
  local original = lines_of(dir .. '/fixall.nianbao.txt')
  local buf2 = open('split', 'fixall.nianbao.txt')
  check(vim.bo[buf2].filetype == 'nianbao', 'fixall filetype ' .. vim.bo[buf2].filetype)
  wait(10000, function()
    return require('nianbao').get_client(buf2) ~= nil
  end, 'client did not attach to the second buffer')
  check(require('nianbao').get_client(buf2).id == client.id, 'a second client for the same root')
  expect_nb301(buf2, 'fixall')
  vim.cmd('NianbaoFixAll')
  wait(10000, function()
    return line(buf2) == '\t11'
  end, ':NianbaoFixAll not applied; line reads ' .. vim.inspect(line(buf2)))
  local now = vim.api.nvim_buf_get_lines(buf2, 0, -1, false)
  check(#now == #original, 'line count changed')
  for i = 1, #now do
    check(i == LINE + 1 or now[i] == original[i], 'line ' .. i .. ' changed: ' .. now[i])
  end
  wait(10000, function()
    return #vim.diagnostic.get(buf2) == 0
  end, 'diagnostic not cleared after :NianbaoFixAll')
  vim.cmd('NianbaoFixAll') -- nothing left to fix: says so, changes nothing
  wait(5000, function()
    return notes[#notes] and notes[#notes]:find('no totals to recompute', 1, true) ~= nil
  end, 'second :NianbaoFixAll did not say there was nothing to do')
  check(line(buf2) == '\t11', 'second :NianbaoFixAll changed the line')

  -- 7. shutdown + exit; the server exits 0
  stop(client)
  wait(10000, function()
    return server_exit ~= nil
  end, 'server did not exit')
  check(server_exit == 0, 'server exit code ' .. tostring(server_exit))
  check(#vim.tbl_filter(function(n)
    return n:find('nianbao', 1, true) ~= nil
  end, notes) == 1, 'unexpected notifications')
end

local function missing()
  require('nianbao').setup({ cmd = { 'nianbao-not-installed', 'lsp' } })
  local buf = open('edit', 'report.nianbao.txt')
  check(vim.bo[buf].filetype == 'nianbao', 'filetype is ' .. vim.bo[buf].filetype)
  wait(2000, function()
    return #notes > 0
  end, 'no message about the missing executable')
  check(notes[1]:find('nianbao-not-installed', 1, true) and notes[1]:find('找不到', 1, true)
    and notes[1]:find('not found', 1, true), 'unclear message: ' .. notes[1])
  vim.wait(500)
  check(require('nianbao').get_client(buf) == nil, 'a client attached anyway')
  vim.cmd('NianbaoFixAll')
  check(notes[#notes]:find('not attached', 1, true), 'NianbaoFixAll without a server: ' .. notes[#notes])
end

--- `filetypes` and `root_markers`: text buffers left alone; two folders under
--- one marker share one client whose root is the marker's folder. `settings`
--- reach the server: English messages, NB301 lowered to a warning.
local function options()
  require('nianbao').setup({
    filetypes = { 'nianbao' },
    root_markers = { 'nianbao.root' },
    settings = { locale = 'en', rules = { NB301 = 'warning' } },
  })
  local plain = open('edit', 'plain.txt')
  check(vim.bo[plain].filetype == 'text', 'plain.txt filetype ' .. vim.bo[plain].filetype)
  local a = open('split', 'sub/a/report.nianbao.txt')
  wait(10000, function()
    return require('nianbao').get_client(a) ~= nil
  end, 'client did not attach to sub/a')
  local b = open('split', 'sub/b/report.nianbao.txt')
  wait(10000, function()
    return require('nianbao').get_client(b) ~= nil
  end, 'client did not attach to sub/b')
  local client = require('nianbao').get_client(a)
  check(require('nianbao').get_client(b).id == client.id, 'two clients under one root marker')
  local root = client.root_dir or client.config.root_dir
  check(vim.loop.fs_realpath(root) == vim.loop.fs_realpath(dir .. '/sub'), 'root_dir ' .. tostring(root))
  expect_nb301(b, 'sub/b', vim.diagnostic.severity.WARN,
    'the 总计 of 「一、本年新收政府信息公开申请数量」 should be 11, found 12')
  check(require('nianbao').get_client(plain) == nil, 'attached to a text buffer with filetypes = {nianbao}')
  stop(client)
end

local scenarios = { main = main, missing = missing, options = options }
local ok, err = pcall(assert(scenarios[scenario], 'unknown scenario ' .. scenario))
if not ok then
  finish(1, scenario .. ': ' .. tostring(err))
else
  finish(0, scenario .. ': all checks (' .. (modern and 'vim.lsp.config/enable' or 'start_client') .. ')')
end
