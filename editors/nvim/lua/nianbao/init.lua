--- nianbao for Neovim: filetype detection, the language server, and
--- :NianbaoFixAll (「重新计算全部总计」).
---
--- One module for every Neovim from 0.7 on. On 0.11+ it registers the server
--- with `vim.lsp.config` / `vim.lsp.enable`; on older versions (which have
--- neither, nor `vim.lsp.start` or `vim.fs`) it starts one client per root
--- directory with `vim.lsp.start_client` from a FileType autocmd and attaches
--- every matching buffer under that root to it. It does not bundle the server:
--- `nianbao` must be on PATH, or `cmd` must name it.
local M = {}

local NAME = 'nianbao'
local FIX_ALL_KIND = 'source.fixAll.nianbao'
local AUGROUP = 'nianbao'

M.defaults = {
  -- The server command; `cmd[1]` must be executable.
  cmd = { 'nianbao', 'lsp' },
  -- Buffers of these filetypes get the server. It stays silent on text and
  -- Markdown that are not reports, so attaching to them costs little.
  filetypes = { 'nianbao', 'text', 'markdown' },
  -- The first parent directory holding one of these is the root; one server
  -- runs per root. Without any, a file's own directory is its root on 0.7–0.10
  -- and 0.11+ runs one server for all such files.
  root_markers = { '.git' },
  -- The server's settings (product-spec §6): locale, rules, amountDecimals,
  -- inlayHints. Sent as initializationOptions and as settings.nianbao.
  settings = {},
  -- Extra fields merged into the LSP client config (on_attach, capabilities,
  -- handlers, on_exit, flags, …).
  client = {},
}

M.options = nil

local function has_modern_api()
  return vim.fn.has('nvim-0.11') == 1 and vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

local function notify(msg, level)
  vim.notify('nianbao: ' .. msg, level or vim.log.levels.INFO)
end

--- Empty Lua tables encode as JSON arrays; the server wants objects.
local function json_object(value)
  if type(value) ~= 'table' then
    return value
  end
  if next(value) == nil then
    return vim.empty_dict()
  end
  local out = {}
  for k, v in pairs(value) do
    out[k] = json_object(v)
  end
  return out
end

--- LSP calls plain text `plaintext`; Neovim calls it `text`.
local function language_id(_, filetype)
  if filetype == 'text' then
    return 'plaintext'
  end
  return filetype
end

local function contains(list, item)
  for _, v in ipairs(list) do
    if v == item then
      return true
    end
  end
  return false
end

local function is_file_buffer(bufnr)
  return vim.api.nvim_buf_is_valid(bufnr)
    and vim.bo[bufnr].buftype == ''
    and vim.api.nvim_buf_get_name(bufnr) ~= ''
end

-- Filetype detection ------------------------------------------------------

local function setup_filetype(group)
  if vim.fn.has('nvim-0.9') == 1 and vim.filetype and vim.filetype.add then
    -- Patterns are tried before extensions, so `.txt` / `.md` lose to these.
    vim.filetype.add({
      pattern = {
        ['.*%.nianbao%.txt'] = NAME,
        ['.*%.nianbao%.md'] = NAME,
      },
    })
    return
  end
  -- 0.7/0.8: filetype.vim may already have run `setf text` / `setf markdown`
  -- for this file (it usually registers its autocmds first), so force it.
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = { '*.nianbao.txt', '*.nianbao.md' },
    callback = function(args)
      vim.bo[args.buf].filetype = NAME
    end,
  })
end

-- Clients -------------------------------------------------------------------

--- The nianbao client attached to a buffer (default: the current one), or nil.
function M.get_client(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = NAME })[1]
  end
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if client.name == NAME then
      return client
    end
  end
  return nil
end

local function client_config(opts)
  local config = {
    name = NAME,
    cmd = opts.cmd,
    init_options = json_object(opts.settings),
    -- `settings` is also what Neovim answers workspace/configuration from.
    settings = { [NAME] = json_object(opts.settings) },
    get_language_id = language_id,
  }
  local user = opts.client or {}
  for k, v in pairs(user) do
    if k ~= 'on_exit' then
      config[k] = v
    end
  end
  return config, user.on_exit
end

-- 0.7–0.10: one client per root directory, reused across buffers.
local clients_by_root = {}

local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  local cur = dir
  while true do
    for _, marker in ipairs(markers) do
      if (vim.uv or vim.loop).fs_stat(cur .. '/' .. marker) then
        return cur
      end
    end
    local parent = vim.fn.fnamemodify(cur, ':h')
    if parent == cur then
      return dir
    end
    cur = parent
  end
