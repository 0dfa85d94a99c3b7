#!/usr/bin/env python3
"""Stale verdicts before and after sync points, on a corpus rebuilt as a git repository
with a synthetic history (the corpora are snapshots without their history).

    bench/stale-verdicts.py CORPUS_DIR SOURCE_PREFIX TRANSLATION_TEMPLATE LOCDRIFT [SOURCE_LOCALE]
    bench/stale-verdicts.py ../shared/corpus/tldr pages/ 'pages.{locale}/{path}' target/release/locdrift
    bench/stale-verdicts.py ../shared/corpus/hugo-k8s content/en/docs/ 'content/{locale}/docs/{path}' target/release/locdrift en

Day 1 commits the corpus as it is. Then, per English page, at random: a cosmetic commit
(emphasis, link spelling, shortcode delimiters, reflow, a word), a meaningful commit (a
list item or example more, a changed command or code line, a feature-state bump), or
nothing. After that, half of the translations of meaningfully changed pages get a typo
commit, and a bulk commit touches a third of all translations without changing what they
say. The old verdict is the commit-time rule (the source's last commit is newer than the
translation's); the new one is `locdrift check --select stale-translation`. Prints the
counts by what happened to each pair, and examples.
"""
import json, os, random, re, shutil, subprocess, sys, collections

corpus, prefix, template, locdrift = sys.argv[1:5]
source_locale = sys.argv[5] if len(sys.argv) > 5 else None
seed = 1
rng = random.Random(seed)
name = os.path.basename(corpus.rstrip("/"))
repo = f"/var/tmp/sync-measure/{name}"
shutil.rmtree(repo, ignore_errors=True)
shutil.copytree(corpus, repo)
env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
day = [0]

def git(*args, msg_env=None):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True, env=env).stdout

def commit(message):
    day[0] += 1
    d = f"2024-01-01T00:00:00Z"
    e = dict(env, GIT_AUTHOR_DATE=f"{1704067200 + day[0] * 3600} +0000", GIT_COMMITTER_DATE=f"{1704067200 + day[0] * 3600} +0000")
    subprocess.run(["git", "-C", repo, "commit", "-qam", message], check=True, env=e, capture_output=True)

open(os.path.join(repo, "locdrift.yaml"), "w").write((f"source-locale: {source_locale}\n" if source_locale else "") + f"layout:\n  source: \"{prefix}{{path}}\"\n  translation: \"{template}\"\n")
git("init", "-q", "-b", "main")
git("add", "-A")
commit("import")

md = sorted(os.path.relpath(os.path.join(d, f), repo) for d, _, fs in os.walk(repo) if "/.git" not in d + "/" for f in fs if f.endswith(".md") and f != "README.md")
sources = [p for p in md if p.startswith(prefix)]
def translations_of(src):
    rest = src[len(prefix):]
    return [p for p in md if p != src and p.endswith("/" + rest) and not p.startswith(prefix)]

COSMETIC = [
    ("link spelling", lambda t: re.sub(r"\]\((/docs/[^)#\s]*?)/\)", r"](\1)", t, count=3)),
    ("link spelling", lambda t: re.sub(r"<(https://[^>\s]*?)/>", r"<\1>", t, count=1)),
    ("shortcode delimiters", lambda t: t.replace("{{< note >}}", "{{% note %}}").replace("{{< /note >}}", "{{% /note %}}")),
    ("emphasis", lambda t: re.sub(r"(?m)^([A-Z][a-z]+) ", r"*\1* ", t, count=1)),
    ("reflow", lambda t: re.sub(r"(?m)^([A-Za-z][^\n`|{<>#-]{30,}?) ([a-z]{3,}[^\n`|{<>]{20,})$", r"\1\n\2", t, count=1)),
    ("a word", lambda t: re.sub(r"(?m)^(- [A-Z][a-z]+ )the ", r"\1a ", t, count=1)),
]
MEANINGFUL = [
    ("example added", lambda t: t + ("\n- Show the version:\n\n`tool --version`\n" if "pages" in prefix else "\n- Check the result with `kubectl get events`.\n")),
    ("command changed", lambda t: re.sub(r"(?m)^`([^`\n]+)`$", lambda m: f"`{m.group(1)} --verbose`", t, count=1)),
    ("code changed", lambda t: re.sub(r"(?m)^(```[a-z]*\n)([^\n]+)", r"\1\2 --v=2", t, count=1)),
    ("feature-state bumped", lambda t: re.sub(r'for_k8s_version="v1\.(\d+)"', lambda m: f'for_k8s_version="v1.{int(m.group(1)) + 1}"', t, count=1)),
]

