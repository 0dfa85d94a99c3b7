//! The skeleton on real corpora (issue 19): a page compared with itself gives no finding,
//! removing one block gives exactly one finding that names it at its place, and constructs
//! dropped or changed in real translations are reported with their rule and line.

use std::path::{Path, PathBuf};

use locdrift::dialect::Dialect;
use locdrift::settings::Settings;
use locdrift::skeleton;

/// Each corpus: its name, dialect and the folder of its source pages.
pub const CORPORA: &[(&str, &str, &str)] = &[
    ("azure-ml", "docfx", "en-us"),
    ("docfx-nuget", "docfx", "docs.microsoft.com-nuget/docs"),
    ("docusaurus-kaia", "docusaurus", "docs"),
    ("hugo-k8s", "hugo", "content/en"),
    ("mkdocs-fastapi", "mkdocs", "docs/en/docs"),
    ("starlight-astro", "starlight", "src/content/docs/en"),
    ("starlight-self", "starlight", "docs/src/content/docs"),
    ("tldr", "tldr", "pages"),
    ("vitepress-self", "vitepress", "docs/en"),
    ("vitepress-testutils", "vitepress", "docs"),
];

/// Pages per corpus the properties are checked on: an even spread, so the test stays fast.
const SAMPLE: usize = 8;

fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md" || x == "mdx") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn sample(dir: &Path) -> Vec<PathBuf> {
    let all = pages(dir);
    let step = (all.len() / SAMPLE).max(1);
    all.into_iter().step_by(step).take(SAMPLE).collect()
}

fn settings(dialect: &str, rules: &[&str]) -> Settings {
    let mut s = Settings::default();
    let select = Some(rules.iter().map(|r| r.to_string()).collect());
    s.apply(&locdrift::settings::Selection { select, ..Default::default() }).unwrap();
    s.dialect = Dialect::get(dialect).unwrap();
    s
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

#[test]
fn a_page_compared_with_itself_gives_no_finding() {
    for &(name, dialect, src) in CORPORA {
        let Some(root) = crate::corpus(name) else { return };
        let mut s = Settings::default();
        s.dialect = Dialect::get(dialect).unwrap();
        for page in sample(&root.join(src)) {
            let text = std::fs::read_to_string(&page).unwrap();
            // "en": a translation in the source's language, where identical text is expected.
            let mut findings = locdrift::lint_pair(&text, &text, "en", &s);
            // Defects of the page alone (an anchor it names, unclosed front matter) are
            // reported whatever it is compared with.
            findings.retain(|f| f.rule.scope() == locdrift::rules::Scope::Pair);
            assert!(findings.is_empty(), "{}: {findings:#?}", page.display());
        }
    }
}

#[test]
fn removing_one_block_gives_one_finding_at_its_place() {
    let rules = ["block-missing", "block-extra", "untranslated-page"];
    for &(name, dialect, src) in CORPORA {
        let Some(root) = crate::corpus(name) else { return };
        let s = settings(dialect, &rules);
        let d = Dialect::get(dialect).unwrap();
        let mut checked = 0;
        for page in sample(&root.join(src)) {
            let text = std::fs::read_to_string(&page).unwrap();
            let sk = skeleton::build(&text, d);
            let sigs = sk.signatures(&text, d, None).list;
            for (i, b) in sk.blocks.iter().enumerate() {
                // Blocks other rules own, and ones whose removal would join their
                // neighbours into another block (a line of a paragraph, a list item's
                // tail), are not this property's.
                if !b.is_skeleton_finding(&text) || sk.in_gfm_alert(i, &text) || b.inline || i == 0 {
                    continue;
                }
                // Whole lines, `>` prefixes included.
                let start = text[..b.span.start].rfind('\n').map_or(0, |k| k + 1);
                let end = text[b.span.end..].find('\n').map_or(text.len(), |k| b.span.end + k + 1);
                if !text[start..b.span.start].trim_start_matches(['>', ' ']).trim().is_empty() {
                    continue;
                }
                let cut = format!("{}{}", &text[..start], &text[end..]);
                // Only removals that leave every other block as it was (removing the line
                // between a quote and an alert joins them, for one).
                let kinds = |s: &skeleton::Skeleton, skip: &dyn Fn(usize) -> bool| -> Vec<skeleton::Kind> {
                    s.blocks.iter().enumerate().filter(|(k, _)| !skip(*k)).map(|(_, b)| b.kind).collect()
                };
                let rest = kinds(&sk, &|k| k == i || sk.is_inside(k, i));
                if kinds(&skeleton::build(&cut, d), &|_| false) != rest {
                    continue;
                }
                let findings = locdrift::lint_pair(&text, &cut, "en", &s);
                let what = sk.describe(i, &text);
                assert_eq!(findings.len(), 1, "{}: removing the {what}: {findings:#?}", page.display());
                let f = &findings[0];
                assert_eq!(f.rule.name(), "block-missing", "{}: {f:?}", page.display());
                // Of two blocks with the same text, or prose with the same neutral tokens
                // (what a translation keeps), either may be the one missing.
                let body = |k: usize| &text[sk.blocks[k].span.start..sk.blocks[k].span.end];
                let twin = |k: usize| {
                    k != i && (body(k) == body(i) || sigs[k].kind == sigs[i].kind && sigs[k].key == sigs[i].key)
                };
                if (0..sk.blocks.len()).any(twin) {
                    checked += 1;
                    continue;
                }
                assert!(f.message.contains(&what), "{}: {} does not name {what}", page.display(), f.message);
                // The block before it, or the container that block ends (a `:::note` the
                // removed block follows): the missing block belongs after it.
                let mut k = i - 1;
                while let Some(p) = (sk.blocks[k].parent as usize).checked_sub(1) {
                    if sk.is_inside(i, p) {
                        break;
                    }
                    k = p;
                }
                let prev = &sk.blocks[k];
                let want = if sk.is_inside(i, k) {
                    line_of(&text, prev.span.start)
                } else {
                    line_of(&text, text[..prev.span.end].trim_end().len())
                };
                assert_eq!(line_of(&cut, f.span.start), want, "{}: removing the {what}", page.display());
                checked += 1;
            }
        }
        assert!(checked > 0 || name == "azure-ml", "{name}: no block removed");
    }
}

/// Per corpus, the constructs it really has, changed or dropped in a temp copy of a real
/// translation: (corpus, source page, translation page, text, replacement, rule, line).
/// An empty replacement drops the text, taken to the end of its block (the next blank line)
/// when it is not whole lines. Line 0 is where the change is, or for a drop the line before
/// it: a missing block is reported after the counterpart of the block before it.
type Case = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, usize);

