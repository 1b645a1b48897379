#!/usr/bin/env node
// Writes data/kusto_functions.txt and data/kusto_function_names.txt from Microsoft's
// Kusto.Language (npm @kusto/language-service-next, as installed by ../shared/oracle/setup):
// every scalar function, aggregate and plugin its analyzer knows (GlobalState.Default), with
// parameters, repetition, overloads, result types and obsolete/hidden flags. Facts only.
//
//   node crates/kql-schema/scripts/gen_catalog.js           # rewrite the two data files
//   node crates/kql-schema/scripts/gen_catalog.js --check   # exit 1 if they are out of date
//
// The package is found under $KQL_ORACLE_HOME (default ~/.cache/kql-oracle)/node_modules.
// Line format: see crates/kql-schema/src/catalog.rs.
'use strict';

const fs = require('fs');
const path = require('path');
const os = require('os');

const HOME = process.env.KQL_ORACLE_HOME || path.join(os.homedir(), '.cache', 'kql-oracle');
const PKG = path.join(HOME, 'node_modules', '@kusto', 'language-service-next');
if (!fs.existsSync(path.join(PKG, 'bridge.js'))) {
  console.error(`gen_catalog: ${PKG} not found; run ../shared/oracle/setup first`);
  process.exit(2);
}
require(path.join(PKG, 'bridge.js'));
require(path.join(PKG, 'Kusto.Language.Bridge.js'));
const K = global.Kusto.Language;
const S = K.Symbols;
const list = (l) => (l == null ? [] : Bridge.toArray(l));
const VERSION = require(path.join(PKG, 'package.json')).version;

const P = S.ParameterTypeKind;
const R = S.ReturnTypeKind;
const A = S.ArgumentKind;
/** Kusto's "repeats without limit" (MaxRepeat). */
const UNBOUNDED = 32767;

/** A parameter's accepted types, in the catalog's type words. */
function paramType(p) {
  if (p.ArgumentKind === A.StarOnly || p.ArgumentKind === A.StarAllowed) return 'any';
  switch (p.TypeKind) {
    case P.Declared: {
      const names = list(p.DeclaredTypes).map((t) => t.Name);
      return names.some((n) => n === 'type' || n === '') ? 'any' : names.join('|');
    }
    case P.Any: return 'any';
    case P.Tabular: return 'tabular';
    case P.Database: case P.Cluster: return 'string';
    case P.Integer: return 'int|long';
    case P.RealOrDecimal: return 'real|decimal';
    case P.StringOrDynamic: case P.StringOrArray: return 'string|dynamic';
    case P.IntegerOrArray: return 'int|long|dynamic';
    case P.DynamicArray: case P.DynamicBag: return 'dynamic';
    case P.Number: case P.CommonNumber: return 'numeric';
    case P.NumberOrBool: return 'numeric|bool';
    case P.Summable: case P.CommonSummable: return 'numeric|timespan';
    default: return 'scalar'; // Scalar, Orderable, Not*, Parameter0..2, CommonScalar...
  }
}

function repeat(p) {
  const min = p.MinOccurring;
  const max = p.MaxOccurring >= UNBOUNDED ? null : p.MaxOccurring;
  if (min === 1 && max === 1) return '';
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === null) return '*';
  if (min === 1 && max === null) return '+';
  return `{${min},${max === null ? '' : max}}`;
}

/** ` !literal` when Kusto takes only a literal here (ArgumentKind Literal or LiteralNotEmpty:
 * `datetime_diff`'s part, `format_datetime`'s format); a variable or expression is its KS131. */
function literal(p) {
  return p.ArgumentKind === A.Literal || p.ArgumentKind === A.LiteralNotEmpty ? ' !literal' : '';
}

const COMMON = new Set([P.CommonScalar, P.CommonNumber, P.CommonSummable, P.CommonOrderable,
  P.CommonScalarOrDynamic]);

