#!/usr/bin/env python3
"""Assemble sibling trees from the Azure ML localized-docs corpus and run locdrift on them.

The corpus (see README.md beside this script) holds, for each document path, several English
versions and translations made from some of them. A translation is only comparable with the
English version it was translated from, so this script:

1. matches every translation with the English version it most likely came from (the rule is
   in `match_versions`: translations sharing `ms.openlocfilehash` are one hand-off and vote
   together; each English version is scored on Markdown structure that translation keeps
   (link targets, table shape and row keys, alert kinds, includes, headings), with an equal
   `ms.date` as a bonus and date proximity as the tie-breaker);
2. writes one sibling tree per English version, OUT/<version>/en-us/<path> and
   OUT/<version>/<locale>/<path>, with a further tree `<version>~2` where one locale has two
   translations of the same path from the same version (two forks);
3. runs `locdrift check TREE --format json` on each tree and writes every finding, with a
   stable id, to OUT/findings.tsv, and the pairs to OUT/pairs.tsv;
4. with `--labels FILE`, joins the findings with a labels file (id, verdict, reason) and
   prints precision per rule and overall, and which findings are unlabelled or gone.

Python 3.8+, standard library only.
"""

import argparse
import collections
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

DEFAULT_CORPUS = "/work/shared/corpus/azure-ml"
DEFAULT_RULES = "--select ALL --ignore broken-link,broken-anchor,missing-translation"

LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
ALERT_RE = re.compile(r"^\s*>\s*\[!(NOTE|TIP|IMPORTANT|CAUTION|WARNING)\]", re.I | re.M)
INCLUDE_RE = re.compile(r"\[!INCLUDE\s*\[[^\]]*\]\(\s*([^)\s]+)", re.I)
HEADING_RE = re.compile(r"^(#{1,6})\s", re.M)
LOCALE_SEGMENT_RE = re.compile(r"/[a-z]{2,3}(?:-[a-z0-9]{2,4}){1,2}/")
FRONT_RE = re.compile(r"\A\ufeff?---\r?\n(.*?)\r?\n---\r?\n", re.S)


def read_manifest(corpus):
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def front(text):
    """Front-matter `key: value` lines as a dict (flat; enough for ms.* keys)."""
    m = FRONT_RE.match(text)
    out = {}
    if m:
        for line in m.group(1).splitlines():
            if ":" in line and not line.startswith(" "):
                k, v = line.split(":", 1)
                out[k.strip()] = v.strip().strip('"')
    return out


def norm_target(t):
    t = t.strip().lower().rstrip("/")
    return LOCALE_SEGMENT_RE.sub("/{locale}/", t)


def features(text):
    """What translation keeps of a document: structure, link targets, includes."""
    body = FRONT_RE.sub("", text, count=1)
    tables = []
    current = None
    for line in body.splitlines():
        s = line.strip()
        if s.startswith("|"):
            if current is None:
                current = {"cols": s.strip("|").count("|") + 1, "keys": []}
                tables.append(current)
            elif not re.match(r"^\|?\s*:?-{2,}", s):
                first = s.strip("|").split("|")[0]
                link = LINK_RE.search(first)
                current["keys"].append(norm_target(link.group(1)) if link else "")
        else:
            current = None
    return {
        "links": collections.Counter(norm_target(t) for t in LINK_RE.findall(body)),
        "alerts": [a.upper() for a in ALERT_RE.findall(body)],
        "includes": sorted(norm_target(p) for p in INCLUDE_RE.findall(body)),
        "headings": [len(h) for h in HEADING_RE.findall(body)],
        "tables": tables,
    }


def jaccard(a, b):
    """Multiset Jaccard similarity; 1.0 when both are empty."""
    a, b = collections.Counter(a), collections.Counter(b)
    union = sum((a | b).values())
    return 1.0 if union == 0 else sum((a & b).values()) / union


def seq_ratio(a, b):
    if not a and not b:
        return 1.0
    same = sum(1 for x, y in zip(a, b) if x == y)
    return same / max(len(a), len(b))


def structure_score(tr, en):
    """How alike two documents are in what translation must not change (0 to 7)."""
    score = 3.0 * jaccard(tr["links"], en["links"])
    score += 1.0 * seq_ratio(tr["alerts"], en["alerts"])
    score += 1.0 * jaccard(tr["includes"], en["includes"])
    score += 0.5 * (1.0 if tr["headings"] == en["headings"] else seq_ratio(tr["headings"], en["headings"]))
    tt, et = tr["tables"], en["tables"]
    shape = 1.0 if len(tt) == len(et) else 0.0
    rows = 1.0
    if tt or et:
        pairs = list(zip(tt, et))
        shape *= sum(1.0 if a["cols"] == b["cols"] else 0.0 for a, b in pairs) / max(len(tt), len(et))
        rows = sum(seq_ratio(a["keys"], b["keys"]) for a, b in pairs) / max(len(tt), len(et))
    return score + 0.5 * shape + 1.0 * rows


