#!/usr/bin/env node
// Formats every *.kql file under IN with Microsoft's formatter (Kusto.Language's
// KustoCodeService.GetFormattedText, pipes on new lines, as `oracle.js format` does) into the same
// relative path under OUT, in one Node process (the oracle formats one file per process).
//
//   node crates/kql-fmt/scripts/ms-format.js ../shared/corpus/valid /tmp/ms-formatted
//
// Needs ../shared/oracle/setup run once (the package lives under $KQL_ORACLE_HOME).
'use strict';
const fs = require('fs');
const path = require('path');

const home = process.env.KQL_ORACLE_HOME || path.join(require('os').homedir(), '.cache', 'kql-oracle');
const pkg = path.join(home, 'node_modules', '@kusto', 'language-service-next');
require(path.join(pkg, 'bridge.js'));
require(path.join(pkg, 'Kusto.Language.Bridge.js'));
const Editor = global.Kusto.Language.Editor;
const options = Editor.FormattingOptions.Default.WithPipeOperatorStyle(Editor.PlacementStyle.NewLine);

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: ms-format.js IN_DIR OUT_DIR');
  process.exit(2);
}
let count = 0;
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) { walk(p); continue; }
    if (!/\.(kql|csl|kusto)$/i.test(entry.name)) continue;
    const text = fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '');
    const service = new Editor.KustoCodeService.$ctor1(text, global.Kusto.Language.GlobalState.Default);
    const target = path.join(output, path.relative(input, p));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, service.GetFormattedText(options).Text);
    count++;
  }
})(input);
console.error(`formatted ${count} files into ${output}`);