def read(p):
    return open(os.path.join(repo, p), encoding="utf-8").read()
def write(p, t):
    open(os.path.join(repo, p), "w", encoding="utf-8").write(t)

what = {}
for src in sources:
    r = rng.random()
    text = read(src)
    if r < 0.35:
        kinds = COSMETIC[:]
        rng.shuffle(kinds)
        for kind, edit in kinds:
            new = edit(text)
            if new != text:
                write(src, new); commit(f"{src}: {kind}"); what[src] = ("cosmetic", kind); break
    elif r < 0.6:
        kinds = MEANINGFUL[:]
        rng.shuffle(kinds)
        for kind, edit in kinds:
            new = edit(text)
            if new != text:
                write(src, new); commit(f"{src}: {kind}"); what[src] = ("meaningful", kind); break

after = {}
for src in sources:
    if what.get(src, ("",))[0] == "meaningful":
        for tr in translations_of(src):
            if rng.random() < 0.5:
                t = read(tr)
                write(tr, t.replace(" ,", ",", 1) + ("" if t.endswith("\n") else "\n") + "\n")
                commit(f"{tr}: typo"); after[tr] = "typo fix"
bulk = [tr for src in sources for tr in translations_of(src) if rng.random() < 1 / 3]
for tr in bulk:
    t = read(tr)
    write(tr, t.rstrip("\n") + "\n\n")
    after.setdefault(tr, "bulk commit")
commit("*: synchronize all translations")

def last_time(p):
    return int(git("log", "-1", "--format=%ct", "--", p).strip() or 0)

out = subprocess.run([locdrift, "check", repo, "--select", "stale-translation", "--format", "json", "--no-cache"], capture_output=True, text=True)
report = json.loads(out.stdout)
new_stale = {}
for f in report["findings"]:
    if "sync" in f:
        new_stale[os.path.relpath(os.path.abspath(f["file"]), repo) if os.path.isabs(f["file"]) else f["file"].split(repo.rstrip("/") + "/")[-1]] = f

rows = collections.Counter()
examples = collections.defaultdict(list)
pairs = 0
for src in sources:
    s_time = last_time(src)
    for tr in translations_of(src):
        pairs += 1
        old = s_time > last_time(tr)
        new = tr in new_stale
        happened = what.get(src, ("none", ""))
        key = (happened[0], after.get(tr, "-"), "old stale" if old else "old fresh", "new stale" if new else "new fresh")
        rows[key] += 1
        if len(examples[key]) < 3:
            examples[key].append((tr, happened[1], new_stale[tr]["message"] if new else ""))
print(f"{name}: {len(sources)} sources, {pairs} pairs; source edits: " + ", ".join(f"{k} {v}" for k, v in sorted(collections.Counter(w[0] for w in what.values()).items())))
changed = sum(n for k, n in rows.items() if (k[2] == "old stale") != (k[3] == "new stale"))
print(f"verdicts changed: {changed} of {pairs} ({100 * changed / pairs:.1f}%)")
for key, n in sorted(rows.items(), key=lambda kv: -kv[1]):
    print(f"{n:5d}  source {key[0]:<10} translation {key[1]:<11} {key[2]:<9} -> {key[3]}")
    for tr, kind, msg in examples[key][:2]:
        print(f"         e.g. {tr} ({kind}) {msg[:150]}")
print("history:", report["summary"].get("history"), "stderr:", out.stderr.strip()[:200])