def date_key(d):
    """MM/DD/YYYY as a sortable tuple; unknown dates sort first."""
    m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", d or "")
    return (int(m.group(3)), int(m.group(1)), int(m.group(2))) if m else (0, 0, 0)


def days(d):
    y, m, dd = date_key(d)
    return y * 372 + m * 31 + dd


def version_of(saved_as):
    """The English version a file belongs to: its `<owner>__<repo>[@commit8]` folder."""
    return saved_as.split("/")[1]


def match_versions(corpus, rows):
    """Picks the English version each translation was made from.

    Rule: translations with the same (path, ms.openlocfilehash) are one hand-off of one English
    text, so they are scored together. Each English version of the path gets the summed
    `structure_score` over the group, plus 0.5 when its ms.date equals the translations' (the
    date is copied at hand-off, but several English versions share a date, so it is only a
    bonus). The best total wins; a tie goes to the version whose ms.date is closest to the
    translation's, then to the older one, then by name, so the result is deterministic.
    """
    english = collections.defaultdict(list)
    translations = []
    for r in rows:
        text = open(os.path.join(corpus, r["saved_as"]), encoding="utf-8-sig").read()
        item = dict(r, features=features(text))
        if r["locale"] == "en-us":
            english[r["path"]].append(item)
        else:
            translations.append(item)
    groups = collections.defaultdict(list)
    for t in translations:
        groups[(t["path"], t["ms.openlocfilehash"] or t["saved_as"])].append(t)
    chosen = []
    for (path, _), members in sorted(groups.items()):
        candidates = english.get(path, [])
        if not candidates:
            for t in members:
                chosen.append((t, None, 0.0, False))
            continue
        scored = []
        for en in candidates:
            structure = sum(structure_score(t["features"], en["features"]) for t in members) / len(members)
            same_date = all(t["ms.date"] == en["ms.date"] for t in members)
            total = structure + (0.5 if same_date else 0.0)
            distance = abs(days(members[0]["ms.date"]) - days(en["ms.date"]))
            scored.append((-round(total, 6), distance, date_key(en["ms.date"]), version_of(en["saved_as"]), en, structure, same_date))
        scored.sort(key=lambda s: s[:4])
        best = scored[0]
        for t in members:
            chosen.append((t, best[4], best[5], best[6]))
    return chosen


def match_latest(corpus, rows):
    """Pairs every translation with the newest English version of its path (by ms.date,
    then by name): what a maintainer comparing with today's source would run."""
    english = collections.defaultdict(list)
    for r in rows:
        if r["locale"] == "en-us":
            english[r["path"]].append(r)
    chosen = []
    for t in rows:
        if t["locale"] == "en-us":
            continue
        candidates = sorted(english.get(t["path"], []), key=lambda e: (date_key(e["ms.date"]), version_of(e["saved_as"])))
        chosen.append((t, candidates[-1] if candidates else None, 0.0, bool(candidates) and candidates[-1]["ms.date"] == t["ms.date"]))
    return chosen


