// End-to-end test of the kqlkit extension in a real VS Code: code-server (VS Code in a browser)
// driven in headless Chromium by playwright-core. It installs the .vsix into a fresh profile,
// opens a workspace of .kql files and a kql.toml, checks from the page what a user would see,
// saves a screenshot, prints the extension host's log on failure, and ends with
// "N passed, N failed" (exit 1 on any failure).
//
//   node run.mjs --vsix ../kqlkit-linux-x64-0.1.0.vsix [--kql PATH] [--out DIR] [--screenshot FILE]
//
// --kql sets kqlkit.server.path (for a universal .vsix without a bundled binary).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import {
  extensionHostLogs, freePort, installExtension, outputChannelLog, prepare, startCodeServer,
  stopCodeServer, which, writeJson,
} from './harness.mjs';
import { Workbench, until } from './workbench.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { out: path.join(here, 'out') };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!['vsix', 'kql', 'out', 'screenshot'].includes(key) || argv[i + 1] === undefined) {
      console.error(`usage: node run.mjs --vsix FILE [--kql PATH] [--out DIR] [--screenshot FILE]`);
      process.exit(2);
    }
    args[key] = path.resolve(argv[i + 1]);
  }
  if (args.vsix === undefined) {
    console.error('--vsix is required');
    process.exit(2);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new Error(`code-server 4.139 needs Node 24; this is Node ${process.version} (see scripts/ci.sh)`);
  }
  fs.mkdirSync(args.out, { recursive: true });
  const port = await freePort();
  const dirs = prepare(args, port);
  installExtension(dirs, args.vsix);
  const server = await startCodeServer(dirs, port);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    // Killed from outside: take code-server, its extension host and kql lsp along.
    process.once(signal, () => {
      stopCodeServer(server);
      process.exit(1);
    });
  }
  const results = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(dirs.chrome, {
      executablePath: which('chromium'),
      headless: true,
      viewport: { width: 1280, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
    });
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
    const wb = new Workbench(page);
    await wb.ready();
    await runChecks(wb, page, dirs, args, results);
    await runFailureChecks(wb, page, dirs, args, results);
  } catch (err) {
    results.push({ name: 'setup', ok: false });
    console.log(`FAIL setup: ${err instanceof Error ? err.stack : err}`);
  } finally {
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) {
      console.log(`\nExtension host logs (${dirs.userData}/logs):\n${extensionHostLogs(dirs)}`);
    }
    await context?.close().catch(() => {});
    stopCodeServer(server);
    console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
    process.exitCode = failed.length > 0 || results.length === 0 ? 1 : 0;
    if (failed.length === 0) {
      fs.rmSync(dirs.root, { recursive: true, force: true });
    }
  }
}