const TLDR_TAR: (&str, &str) = ("pages/common/tar.md", "pages.fr/common/tar.md");
const K8S_PODS: (&str, &str) =
    ("content/en/docs/concepts/workloads/pods/_index.md", "content/ja/docs/concepts/workloads/pods/_index.md");
const K8S_SHELL: (&str, &str) = (
    "content/en/docs/tasks/debug/debug-application/get-shell-running-container.md",
    "content/ja/docs/tasks/debug/debug-application/get-shell-running-container.md",
);
const FASTAPI_BODY: (&str, &str) = ("docs/en/docs/tutorial/body.md", "docs/de/docs/tutorial/body.md");
const FASTAPI_META: (&str, &str) = ("docs/en/docs/tutorial/metadata.md", "docs/de/docs/tutorial/metadata.md");
const FASTAPI_ASYNC: (&str, &str) = ("docs/en/docs/advanced/async-tests.md", "docs/de/docs/advanced/async-tests.md");
const KAIA_MONITOR: (&str, &str) = (
    "docs/nodes/debugging/monitoring-setup.md",
    "i18n/ko/docusaurus-plugin-content-docs/current/nodes/debugging/monitoring-setup.md",
);
const KAIA_PROFILE: (&str, &str) = (
    "docs/nodes/debugging/node-profiling.md",
    "i18n/ko/docusaurus-plugin-content-docs/current/nodes/debugging/node-profiling.md",
);
const KAIA_PUBLIC: (&str, &str) =
    ("docs/references/public-en.md", "i18n/ko/docusaurus-plugin-content-docs/current/references/public-en.md");
const ASTRO_DOCKER: (&str, &str) = ("src/content/docs/en/recipes/docker.mdx", "src/content/docs/fr/recipes/docker.mdx");
const STARLIGHT_START: (&str, &str) =
    ("docs/src/content/docs/getting-started.mdx", "docs/src/content/docs/fr/getting-started.mdx");
