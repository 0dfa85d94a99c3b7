-- End-to-end check of `locdrift lsp` in Neovim (0.7+, built-in LSP client).
--
-- Run by tests/it/lsp.rs as:
--   nvim --headless -n -i NONE -u INIT.lua FILE -c "luafile tests/it/nvim/diagnostics.lua"
-- where INIT.lua is the README's Neovim 0.7 snippet, with LOCDRIFT_ATTACHED set (the
-- snippet attaches the client), LOCDRIFT_BIN (the server binary), LOCDRIFT_OUT (where to
-- write the report) and LOCDRIFT_TIMEOUT_MS (how long to wait for diagnostics) in the
-- environment. Without LOCDRIFT_ATTACHED it starts the client itself (`--clean`).
--
-- The report has one line per diagnostic, "LINE:COL SEVERITY SOURCE CODE MESSAGE"
-- (1-based line and byte column, as Neovim shows them), then "stopped" when the server
-- shut down cleanly. Errors are written to the report too, and Neovim exits non-zero.

local out_path = assert(os.getenv("LOCDRIFT_OUT"), "LOCDRIFT_OUT is not set")
local lines = {}

local function finish(code)
  local f = assert(io.open(out_path, "w"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
  vim.cmd(code == 0 and "qall!" or ("cquit " .. code))
end

local ok, err = pcall(function()
  local bin = assert(os.getenv("LOCDRIFT_BIN"), "LOCDRIFT_BIN is not set")
  local timeout = tonumber(os.getenv("LOCDRIFT_TIMEOUT_MS") or "10000")
  local bufnr = vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  assert(file ~= "", "no file was opened")

  local client_id
  if os.getenv("LOCDRIFT_ATTACHED") then
    -- The init file (the README's snippet) started and attached the client.
    local attached = vim.wait(timeout, function()
      for id, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
        if c.name == "locdrift" then
          client_id = id
          return true
        end
      end
      return false
    end, 50)
    assert(attached, "the init file attached no locdrift client to the buffer")
  else
    -- vim.lsp.start_client + buf_attach_client: the API Neovim 0.7 has (0.8 adds vim.lsp.start).
    client_id = vim.lsp.start_client({
      name = "locdrift",
      cmd = { bin, "lsp" },
      root_dir = vim.fn.getcwd(),
    })
    assert(client_id, "the client did not start")
    assert(vim.lsp.buf_attach_client(bufnr, client_id), "could not attach to the buffer")
  end

  local got = vim.wait(timeout, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  if not got then
    error("no diagnostics within " .. timeout .. " ms")
  end

  local severities = { "E", "W", "I", "H" }
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
    table.insert(lines, string.format("%d:%d %s %s %s %s",
      d.lnum + 1, d.col + 1, severities[d.severity] or "?", d.source or "?", code, d.message))
  end
  table.sort(lines)

  -- shutdown + exit, as Neovim does when quitting; the server must go away.
  local client = vim.lsp.get_client_by_id(client_id)
  client.stop()
  local stopped = vim.wait(timeout, function()
    return client.is_stopped()
  end, 50)
  table.insert(lines, stopped and "stopped" or "still running")
end)

if ok then
  finish(0)
else
  table.insert(lines, "error: " .. tostring(err))
  finish(1)
end
