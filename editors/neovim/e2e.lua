-- End-to-end check of `kql lsp` with Neovim's built-in LSP client (Neovim 0.7+, headless).
--
-- Run by editors/neovim/e2e.py as
--   KQL_E2E_SERVER=target/debug/kql KQL_E2E_FILE=/tmp/x/hunt.kql nvim --headless -u NONE -c 'luafile e2e.lua'
-- Each check prints one line `ok <name>` or `FAIL <name>: <why>`; Neovim exits with status 0
-- when every check passed, 1 otherwise. Positions below are 0-based (LSP), UTF-16.

local api, lsp = vim.api, vim.lsp
local server = assert(os.getenv('KQL_E2E_SERVER'), 'KQL_E2E_SERVER')
local file = assert(os.getenv('KQL_E2E_FILE'), 'KQL_E2E_FILE')
local NOW = '2026-11-27T00:00:00Z'
local TIMEOUT = 10000

local failures = 0
local function report(name, ok, why)
  if ok then
    io.stdout:write('ok ' .. name .. '\n')
  else
    failures = failures + 1
    io.stdout:write('FAIL ' .. name .. ': ' .. tostring(why) .. '\n')
  end
end

-- Runs `fn` as one named check; an error inside it fails the check, not the run.
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then report(name, true) else report(name, false, err) end
end

local function expect(cond, msg)
  if not cond then error(msg, 2) end
end

-- Headless: nothing may wait for the user.
vim.notify = function() end

vim.cmd('silent edit ' .. vim.fn.fnameescape(file))
local buf = api.nvim_get_current_buf()
vim.bo[buf].filetype = 'kql'
vim.bo[buf].expandtab = true
vim.bo[buf].shiftwidth = 4

local pubs = {}
local exit_code
local handlers = {
  ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
    table.insert(pubs, result)
    lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
  end,
}
local client_id = lsp.start_client({
  name = 'kql',
  cmd = { server, 'lsp' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  init_options = { kql = { now = NOW } },
  handlers = handlers,
  flags = { debounce_text_changes = 20 },
  on_exit = function(code) exit_code = code end,
})
lsp.buf_attach_client(buf, client_id)

local function lines()
  return api.nvim_buf_get_lines(buf, 0, -1, true)
end

--- The latest diagnostics published for a version newer than `after` (waits for them).
local function diagnostics_after(after)
  local found
  vim.wait(TIMEOUT, function()
    for i = #pubs, 1, -1 do
      local p = pubs[i]
      if (p.version or 0) > after then
        found = p
        return true
      end
    end
    return false
  end, 10)
  expect(found, 'no diagnostics published after version ' .. after)
  return found
end

local function request(method, params)
  local results, err = lsp.buf_request_sync(buf, method, params, TIMEOUT)
  expect(results, method .. ': ' .. tostring(err))
  local r = results[client_id]
  expect(r, method .. ': no answer')
  local err = r.err or r.error
  expect(not err, method .. ': ' .. vim.inspect(err))
  return r.result
end

local function at(line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = character } }
end

local function find_code(diags, code)
  for _, d in ipairs(diags) do
    if d.code == code then return d end
  end
end

local version = 0