const VITEPRESS_START: (&str, &str) = ("docs/en/guide/getting-started.md", "docs/ja/guide/getting-started.md");
const VTU_FORMS: (&str, &str) = ("docs/guide/essentials/forms.md", "docs/fr/guide/essentials/forms.md");
const NUGET_KEYS: (&str, &str) = (
    "docs.microsoft.com-nuget/docs/nuget-org/scoped-api-keys.md",
    "docs.microsoft.com-nuget.de-de/docs/nuget-org/scoped-api-keys.md",
);
const NUGET_DEPRECATE: (&str, &str) = (
    "docs.microsoft.com-nuget/docs/nuget-org/Deprecate-packages.md",
    "docs.microsoft.com-nuget.de-de/docs/nuget-org/Deprecate-packages.md",
);
const NUGET_TRANSFORMS: (&str, &str) = (
    "docs.microsoft.com-nuget/docs/create-packages/Source-and-Config-File-Transformations.md",
    "docs.microsoft.com-nuget.de-de/docs/create-packages/Source-and-Config-File-Transformations.md",
);

fn case(
    corpus: &'static str,
    page: (&'static str, &'static str),
    from: &'static str,
    to: &'static str,
    rule: &'static str,
    line: usize,
) -> Case {
    (corpus, page.0, page.1, from, to, rule, line)
}