def build(corpus, out, chosen):
    """Writes the trees; returns [(tree, locale, path, translation row, english row, score, same_date)]."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    pairs = []
    taken = set()
    for t, en, score, same_date in sorted(chosen, key=lambda c: c[0]["saved_as"]):
        if en is None:
            continue
        version = version_of(en["saved_as"])
        slot = 1
        while (version, slot, t["locale"], t["path"]) in taken:
            slot += 1
        taken.add((version, slot, t["locale"], t["path"]))
        tree = version if slot == 1 else "%s~%d" % (version, slot)
        for locale, row in (("en-us", en), (t["locale"], t)):
            dest = os.path.join(out, tree, locale, row["path"])
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copyfile(os.path.join(corpus, row["saved_as"]), dest)
        pairs.append((tree, t["locale"], t["path"], t, en, score, same_date))
    return pairs


def finding_id(tree, f):
    """Stable across runs while the finding says the same thing at the same line."""
    key = "\t".join([tree, f["file"], f["rule"], str(f["line"]), str(f["column"]), f["message"]])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def run_locdrift(binary, out, trees, rules):
    findings = []
    for tree in trees:
        cmd = [binary, "check", tree, "--format", "json"] + rules.split()
        proc = subprocess.run(cmd, cwd=out, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if proc.returncode not in (0, 1):
            sys.exit("locdrift failed on %s (exit %d): %s" % (tree, proc.returncode, proc.stderr))
        for f in json.loads(proc.stdout)["findings"]:
            f["tree"] = tree
            # Paths relative to the tree: `sv-se/includes/x.md`.
            f["file"] = os.path.relpath(f["file"], tree)
            f["id"] = finding_id(tree, f)
            findings.append(f)
    return findings


def write_tsv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def clean(s):
    return s.replace("\t", " ").replace("\n", " ")


def read_labels(path, run=None):
    """Labels by finding id; with `run`, only the labels of that run (column `run`)."""
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f, delimiter="\t") if run is None or r.get("run") == run}


def precision(findings, labels, labelled_only=False):
    """Prints TP/FP/precision per rule; returns the number of unlabelled findings.
    With `labelled_only` (a labelled sample), findings without a label are not listed."""
    per = collections.defaultdict(lambda: [0, 0])
    unlabelled = []
    for f in findings:
        lab = labels.get(f["id"])
        if lab is None or lab["verdict"] not in ("TP", "FP"):
            unlabelled.append(f)
            continue
        per[f["rule"]][0 if lab["verdict"] == "TP" else 1] += 1
    print("%-22s %5s %5s %9s" % ("rule", "TP", "FP", "precision"))
    tp_all = fp_all = 0
    for rule in sorted(per):
        tp, fp = per[rule]
        tp_all += tp
        fp_all += fp
        print("%-22s %5d %5d %8.1f%%" % (rule, tp, fp, 100.0 * tp / (tp + fp)))
    if tp_all + fp_all:
        print("%-22s %5d %5d %8.1f%%" % ("overall", tp_all, fp_all, 100.0 * tp_all / (tp_all + fp_all)))
    if labelled_only:
        return 0
    current = {f["id"] for f in findings}
    gone = [l for i, l in labels.items() if i not in current]
    fixed = collections.Counter((l["rule"], l["verdict"]) for l in gone)
    if gone:
        print("labelled findings no longer reported: " + ", ".join("%s %s x%d" % (r, v, n) for (r, v), n in sorted(fixed.items())))
    for f in unlabelled:
        print("UNLABELLED %s %s/%s:%s %s: %s" % (f["id"], f["tree"], f["file"], f["line"], f["rule"], f["message"]))
    return len(unlabelled)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", default=DEFAULT_CORPUS, help="corpus folder with MANIFEST.tsv")
    p.add_argument("--out", required=True, help="output folder (replaced)")
    p.add_argument("--locdrift", default=os.path.join(repo, "target", "debug", "locdrift"), help="locdrift binary")
    p.add_argument("--rules", default=DEFAULT_RULES, help="rule selection passed to `locdrift check`")
    p.add_argument("--labels", help="labels.tsv to compute precision with")
    p.add_argument("--run", help="only the labels whose `run` column has this value (a sample)")
    p.add_argument(
        "--labelled-only",
        action="store_true",
        help="the labels are a sample: count only labelled findings, do not list the others",
    )
    p.add_argument("--no-run", action="store_true", help="only build the trees")
    p.add_argument(
        "--pairing",
        choices=["matched", "latest"],
        default="matched",
        help="matched: the English version each translation was made from (default); latest: the newest English",
    )
    a = p.parse_args()

    rows = read_manifest(a.corpus)
    chosen = match_versions(a.corpus, rows) if a.pairing == "matched" else match_latest(a.corpus, rows)
    pairs = build(a.corpus, a.out, chosen)
    write_tsv(
        os.path.join(a.out, "pairs.tsv"),
        ["tree", "locale", "path", "translation", "ms.date", "ms.openlocfilehash", "english", "english ms.date", "structure", "same_date"],
        [
            (tree, loc, path, t["saved_as"], t["ms.date"], t["ms.openlocfilehash"], en["saved_as"], en["ms.date"], "%.2f" % s, "yes" if d else "no")
            for tree, loc, path, t, en, s, d in pairs
        ],
    )
    trees = sorted({p[0] for p in pairs})
    print("%d translations, %d English versions, %d pairs in %d trees under %s" % (
        sum(1 for r in rows if r["locale"] != "en-us"),
        sum(1 for r in rows if r["locale"] == "en-us"),
        len(pairs), len(trees), a.out), file=sys.stderr)
    if a.no_run:
        return
    findings = run_locdrift(os.path.abspath(a.locdrift), os.path.abspath(a.out), trees, a.rules)
    findings.sort(key=lambda f: (f["tree"], f["file"], f["line"], f["column"], f["rule"], f["message"]))
    write_tsv(
        os.path.join(a.out, "findings.tsv"),
        ["id", "tree", "file", "line", "column", "rule", "message"],
        [(f["id"], f["tree"], f["file"], f["line"], f["column"], f["rule"], clean(f["message"])) for f in findings],
    )
    counts = collections.Counter(f["rule"] for f in findings)
    print("%d findings: %s" % (len(findings), ", ".join("%s %d" % kv for kv in sorted(counts.items()))), file=sys.stderr)
    if a.labels:
        missing = precision(findings, read_labels(a.labels, a.run), a.labelled_only)
        if missing:
            sys.exit(1)


if __name__ == "__main__":
    main()