/** The result rule of one signature, in the catalog's words. */
function returns(sig, params) {
  if (sig.Tabularity === S.Tabularity.Tabular) return 'tabular';
  switch (sig.ReturnKind) {
    case R.Declared: {
      const t = sig.DeclaredReturnType;
      if (!t || !t.Name) return '$unknown';
      return t.Name.startsWith('dynamic') ? 'dynamic' : t.Name;
    }
    case R.Parameter0: return '$1';
    case R.Parameter1: return '$2';
    case R.Parameter2: return '$3';
    case R.ParameterN: return `$${params.length}`;
    case R.Parameter0Promoted: return '$widen(1)';
    case R.Parameter0Array: return 'dynamic';
    case R.Widest: return '$numeric';
    case R.Common: case R.CommonNonDynamic: {
      const ix = params.map((p, i) => (COMMON.has(p.TypeKind) ? i + 1 : 0)).filter((i) => i);
      return ix.length ? `$common(${ix.join(',')})` : '$common(1..)';
    }
    case R.Parameter0Cluster: case R.Parameter0Database: case R.Parameter0Table:
    case R.Parameter0ExternalTable: case R.Parameter0MaterializedView:
    case R.Parameter0EntityGroup: case R.Parameter0StoredQueryResult: case R.Parameter0Graph:
      return 'tabular';
    default: return '$unknown'; // computed in Kusto's code (Custom, literal-valued...)
  }
}

function lines(fn) {
  const out = [];
  const alt = fn.Alternative ? ` ~${fn.Alternative.split(/['\s]/)[0]}` : '';
  const flags = (fn.IsObsolete ? ' !obsolete' : '') + (fn.IsHidden ? ' !hidden' : '');
  for (const sig of list(fn.Signatures)) {
    const params = list(sig.Parameters);
    const ps = params.map((p) => `${p.Name}:${paramType(p)}${repeat(p)}${literal(p)}`).join(', ');
    out.push(`${fn.Name}(${ps}) -> ${returns(sig, params)}${alt}${flags}`);
  }
  return out;
}

const g = K.GlobalState.Default;
// Functions that return a table (`table()`, `stored_query_result()`) get their own section.
const isTabular = (fn) => fn.Tabularity === S.Tabularity.Tabular;
const sections = [
  ['scalar', list(g.Functions).filter((fn) => !isTabular(fn))],
  ['tabular', list(g.Functions).filter(isTabular)],
  ['aggregate', list(g.Aggregates)],
  ['plugin', list(g.PlugIns)],
];
const header = [
  `# GENERATED by crates/kql-schema/scripts/gen_catalog.js from Microsoft's Kusto.Language`,
  `# (@kusto/language-service-next ${VERSION}, GlobalState.Default). Do not edit: regenerate.`,
];
const catalog = [...header, '# Line format: see crates/kql-schema/src/catalog.rs.'];
const names = [...header, '# section name: every function, aggregate and plugin the analyzer knows.'];
for (const [section, fns] of sections) {
  const sorted = fns.slice().sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  catalog.push('', `[${section}]`);
  for (const fn of sorted) {
    catalog.push(...lines(fn));
    names.push(`${section} ${fn.Name}`);
  }
}

const dataDir = path.join(__dirname, '..', 'data');
const files = [
  [path.join(dataDir, 'kusto_functions.txt'), catalog.join('\n') + '\n'],
  [path.join(dataDir, 'kusto_function_names.txt'), names.join('\n') + '\n'],
];
if (process.argv.includes('--check')) {
  const stale = files.filter(([f, text]) => !fs.existsSync(f) || fs.readFileSync(f, 'utf8') !== text);
  for (const [f] of stale) console.error(`gen_catalog: ${path.relative(process.cwd(), f)} is out of date`);
  process.exit(stale.length ? 1 : 0);
}
for (const [f, text] of files) fs.writeFileSync(f, text);
console.log(`gen_catalog: ${names.length - header.length - 1} entries from Kusto.Language ${VERSION}`);