fn cases() -> Vec<Case> {
    vec![
        // tldr: an example (description + command), a command, a quote line.
        case("tldr", TLDR_TAR, "`tar x", "`tar t", "command-mismatch", 0),
        case("tldr", TLDR_TAR, "- Crée une archive gzip à partir de fichiers :\n\n`tar czf {{chemin/vers/cible.tar.gz}} {{chemin/vers/fichier1 chemin/vers/fichier2 ...}}`\n\n", "", "block-missing", 0),
        case("tldr", TLDR_TAR, "`tar tvf {{chemin/vers/source.tar}}`\n\n", "", "block-missing", 0),
        case("tldr", TLDR_TAR, "> Souvent combiné avec une méthode de compression, telle que gzip ou bzip2.\n", "", "block-missing", 0),
        // Hugo: note shortcode, feature-state, code sample, glossary term, include, list
        // item, paragraph, code block, command.
        case("hugo-k8s", K8S_PODS, "{{< note >}}\nKubernetesはDocker", "{{< warning >}}\nKubernetesはDocker", "note-kind-mismatch", 0),
        case("hugo-k8s", K8S_PODS, "{{< note >}}\nKubernetesはDockerだけでなく複数の{{< glossary_tooltip text=\"コンテナランタイム\" term_id=\"container-runtime\" >}}をサポートしていますが、[Docker](https://www.docker.com/)が最も一般的に知られたランタイムであるため、Docker由来の用語を使ってPodを説明するのが理解の助けとなります。\n{{< /note >}}\n", "", "block-missing", 0),
        case("hugo-k8s", K8S_PODS, "for_k8s_version=\"v1.25\"", "for_k8s_version=\"v1.24\"", "directive-mismatch", 0),
        case("hugo-k8s", K8S_PODS, "state=\"stable\"", "state=\"beta\"", "directive-mismatch", 0),
        case("hugo-k8s", K8S_PODS, "{{% codenew file=\"pods/simple-pod.yaml\" %}}", "{{% codenew file=\"pods/other-pod.yaml\" %}}", "directive-mismatch", 0),
        case("hugo-k8s", K8S_PODS, "term_id=\"container\"", "term_id=\"pod\"", "directive-mismatch", 0),
        case("hugo-k8s", K8S_PODS, "- `metadata.deletionTimestamp`が", "", "block-missing", 0),
        case("hugo-k8s", K8S_SHELL, "このエクササイズでは、1つのコンテナを持つPodを作成します。", "", "block-missing", 0),
        case("hugo-k8s", K8S_SHELL, "コンテナが実行中であることを確認します:", "", "block-missing", 0),
        case("hugo-k8s", K8S_PODS, "```shell\nkubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml\n```\n", "", "code-mismatch", 0),
        case("hugo-k8s", K8S_PODS, "kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml", "kubectl create -f https://k8s.io/examples/pods/simple-pod.yaml", "command-mismatch", 0),
        case("hugo-k8s", K8S_SHELL, "{{< include \"task-tutorial-prereqs.md\" >}}", "{{< include \"other-prereqs.md\" >}}", "directive-mismatch", 0),
        // MkDocs: code include `{* *}`, pymdownx `/// note`, list item, paragraph, code, row.
        case("mkdocs-fastapi", FASTAPI_ASYNC, "{* ../../docs_src/async_tests/app_a_py310/test_main.py", "{* ../../docs_src/async_tests/app_b/test_main.py", "directive-mismatch", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "/// note | Hinweis\n\nUm Daten zu senden", "/// warning | Hinweis\n\nUm Daten zu senden", "note-kind-mismatch", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "/// note | Hinweis\n\nUm Daten zu senden", "", "block-missing", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "{* ../../docs_src/body/tutorial001_py310.py hl[16] *}\n\n", "", "block-missing", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "{* ../../docs_src/body/tutorial001_py310.py hl[16] *}", "{* ../../docs_src/body/tutorial009_py310.py hl[16] *}", "directive-mismatch", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "* Diese Daten validieren.\n    * Wenn die Daten ungültig sind, wird ein klar lesbarer Fehler zurückgegeben, der genau anzeigt, wo und was die inkorrekten Daten sind.\n", "", "block-missing", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "Zum Beispiel deklariert das obige Modell", "", "block-missing", 0),
        case("mkdocs-fastapi", FASTAPI_BODY, "```JSON\n{\n    \"name\": \"Foo\",\n    \"description\": \"An optional description\",\n    \"price\": 45.2,\n    \"tax\": 3.5\n}\n```\n", "", "code-mismatch", 0),
        case("mkdocs-fastapi", FASTAPI_META, "| `summary` | `str` | Eine kurze Zusammenfassung der API. <small>Verfügbar seit OpenAPI 3.1.0, FastAPI 0.99.0.</small> |\n", "", "row-missing", 0),
        // Docusaurus: `:::note[Title]`, a list item in it, paragraph, list item, code, row.
        case("docusaurus-kaia", KAIA_MONITOR, ":::note[Prometheus 하드웨어 요구 사항]", ":::warning[Prometheus 하드웨어 요구 사항]", "note-kind-mismatch", 0),
        case("docusaurus-kaia", KAIA_MONITOR, ":::note[Prometheus 하드웨어 요구 사항]\n\nPrometheus를 설정하기 전에 시스템이 다음 하드웨어 요구 사항을 충족하는지 확인하세요:\n\n- **프로세서:** 최소 2개의 CPU\n- **메모리:** 최소 4GB RAM\n- **저장 공간:** 최소 20GB의 디스크 여유 공간\n\n:::\n\n", "", "block-missing", 0),
        case("docusaurus-kaia", KAIA_MONITOR, "- **메모리:** 최소 4GB RAM\n", "", "block-missing", 0),
        case("docusaurus-kaia", KAIA_MONITOR, "[Prometheus](https://prometheus.io/)는 모니터링을", "", "block-missing", 0),
        case("docusaurus-kaia", KAIA_PROFILE, "- [http://localhost:6060/memsize/](http://localhost:6060/memsize/) - 메모리 크기 보고서.\n", "", "block-missing", 0),
        case("docusaurus-kaia", KAIA_PROFILE, "```bash\n> debug.stopPProf()\n```\n\n", "", "code-mismatch", 0),
        case("docusaurus-kaia", KAIA_PROFILE, "> debug.stopPProf()", "> debug.startPProf()", "code-mismatch", 45),
        case("docusaurus-kaia", KAIA_PUBLIC, "| [OnFinality](https://onfinality.io/)   | `https://klaytn.api.onfinality.io/public`                                                   | kaia,klay,eth,net | Full    |\n", "", "row-missing", 0),
        // Starlight (Astro docs): `:::caution[Title]`, list items (one in `<Steps>`), code.
        case("starlight-astro", ASTRO_DOCKER, ":::caution[Recommandation]", ":::tip[Recommandation]", "note-kind-mismatch", 0),
        case("starlight-astro", ASTRO_DOCKER, ":::caution[Recommandation]\nUtilisez cette approche", "", "block-missing", 0),
        case("starlight-astro", ASTRO_DOCKER, "- Un fichier Docker dans votre projet.", "", "block-missing", 0),
        case("starlight-astro", ASTRO_DOCKER, "2. Pour exécuter votre image en tant que conteneur local", "", "block-missing", 0),
        case("starlight-astro", ASTRO_DOCKER, "```docker title=\".dockerignore\"\n", "```docker title=\".dockerignore\"\nnode_modules\n", "code-mismatch", 0),
        // Starlight (its own docs): `:::tip[Title]`, paragraph.
        case("starlight-self", STARLIGHT_START, ":::tip[Voir en action]", ":::caution[Voir en action]", "note-kind-mismatch", 0),
        case("starlight-self", STARLIGHT_START, ":::tip[Voir en action]\nEssayez Starlight", "", "block-missing", 0),
        case("starlight-self", STARLIGHT_START, "Cela créera un nouveau [répertoire de projet]", "", "block-missing", 0),
        // VitePress: `::: tip Title`, `<<<` snippet, list item, paragraph, code-group code, command.
        case("vitepress-self", VITEPRESS_START, "::: tip 注意", "::: warning 注意", "note-kind-mismatch", 0),
        case("vitepress-self", VITEPRESS_START, "::: tip 注意\nVitePress は ESM", "", "block-missing", 0),
        case("vitepress-self", VITEPRESS_START, "<<< @/snippets/init.ansi", "<<< @/snippets/other.ansi", "directive-mismatch", 0),
        case("vitepress-self", VITEPRESS_START, "<<< @/snippets/init.ansi\n\n", "", "block-missing", 0),
        case("vitepress-self", VITEPRESS_START, "- VitePress をコマンドラインインターフェース (CLI) で操作するためのターミナル\n", "", "block-missing", 0),
        case("vitepress-self", VITEPRESS_START, "VitePress は単独でも利用できますし", "", "block-missing", 0),
        case("vitepress-self", VITEPRESS_START, "```sh [yarn]\n$ yarn add -D vitepress@next vue\n```\n\n", "", "code-mismatch", 0),
        case("vitepress-self", VITEPRESS_START, "$ pnpm add -D vitepress@next", "$ pnpm add vitepress@next", "command-mismatch", 0),
        // VitePress (Vue Test Utils): `::: tip`, paragraph.
        case("vitepress-testutils", VTU_FORMS, "::: tip\nSi vous ne passez pas", "::: warning\nSi vous ne passez pas", "note-kind-mismatch", 0),
        case("vitepress-testutils", VTU_FORMS, "::: tip\nSi vous ne passez pas", "", "block-missing", 0),
        case("vitepress-testutils", VTU_FORMS, "Nous utilisons `await` partout", "", "block-missing", 0),
        case("vitepress-testutils", VTU_FORMS, "Dans notre formulaire ci-dessus, nous avons déplacé", "", "block-missing", 0),
        // DocFX (NuGet): `> [!NOTE]`, `[!INCLUDE]`, list items, code, table row.
        case("docfx-nuget", NUGET_KEYS, "> [!NOTE]\n> Dieser Schlüssel", "> [!WARNING]\n> Dieser Schlüssel", "note-kind-mismatch", 0),
        case("docfx-nuget", NUGET_KEYS, "> [!NOTE]\n> Dieser Schlüssel", "", "missing-note", 0),
        case("docfx-nuget", NUGET_KEYS, "[!INCLUDE [publish-api-key](../quickstart/includes/publish-api-key.md)]", "[!INCLUDE [publish-api-key](../quickstart/includes/other-key.md)]", "include-mismatch", 0),
        case("docfx-nuget", NUGET_KEYS, "- Sie können API-Schlüssel sicher erhalten.\n", "", "block-missing", 0),
        case("docfx-nuget", NUGET_DEPRECATE, "> dotnet list package --deprecated", "> dotnet list package --outdated", "code-mismatch", 57),
        case("docfx-nuget", NUGET_TRANSFORMS, "1. Hängen Sie `.pp` an den Namen", "", "block-missing", 0),
    ]
}