check('diagnostics on open, time-beyond-retention at line 3 col 9', function()
  local p = diagnostics_after(-1)
  version = p.version
  local d = find_code(p.diagnostics, 'AH001')
  expect(d, 'no AH001 in ' .. vim.inspect(p.diagnostics))
  expect(d.range.start.line == 2 and d.range.start.character == 8,
    'AH001 at ' .. vim.inspect(d.range.start))
  expect(d.codeDescription and d.codeDescription.href:match('time_beyond_retention'), 'rule link')
  expect(#vim.diagnostic.get(buf) == #p.diagnostics, 'Neovim shows them')
end)

check('hover on a column shows its type', function()
  local h = request('textDocument/hover', at(3, 12))
  expect(h and h.contents, 'no hover')
  local text = h.contents.value or vim.inspect(h.contents)
  expect(text:match('ProcessCommandLine') and text:match('string'), text)
end)

check('go to definition of a let name', function()
  local r = request('textDocument/definition', at(5, 18))
  local loc = r[1] or r
  expect(loc.range.start.line == 0 and loc.range.start.character == 4, vim.inspect(r))
end)

check('completion after `| where ` lists the columns in scope', function()
  api.nvim_buf_set_lines(buf, 6, 6, true, { '| where ' })
  local r = request('textDocument/completion', at(6, 8))
  local items = r.items or r
  local labels = {}
  for _, item in ipairs(items) do labels[item.label] = true end
  expect(labels['Count'] and labels['DeviceName'], 'columns after summarize missing')
  expect(not labels['ProcessCommandLine'], 'a column summarize dropped is offered')
end)

check('diagnostics update after an edit', function()
  -- The incomplete `| where ` is a syntax error at line 7.
  local p = diagnostics_after(version)
  local d = find_code(p.diagnostics, 'KQL001')
  expect(d and d.range.start.line == 6, vim.inspect(p.diagnostics))
  version = p.version
  api.nvim_buf_set_lines(buf, 6, 7, true, {})
  -- 45d -> 7d: the retention finding goes away.
  api.nvim_buf_set_text(buf, 2, 24, 2, 26, { '7' })
  vim.wait(TIMEOUT, function()
    local last = pubs[#pubs]
    return last.version > version and not find_code(last.diagnostics, 'KQL001')
      and not find_code(last.diagnostics, 'AH001')
  end, 10)
  local last = pubs[#pubs]
  expect(not find_code(last.diagnostics, 'AH001'), vim.inspect(last))
  expect(not find_code(last.diagnostics, 'KQL001'), vim.inspect(last))
  version = last.version
end)

check('rename a let name', function()
  local params = at(5, 18)
  local prep = request('textDocument/prepareRename', params)
  expect(prep and prep.start.line == 5, vim.inspect(prep))
  params.newName = 'limit'
  local edit = request('textDocument/rename', params)
  lsp.util.apply_workspace_edit(edit, 'utf-16')
  local l = lines()
  expect(l[1] == 'let limit = 5;', l[1])
  expect(l[6] == '| where Count > limit', l[6])
end)

check('a quick fix is applied', function()
  local row = 3
  -- The finding on that line, as the server last published it.
  local lsp_diags = {}
  for _, d in ipairs(pubs[#pubs].diagnostics) do
    if d.range.start.line == row then table.insert(lsp_diags, d) end
  end
  expect(#lsp_diags > 0, 'no finding on line 4: ' .. vim.inspect(pubs[#pubs]))
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = row, character = 30 }, ['end'] = { line = row, character = 30 } },
    context = { diagnostics = lsp_diags },
  }
  local actions = request('textDocument/codeAction', params)
  local fix
  for _, a in ipairs(actions or {}) do
    if a.kind == 'quickfix' and a.edit then fix = fix or a end
  end
  expect(fix, 'no quick fix: ' .. vim.inspect(actions))
  local before = lines()[row + 1]
  lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
  local after = lines()[row + 1]
  expect(after ~= before, 'the fix changed nothing')
  expect(after:match(' has '), after)
end)

check('formatting', function()
  api.nvim_buf_set_lines(buf, 5, 6, true, { '| where  Count>limit' })
  local edits = request('textDocument/formatting', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    options = { tabSize = 4, insertSpaces = true },
  })
  expect(edits and #edits > 0, 'no edits')
  lsp.util.apply_text_edits(edits, buf, 'utf-16')
  local l = lines()
  expect(l[6] == '| where Count > limit', vim.inspect(l))
end)

check('the server exits cleanly after shutdown', function()
  lsp.stop_client(client_id)
  vim.wait(TIMEOUT, function() return exit_code ~= nil end, 10)
  expect(exit_code == 0, 'exit code ' .. tostring(exit_code))
end)

io.stdout:write(string.format('%d failed\n', failures))
vim.cmd(failures == 0 and 'qa!' or 'cq!')