/** Runs one named check; a failure is recorded with a screenshot and the run goes on. */
async function check(results, page, out, name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
  } catch (err) {
    results.push({ name, ok: false });
    const shot = path.join(out, `failed-${results.length}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`FAIL ${name}: ${err instanceof Error ? err.message : err}\n     screenshot: ${shot}`);
  }
}

function expect(cond, message) {
  if (!cond) {
    throw new Error(message);
  }
}

/** A value cut short for a report line. */
const short = (s) => JSON.stringify(s.length > 160 ? `${s.slice(0, 160)}…` : s);

/** A Problems row of the time-beyond-retention finding (by rule name, or by its code AH001). */
const isRetention = (row) => /time-beyond-retention|AH001/.test(row);

async function runChecks(wb, page, dirs, args, results) {
  const run = (name, fn) => check(results, page, args.out, name, fn);

  await run('the language mode of a .kql file reads KQL', async () => {
    await wb.openFile('retention.kql');
    const mode = await until(async () => ((await wb.languageMode()) === 'KQL' ? 'KQL' : ''), 15_000);
    expect(mode === 'KQL', `language mode is ${await wb.languageMode()}`);
  });

  await run(`the server runs from ${args.kql === undefined ? 'the binary bundled in the .vsix' : 'kqlkit.server.path'}`, async () => {
    const want = args.kql === undefined ? '(from bundled)' : '(from setting)';
    const line = await until(() => outputChannelLog(dirs).split('\n').find((l) => l.includes('Starting ')), 20_000);
    expect(line?.includes(want) && line.includes(' lsp '), `KQL output channel: ${short(line ?? outputChannelLog(dirs))}`);
    return line.replace(/^.*Starting /, 'Starting ');
  });

  await run('a comment gets the grammar scope comment.line.double-slash.kql', async () => {
    const scopes = await wb.tokenScopes(1, 6);
    expect(scopes.includes('comment.line.double-slash.kql'), `scopes: ${short(scopes)}`);
  });

  await run('a tabular operator gets the grammar scope keyword.control.tabular.kql', async () => {
    const scopes = await wb.tokenScopes(3, 4);
    expect(scopes.includes('keyword.control.tabular.kql'), `scopes: ${short(scopes)}`);
  });

  await run('time-beyond-retention shows in the Problems panel at line 3', async () => {
    await wb.openProblems();
    const rows = await until(async () => {
      const all = await wb.problemRows();
      return all.some(isRetention) ? all : undefined;
    }, 60_000);
    expect(rows !== undefined, `problems: ${short(String(await wb.problemRows()))}`);
    const row = rows.find(isRetention);
    expect(/Ln 3\b/.test(row), `row: ${short(row)}`);
    return short(row);
  });

  await run('kql.toml in the workspace applies (unbounded-result is an error squiggle)', async () => {
    const s = await until(async () => { const q = await wb.squiggles(); return q.errors > 0 && q.warnings > 0 ? q : undefined; }, 20_000);
    expect(s !== undefined, `squiggles: ${JSON.stringify(await wb.squiggles())}`);
    return `${s.errors} error and ${s.warnings} warning squiggles`;
  });

  await run('hover over a column shows its type', async () => {
    // AccountName at the end of line 4: its hover leaves the line 3 squiggle in view for the screenshot.
    const text = await wb.hoverAt(4, 54, /AccountName.*string/s);
    expect(/AccountName/.test(text) && /\bstring\b/.test(text), `hover: ${short(text)}`);
    const clip = await wb.editorAndPanelBox();
    await page.screenshot({ path: path.join(args.out, 'screenshot.png'), clip });
    if (args.screenshot !== undefined) {
      await page.screenshot({ path: args.screenshot, clip });
    }
    await page.keyboard.press('Escape');
    return short(text);
  });

  await run('completion after "| where " lists the columns of the table', async () => {
    await wb.focusEditor();
    await wb.goTo(2, 18);
    const { first, filtered } = await wb.completionsAfter('\n| where ', 'LogonT');
    await wb.runCommand('File: Revert File');
    // Columns of DeviceLogonEvents that the file does not mention, so no word-based guess.
    const labels = [...first, ...filtered];
    const missing = ['AccountDomain', 'AccountSid', 'LogonType'].filter((c) => !labels.some((l) => l.startsWith(c)));
    expect(missing.length === 0, `missing ${missing.join(', ')} in ${short(labels.join(' | '))}`);
    return `first rows: ${first.slice(0, 4).map((l) => l.split(',')[0]).join(', ')}; after "LogonT": ${filtered.map((l) => l.split(',')[0]).join(', ')}`;
  });

  await run('applying the quick fix of unbounded-result changes the text', async () => {
    await wb.openFile('rows.kql');
    await until(async () => (await wb.squiggles()).errors > 0, 20_000);
    // The finding sits where the bound is lost: the table read on line 2.
    await wb.goTo(2, 4);
    const fixes = await wb.quickFixes();
    const fix = fixes.find((f) => f.includes('take 100000'));
    expect(fix !== undefined, `quick fixes: ${short(fixes.join(' | '))}`);
    await wb.applyQuickFix(fix);
    const text = await until(async () => { const t = await wb.editorText(); return t.includes('| take 100000') ? t : undefined; }, 10_000);
    expect(text !== undefined, `text: ${short(await wb.editorText())}`);
    return fix;
  });

  await run('Copy API Request Body (Defender) puts {"Query": ...} on the clipboard', async () => {
    await page.evaluate(() => navigator.clipboard.writeText('')).catch(() => {});
    await wb.runCommand('KQL: Copy API Request Body (Defender)');
    const body = await until(async () => {
      const c = await wb.clipboard();
      return c.includes('"Query"') ? c : undefined;
    }, 15_000);
    expect(body !== undefined, `clipboard: ${short(await wb.clipboard().catch(() => '?'))}; toasts: ${short(String(await wb.toasts()))}`);
    const parsed = JSON.parse(body);
    expect(typeof parsed.Query === 'string' && parsed.Query.includes('DeviceProcessEvents') && parsed.Query.includes('take 100000'),
      `body: ${short(body)}`);
    return short(body);
  });

  await run('Copy API Request Body (Graph) of a selection copies just the selection', async () => {
    await wb.goTo(2, 1);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    await wb.runCommand('KQL: Copy API Request Body (Graph)');
    const want = 'DeviceProcessEvents\n| where Timestamp > ago(1d)';
    const body = await until(async () => { const c = await wb.clipboard(); return c.includes(want.split('\n')[1]) && !c.includes('powershell') ? c : undefined; }, 15_000);
    expect(body !== undefined, `clipboard: ${short(await wb.clipboard().catch(() => '?'))}`);
    expect(JSON.parse(body).Query === want, `body: ${short(body)}`);
    return short(body);
  });

  await run('KQL: Show Syntax Tree opens the tree beside the query', async () => {
    await wb.runCommand('KQL: Show Syntax Tree');
    const tab = page.locator('.tab', { hasText: 'rows.kql.tree' }).first();
    await tab.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await until(async () => {
      const t = await page.locator('.editor-instance .monaco-editor .view-lines').evaluateAll((els) => els.map((e) => e.textContent).join('\n'));
      return t.includes('PIPE') ? t : undefined;
    }, 10_000);
    expect(text !== undefined, 'the tree document has no PIPE node');
    // Close the tree (it opened without focus): the next checks need a KQL editor active.
    await tab.click();
    await page.keyboard.press('Control+W');
    await tab.waitFor({ state: 'hidden', timeout: 5_000 });
  });

  await run('KQL: Fix All applies the safe fixes and only those', async () => {
    await wb.openFile('fixall.kql');
    // tolower-equality (safe fix) and contains-instead-of-has (unsafe fix) are infos.
    const before = await until(async () => (await wb.squiggles()).infos >= 2, 20_000);
    expect(before, `squiggles: ${JSON.stringify(await wb.squiggles())}`);
    await wb.runCommand('KQL: Fix All');
    const text = await until(async () => { const t = await wb.editorText(); return t.includes('FileName =~ "cmd.exe"') ? t : undefined; }, 10_000);
    expect(text !== undefined, `text: ${short(await wb.editorText())}`);
    // contains-instead-of-has has an unsafe fix: Fix All leaves it.
    expect(text.includes('contains "powershell"') && !text.includes('tolower('), `text: ${short(text)}`);
  });

  await run('retention 90 days (workspace setting) makes the warning go away without a reload', async () => {
    await wb.openFile('retention.kql');
    await page.evaluate(() => { window.kqlkitNoReload = true; });
    await wb.openProblems();
    const before = await until(async () => (await wb.problemRows()).some(isRetention), 20_000);
    expect(before, 'the warning is not there before the change');
    writeJson(path.join(dirs.workspace, '.vscode', 'settings.json'), { 'kqlkit.retentionDays': 90 });
    const gone = await until(async () => !(await wb.problemRows()).some(isRetention), 30_000);
    expect(gone, `still there: ${short(String(await wb.problemRows()))}`);
    expect(await page.evaluate(() => window.kqlkitNoReload === true), 'the page was reloaded');
  });
}


/** The server checks last: they point kqlkit.server.path at a missing file, then at a binary that exits at start. */
async function runFailureChecks(wb, page, dirs, args, results) {
  const run = (name, fn) => check(results, page, args.out, name, fn);
  const machineSettings = path.join(dirs.userData, 'Machine', 'settings.json');
  const toastWith = (text) => until(async () => (await wb.toasts()).find((t) => t.includes(text)), 20_000);

  await run('KQL: Restart Server starts a new server that publishes again', async () => {
    const starts = () => outputChannelLog(dirs).split('\n').filter((l) => l.includes('Starting ')).length;
    const before = starts();
    await wb.runCommand('KQL: Restart Server');
    expect(await until(() => starts() > before, 20_000), 'no new "Starting" line in the KQL output channel');
    await wb.openProblems();
    const back = await until(async () => (await wb.problemRows()).some((r) => r.includes('AH002')), 20_000);
    expect(back, `problems after the restart: ${short(String(await wb.problemRows()))}`);
  });

  await run('a missing server binary is reported in a notification', async () => {
    await wb.clearToasts();
    writeJson(machineSettings, { 'kqlkit.server.path': path.join(dirs.root, 'no-such-kql') });
    const toast = await toastWith('was not found');
    expect(toast !== undefined, `toasts: ${JSON.stringify(await wb.toasts())}`);
    return JSON.stringify(toast.slice(0, 120));
  });

  await run('a server that exits at start is reported with its stderr', async () => {
    await wb.clearToasts();
    const fake = path.join(dirs.root, 'old-kql');
    fs.writeFileSync(fake, "#!/bin/sh\necho \"error: unrecognized subcommand 'lsp'\" >&2\nexit 2\n", { mode: 0o755 });
    writeJson(machineSettings, { 'kqlkit.server.path': fake });
    const toast = await toastWith('exited at start');
    expect(toast !== undefined, `toasts: ${JSON.stringify(await wb.toasts())}`);
    expect(toast.includes('exit code 2') && toast.includes("unrecognized subcommand 'lsp'"), `toast: ${toast}`);
    return JSON.stringify(toast.slice(0, 160));
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