#[test]
fn constructs_dropped_or_changed_in_real_translations() {
    let mut failed = Vec::new();
    for (name, src_rel, tr_rel, from, to, rule, line) in cases() {
        let Some(root) = crate::corpus(name) else { return };
        let dialect = CORPORA.iter().find(|c| c.0 == name).unwrap().1;
        let src = crate::read(&root.join(src_rel));
        let tr = crate::read(&root.join(tr_rel));
        let Some(at) = tr.find(from) else { panic!("{tr_rel}: `{from}` not found") };
        let end = if to.is_empty() && !from.ends_with('\n') {
            tr[at..].find("\n\n").map_or(tr.len(), |k| at + k + 2)
        } else {
            at + from.len()
        };
        let changed = format!("{}{}{}", &tr[..at], to, &tr[end..]);
        let want = match line {
            0 if to.is_empty() => line_of(&tr, tr[..at].trim_end().len()),
            0 => line_of(&tr, at),
            n => n,
        };
        let s = settings(dialect, &[rule]);
        let before: Vec<usize> =
            locdrift::lint_pair(&src, &tr, "xx", &s).iter().map(|f| line_of(&tr, f.span.start)).collect();
        let after = locdrift::lint_pair(&src, &changed, "xx", &s);
        let found = after.iter().any(|f| f.rule.name() == rule && line_of(&changed, f.span.start) == want);
        if !found || before.contains(&want) {
            let got: Vec<_> = after.iter().map(|f| (line_of(&changed, f.span.start), f.message.as_str())).collect();
            failed.push(format!("{name} {tr_rel}: `{from}` -> `{to}`: want {rule} at line {want}; got {got:#?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
