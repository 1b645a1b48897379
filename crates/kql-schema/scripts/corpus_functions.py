#!/usr/bin/env python3
"""Measure built-in function catalog coverage over a KQL corpus.

Extracts `name(` call tokens outside strings and comments from every *.kql file,
drops keywords / tabular operators / literal constructors, and reports which names
are missing from the catalog (data/kusto_functions.txt and the overlay data/functions.txt).

usage: scripts/corpus_functions.py [CORPUS_DIR] [--list]
"""
import os, re, sys, collections

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOGS = [os.path.join(HERE, "..", "data", f) for f in ("kusto_functions.txt", "functions.txt")]
CORPUS = next((a for a in sys.argv[1:] if not a.startswith("--")), "/work/shared/corpus")

# Not functions: literal constructors, special forms, tabular operators, keywords.
EXCLUDE = set("""
datetime dynamic timespan time guid int long real double decimal bool boolean string date
typeof toscalar materialize table database cluster view let set declare pattern restrict
where project extend summarize by on in contains has and or not between
join union lookup mv-expand mv-apply mvexpand mvapply evaluate invoke render top take limit
sort order range print datatable externaldata external_data parse parse-where parse-kv
make-series find search getschema facet fork partition sample sample-distinct scan serialize
as count distinct project-away project-keep project-rename project-reorder reduce top-hitters
top-nested consume extend summarize with kind withsource hint.strategy step from to
iff_ macro-expand graph-match graph-merge make-graph graph-to-table
if function materialized_view external_table entity_group
inner outer leftouter rightouter fullouter leftanti rightanti leftsemi rightsemi innerunique anti semi
graph app workspace resource
has_any has_all has_cs hasprefix hassuffix startswith endswith matches shuffle broadcast none
""".split())

def strip(text):
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if text.startswith("```", i):
            j = text.find("```", i + 3)
            i = n if j < 0 else j + 3
            out.append(" ")
            continue
        if c in "@" and i + 1 < n and text[i + 1] in "'\"":
            q = text[i + 1]
            j = text.find(q, i + 2)
            i = n if j < 0 else j + 1
            out.append(' "" ')
            continue
        if c in "'\"":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            out.append(' "" ')
            continue
        out.append(c)
        i += 1
    return "".join(out)

CALL = re.compile(r"(?<![\w.\-$])([A-Za-z_][A-Za-z0-9_]*)\s*\(")
# names declared by the query itself: let f = (...) { } / let f = view () {}
LETFN = re.compile(r"\blet\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:view\s*)?\(")

def catalog_names():
    names = set()
    for catalog in CATALOGS:
        for line in open(catalog, encoding="utf-8"):
            line = line.strip()
            if not line or line.startswith("#") or line.startswith("["):
                continue
            names.add(line.split("(")[0].split("->")[0].split("~")[0].strip())
    return names

def main():
    uses, files_of = collections.Counter(), collections.defaultdict(set)
    for root, _, files in os.walk(CORPUS):
        for f in files:
            if not f.endswith(".kql"):
                continue
            text = strip(open(os.path.join(root, f), encoding="utf-8", errors="replace").read())
            local = set(LETFN.findall(text))
            for m in CALL.finditer(text):
                name = m.group(1)
                if name in EXCLUDE or name in local or name.lower() in EXCLUDE:
                    continue
                uses[name] += 1
                files_of[name].add(f)
    cat = catalog_names()
    # schema functions live in the schema, not the catalog
    schema_fns = {"FileProfile", "DeviceFromIP", "AssignedIPAddresses"}
    used = set(uses) - schema_fns
    # `*_fl` names are the docs' user-defined "functions library", installed with
    # `.create function`, not built-ins: reported apart.
    fl = {n for n in used if n.endswith("_fl")}
    used -= fl
    missing = sorted(n for n in used if n not in cat)
    print(f"catalog entries: {len(cat)}")
    print(f"distinct called names in corpus (after exclusions): {len(used)}")
    print(f"covered: {len(used) - len(missing)}  missing: {len(missing)}")
    print(f"user-defined *_fl library functions (not built-ins, not counted): {len(fl)}")
    print(f"call sites covered: {sum(uses[n] for n in used if n in cat)} / {sum(uses[n] for n in used)}")
    if "--list" in sys.argv:
        for n in sorted(missing, key=lambda n: -uses[n]):
            print(f"  {n}\t{uses[n]}\t{len(files_of[n])} files")

if __name__ == "__main__":
    main()
