-- Drives sceplint's language server from a real Neovim (headless), as tests/neovim.rs runs it:
-- opens $SCEPLINT_FILE, waits for sceplint's diagnostics, applies the quick fix of the first
-- SCEP003 finding, writes the file, and writes the codes it saw to $SCEPLINT_OUT.
-- Written for Neovim 0.7 (Debian's), so it uses start_client rather than vim.lsp.start.
local out = {}
local function finish(status)
  vim.fn.writefile(out, vim.env.SCEPLINT_OUT)
  vim.cmd(status == 0 and 'qa!' or 'cq!')
end

vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.SCEPLINT_FILE))
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'sceplint',
  cmd = { vim.env.SCEPLINT_BIN, 'server' },
  root_dir = vim.fn.fnamemodify(vim.env.SCEPLINT_FILE, ':h'),
  init_options = { isolated = true },
})
if not client_id then
  table.insert(out, 'ERROR no client')
  return finish(1)
end
vim.lsp.buf_attach_client(bufnr, client_id)

local got = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
if not got then
  table.insert(out, 'ERROR no diagnostics')
  return finish(1)
end

local severities = { 'error', 'warning', 'info', 'hint' }
local diagnostics = vim.diagnostic.get(bufnr)
table.sort(diagnostics, function(a, b)
  if a.lnum ~= b.lnum then return a.lnum < b.lnum end
  return a.col < b.col
end)
local target
for _, d in ipairs(diagnostics) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''
  table.insert(out, 'CODE ' .. tostring(code))
  -- What the editor shows: position, severity and the message's first line.
  local first = vim.split(d.message, '\n', true)[1]
  table.insert(out, string.format('SHOWN %d:%d %s %s', d.lnum + 1, d.col + 1,
    severities[d.severity] or '?', first))
  if code == 'SCEP003' and not target then target = d end
end
if not target then
  table.insert(out, 'ERROR no SCEP003')
  return finish(1)
end

local params = {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = {
    start = { line = target.lnum, character = target.col },
    ['end'] = { line = target.end_lnum, character = target.end_col },
  },
  context = { diagnostics = {} },
}
local results = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 20000) or {}
local applied = false
for _, response in pairs(results) do
  for _, action in ipairs(response.result or {}) do
    if not applied and action.kind == 'quickfix' and action.edit then
      vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
      table.insert(out, 'APPLIED ' .. action.title)
      applied = true
    end
  end
end
if not applied then
  table.insert(out, 'ERROR no quick fix')
  return finish(1)
end
vim.cmd('write')
finish(0)