end

local function attach_legacy(bufnr)
  local opts = M.options
  if not is_file_buffer(bufnr) then
    return
  end
  local root = find_root(vim.api.nvim_buf_get_name(bufnr), opts.root_markers)
  local id = clients_by_root[root]
  -- Not vim.lsp.client_is_stopped(): on 0.7 it is true for a client that is
  -- still initializing, and a second buffer opened then would start another.
  local existing = id and vim.lsp.get_client_by_id(id)
  -- `:` works everywhere: 0.7–0.9's is_stopped is a closure that ignores it.
  if not existing or existing:is_stopped() then
    id = nil
  end
  if not id then
    local config, user_on_exit = client_config(opts)
    config.root_dir = root
    config.on_exit = function(code, signal, client_id)
      if clients_by_root[root] == client_id then
        clients_by_root[root] = nil
      end
      if user_on_exit then
        user_on_exit(code, signal, client_id)
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function setup_lsp_legacy(group)
  local function maybe_attach(bufnr)
    if contains(M.options.filetypes, vim.bo[bufnr].filetype) then
      attach_legacy(bufnr)
    end
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.options.filetypes,
    callback = function(args)
      -- Let the filetype settle first: a `.nianbao.txt` may be set to `text`
      -- and then to `nianbao` in one go, and the languageId sent in didOpen
      -- should be the last one.
      vim.schedule(function()
        if vim.api.nvim_buf_is_valid(args.buf) then
          maybe_attach(args.buf)
        end
      end)
    end,
  })
  -- Buffers already open when setup() runs.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) then
      maybe_attach(bufnr)
    end
  end
end

local function setup_lsp_modern()
  local opts = M.options
  local config, user_on_exit = client_config(opts)
  config.name = nil
  config.filetypes = opts.filetypes
  config.root_markers = opts.root_markers
  config.on_exit = user_on_exit
  vim.lsp.config(NAME, config)
  vim.lsp.enable(NAME)
end

-- :NianbaoFixAll ------------------------------------------------------------

--- Requests `source.fixAll.nianbao` for a buffer and applies its edit.
--- `on_done(ok, message)` is called when finished (optional).
function M.fix_all(bufnr, on_done)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  on_done = on_done or function(ok, message)
    if message then
      notify(message, ok and vim.log.levels.INFO or vim.log.levels.WARN)
    end
  end
  local client = M.get_client(bufnr)
  if not client then
    return on_done(false, '此缓冲区未连接 nianbao 语言服务器 / the nianbao language server is not attached to this buffer')
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 0, character = 0 } },
    context = { only = { FIX_ALL_KIND }, diagnostics = {} },
  }
  local function handler(err, result)
    if err then
      return on_done(false, '重新计算总计失败 / fix-all failed: ' .. tostring(err.message or err))
    end
    for _, action in ipairs(result or {}) do
      if action.kind == FIX_ALL_KIND and action.edit then
        vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
        return on_done(true, nil)
      end
    end
    return on_done(true, '没有需要重新计算的总计 / no totals to recompute')
  end
  if vim.fn.has('nvim-0.11') == 1 then
    client:request('textDocument/codeAction', params, handler, bufnr)
  else
    client.request('textDocument/codeAction', params, handler, bufnr)
  end
end

-- setup() ---------------------------------------------------------------------

function M.setup(opts)
  opts = vim.tbl_extend('force', vim.deepcopy(M.defaults), opts or {})
  M.options = opts
  local group = vim.api.nvim_create_augroup(AUGROUP, { clear = true })

  setup_filetype(group)

  vim.api.nvim_create_user_command('NianbaoFixAll', function()
    M.fix_all(0)
  end, { desc = '重新计算全部总计 / recompute every total (nianbao)' })

  if vim.fn.executable(opts.cmd[1]) ~= 1 then
    -- Scheduled, so the message is not lost in the startup screen.
    vim.schedule(function()
      notify(
        string.format(
          '找不到可执行文件「%s」，语言服务器未启动。请安装 nianbao 并确保它在 PATH 中，或在 setup{ cmd = … } 中写明路径。\n'
            .. "executable '%s' not found; the language server is not started. Install nianbao and put it on PATH, or give its path in setup{ cmd = … }.",
          opts.cmd[1],
          opts.cmd[1]
        ),
        vim.log.levels.WARN
      )
    end)
    return
  end

  if has_modern_api() then
    setup_lsp_modern()
  else
    setup_lsp_legacy(group)
  end
end

return M
