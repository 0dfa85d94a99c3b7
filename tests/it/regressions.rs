//! Regression cases for false positives found by measuring precision on real translations (issue 3).
//!
//! Every case is the smallest excerpt of a real Microsoft Learn file (MicrosoftDocs/azure-docs
//! and its localized forks, CC BY 4.0; see bench/corpus/README.md) that used to produce a
//! false positive, next to the true drift in the same text that must still be reported.

use locdrift::finding::Finding;
use locdrift::lint_pair;
use locdrift::rules::RuleId;
use locdrift::settings::Settings;

/// Findings of the default rule set, as `rule: message` lines, for readable assertions.
fn lint(source: &str, translation: &str, locale: &str) -> Vec<String> {
    let findings: Vec<Finding> = lint_pair(source, translation, locale, &Settings::default());
    findings.iter().map(|f| format!("{}: {}", f.rule, f.message)).collect()
}

fn of<'a>(findings: &'a [String], rule: &str) -> Vec<&'a str> {
    let prefix = format!("{rule}: ");
    findings.iter().filter_map(|f| f.strip_prefix(prefix.as_str())).collect()
}

/// Localization rewrites `https://docs.microsoft.com/...` to a site path and drops Learn's
/// `view=` / `preserve-view=` parameters; `http` became `https` in English. Same pages.
#[test]
fn issue3_docs_host_view_params_and_https_are_the_same_link() {
    let en = "For machine learning pipelines, use the appropriate [pipeline step](https://docs.microsoft.com/python/api/azureml-pipeline-steps/azureml.pipeline.steps?view=azure-ml-py&preserve-view=true) for each compute target.\n\n\
| OS | Driver |\n| -------- |------------- |\n\
| Windows Server 2019 | [451.82](https://us.download.nvidia.com/tesla/451.82/451.82-tesla-desktop-winserver-2019-2016-international.exe) (.exe) |\n\
| Windows Server 2012 R2 | [GRID 13 (471.68)](https://download.microsoft.com/download/9/b/4/9b4d4f8d-7962-4a67-839b-37cc95756759/471.68_grid_winserver2012R2_64bit_azure_swl.exe) (.exe) |\n";
    let de = "Verwenden Sie für Machine Learning-Pipelines den entsprechenden [Pipelineschritt](/python/api/azureml-pipeline-steps/azureml.pipeline.steps) für jedes Computeziel.\n\n\
| OS | Treiber |\n| -------- |------------- |\n\
| Windows Server 2019 | [451.82](http://us.download.nvidia.com/tesla/451.82/451.82-tesla-desktop-winserver-2019-2016-international.exe) (.exe) |\n\
| Windows Server 2012 R2 | [GRID 12.2 (462.31)](https://download.microsoft.com/download/1/2/0/120551f5-cc05-4911-bd29-88fb2747213c/462.31_grid_server2012R2_64bit_azure_swl.exe) (.exe) |\n";
    let findings = lint(en, de, "de-de");
    let stale = of(&findings, "stale-link");
    assert_eq!(stale.len(), 1, "{findings:#?}");
    assert!(stale[0].contains("462.31_grid_server2012R2"), "the older driver is still a stale link: {stale:?}");
    assert!(of(&findings, "missing-link").is_empty() && of(&findings, "extra-link").is_empty(), "{findings:#?}");
}

/// Microsoft's localization writes the English slug as an explicit anchor on every
/// translated heading so that English `#links` keep working.
#[test]
fn issue3_explicit_anchor_equal_to_the_source_slug_is_not_a_heading_mismatch() {
    let en = "## Supported distributions and drivers\n\n### NVIDIA CUDA drivers\n\n## <a name=\"deploy\"></a>Deployment targets\n";
    let sv = "## <a name=\"supported-distributions-and-drivers\"></a>Distributioner och drivrutiner som stöds\n\n\
### <a name=\"nvidia-cuda-drivers\"></a>NVIDIA CUDA-drivrutiner\n\n\
## <a name=\"compute-targets-for-inference\"></a><a name=\"deploy\"></a> Beräknings mål för härledning\n";
    let findings = lint(en, sv, "sv-se");
    let headings = of(&findings, "heading-mismatch");
    // The last heading was translated from an older English heading ("Compute targets for
    // inference"); `#deployment-targets` does not exist in the translation.
    assert_eq!(
        headings,
        vec!["this heading has an anchor `compute-targets-for-inference` that the source heading \"Deployment targets\" does not"],
        "{findings:#?}"
    );
}

const TRAIN_EN: &str = "|Training &nbsp;targets|[Automated machine learning](../articles/machine-learning/concept-automated-ml.md) | [Azure Machine Learning pipelines](../articles/machine-learning/concept-ml-pipelines.md) | [Azure Machine Learning designer](../articles/machine-learning/concept-designer.md)
|----|:----:|:----:|:----:|
|[Local computer](../articles/machine-learning/how-to-attach-compute-targets.md#local)| Yes | &nbsp; | &nbsp; |
|[Machine Learning compute cluster](../articles/machine-learning/how-to-create-attach-compute-cluster.md)| Yes | Yes | Yes |
|[Machine Learning compute instance](../articles/machine-learning/how-to-create-manage-compute-instance.md) | Yes (through SDK)  | Yes |  |
|[Remote VM](../articles/machine-learning/how-to-attach-compute-targets.md#vm) | Yes  | Yes | &nbsp; |
|[Azure&nbsp;Databricks](../articles/machine-learning/how-to-attach-compute-targets.md#databricks)| Yes (SDK local mode only) | Yes | &nbsp; |
|[Azure Data Lake Analytics](../articles/machine-learning/how-to-attach-compute-targets.md#adla) | &nbsp; | Yes | &nbsp; |
";

const TRAIN_CS: &str = "|Cíle &nbsp;školení|[Automatizované strojové učení](../articles/machine-learning/concept-automated-ml.md) | [Kanály ML](../articles/machine-learning/concept-ml-pipelines.md) | [Návrhář Azure Machine Learning](../articles/machine-learning/concept-designer.md)
|----|:----:|:----:|:----:|
|[Místní počítač](../articles/machine-learning/how-to-set-up-training-targets.md#local)| ano | &nbsp; | &nbsp; |
|[Azure Machine Learning výpočetní cluster](../articles/machine-learning/how-to-set-up-training-targets.md#amlcompute)| Ano & <br/>ladění parametrů&nbsp; | ano | ano |
|[Vzdálený virtuální počítač](../articles/machine-learning/how-to-set-up-training-targets.md#vm) | Ano & <br/>ladění parametrů | ano | &nbsp; |
|[Datacihly Azure&nbsp;](../articles/machine-learning/how-to-create-your-first-pipeline.md#databricks)| Ano (pouze místní režim sady SDK) | ano | &nbsp; |
|[Azure Data Lake Analytics](../articles/machine-learning/how-to-create-your-first-pipeline.md#adla) | &nbsp; | ano | &nbsp; |
";

/// Every row link moved to another article, and the translation lacks the newer
/// compute-instance row: rows must pair by what the moved links kept (`#vm`, `#databricks`)
/// instead of sliding onto their neighbours.
#[test]
fn issue3_rows_whose_links_moved_pair_by_fragment() {
    let findings = lint(TRAIN_EN, TRAIN_CS, "cs-cz");
    assert_eq!(
        of(&findings, "row-missing"),
        vec!["row 3 of the source table (\"Machine Learning compute instance\") is missing here"],
        "{findings:#?}"
    );
    assert!(of(&findings, "row-extra").is_empty(), "{findings:#?}");
    let stale = of(&findings, "stale-link");
    assert_eq!(stale.len(), 5, "every moved link is still reported: {stale:#?}");
    for s in stale {
        let fragment = |t: &str| t.split('#').nth(1).map(|f| f.split('`').next().unwrap_or("").to_string());
        let (here, there) = s.split_once("; the source links ").expect("stale-link message");
        assert!(
            fragment(here) == fragment(there) || there.contains("compute-cluster"),
            "a row paired with its neighbour: {s}"
        );
    }
}

/// A one-row table whose only row was updated (new distributions, new driver) is that row
/// changed: its numbers and link are reported, not a missing and an extra row. The CUDA
/// table the English dropped is the extra table, found by its heading's anchor.
#[test]
fn issue3_tables_pair_by_section_and_lone_text_rows_pair_in_place() {
    let en = "### NVIDIA CUDA drivers\n\nFor the latest CUDA drivers, visit the [NVIDIA](https://developer.nvidia.com/cuda-zone) website.\n\n\
### NVIDIA GRID drivers\n\n|Distribution|Driver|\n| --- | -- |\n\
|Ubuntu 16.04 LTS, 18.04 LTS, 20.04 LTS<br/><br/>Red Hat Enterprise Linux 7.7, 7.8, 7.9 | NVIDIA GRID 13.1, driver branch [R470](https://go.microsoft.com/fwlink/?linkid=874272)(.exe)|\n";
    let cs = "### <a name=\"nvidia-cuda-drivers\"></a>NVIDIA CUDA ovladače\n\nNejnovější ovladače CUDA, najdete v článku [NVIDIA](https://developer.nvidia.com/cuda-zone) webu.\n\n\
| Distribuce | Ovladač |\n| --- | -- |\n\
| Ubuntu 16.04 LTS<br/><br/> Red Hat Enterprise Linux 7.3 nebo 7.4 | NVIDIA CUDA 9.1, ovladač větve R390 |\n\n\
### <a name=\"nvidia-grid-drivers\"></a>Ovladače NVIDIA mřížky\n\n| Distribuce | Ovladač |\n| --- | -- |\n\
| Ubuntu 16.04 LTS<br/><br/>Red Hat Enterprise Linux 7.3 nebo 7.4 | NVIDIA mřížky 6.0, ovladač větve R390|\n";
    let findings = lint(en, cs, "cs-cz");
    assert!(of(&findings, "row-missing").is_empty() && of(&findings, "row-extra").is_empty(), "{findings:#?}");
    let findings_full: Vec<Finding> = lint_pair(en, cs, "cs-cz", &Settings::default());
    let table_extra: Vec<&Finding> = findings_full.iter().filter(|f| f.rule == "table-extra").collect();
    assert_eq!(table_extra.len(), 1, "{findings:#?}");
    assert!(cs[table_extra[0].span.start..]
        .starts_with("| Distribuce | Ovladač |\n| --- | -- |\n| Ubuntu 16.04 LTS<br/><br/> Red"));
    let numbers = of(&findings, "number-mismatch");
    assert!(numbers.iter().any(|m| m.contains("has 6.0 where the source has 13.1")), "{numbers:#?}");
    // The R470 link is missing from a cell without links: reported at that cell, not at
    // the top of the file.
    let missing = findings_full.iter().find(|f| f.rule == "missing-link").expect("the R470 link is missing");
    assert!(missing.message.contains("linkid=874272"), "{missing:?}");
    assert!(cs[missing.span.start..].starts_with("NVIDIA mřížky 6.0"), "{missing:?}");
}

/// Notes pair by the numbers they share: an extra note in the middle does not shift the
/// pairing of the next one, and an unrelated NOTE is not a TIP that changed its kind.
#[test]
fn issue3_notes_pair_by_their_numbers() {
    let en = "    > [!NOTE]\n    > The visual interface can only run experiments on Machine Learning Compute targets.\n\n\
    > [!NOTE]\n    > It takes approximately 5 minutes to create a compute resource.\n    >\n    > The compute resource will autoscale to 0 nodes when it is idle to save cost.\n";
    let fr = "    > [!NOTE]\n    > Le concepteur peut uniquement exécuter des expériences sur des cibles Capacité de calcul Machine Learning.\n\n\
    > [!NOTE]\n    > Les expériences regroupent les exécutions de pipeline similaires.\n\n\
    > [!NOTE]\n    > La création d’une ressource de calcul prend cinq minutes environ.\n    >\n    > Afin de réduire vos coûts, la ressource de calcul est automatiquement mise à l’échelle à 0 nœud quand elle est inactive.\n";
    let findings = lint(en, fr, "fr-fr");
    assert_eq!(of(&findings, "extra-note").len(), 1, "{findings:#?}");
    assert!(of(&findings, "extra-note")[0].contains("Les expériences regroupent"), "{findings:#?}");
    assert!(of(&findings, "number-mismatch").is_empty(), "{findings:#?}");

    let en = "> [!TIP]\n> The DSVM editions for Windows Server 2016 pre-install NVIDIA CUDA drivers.\n";
    let ja = "> [!NOTE]\n> Tesla ドライバーのダウンロード リンクは、公開時現在のものです。\n\n> [!NOTE]\n> Microsoft では、NV VM 用の NVIDIA GRID ドライバー インストーラーを再配布しています。\n";
    let findings = lint(en, ja, "ja-jp");
    assert!(of(&findings, "note-kind-mismatch").is_empty(), "{findings:#?}");
    assert!(of(&findings, "number-mismatch").is_empty(), "{findings:#?}");
    assert_eq!(of(&findings, "missing-note").len(), 1, "{findings:#?}");
    assert_eq!(of(&findings, "extra-note").len(), 2, "{findings:#?}");
}

/// Small counts are words on one side and digits on the other; a number that changed is
/// still reported.
#[test]
fn issue3_small_counts_written_as_words_are_not_number_mismatches() {
    let en = "> [!NOTE]\n> Azure Machine Learning compute clusters support only **one system-assigned identity** or **multiple user-assigned identities**, not both concurrently.\n";
    let ja = "> [!NOTE]\n> Azure Machine Learning コンピューティング クラスターは、**システムによって割り当てられた 1 つの ID** または **ユーザーによって割り当てられた複数の ID** のみをサポートします。両方同時にはサポートしません。\n";
    assert!(of(&lint(en, ja, "ja-jp"), "number-mismatch").is_empty());

    let en = "> [!NOTE]\n> When you select a cluster SKU, start with a machine that has 150% of the RAM your model requires.\n> Container instances are suitable only for small models less than 1 GB in size.\n";
    let es = "> [!NOTE]\n> Las instancias de contenedor solo son adecuadas para modelos pequeños de menos de 2 GB.\n";
    let numbers = lint(en, es, "es-es");
    assert_eq!(
        of(&numbers, "number-mismatch"),
        vec!["this NOTE has 2 where the source has 1, 150"],
        "a replaced number and a dropped large one are reported"
    );
}

/// Translations that drop the parentheses keep the marker as a bare word at the start of
/// the cell ("Önizle", "預覽", "Anteprima"), as the vocabularies list it.
#[test]
fn issue3_bare_preview_words_keep_the_marker() {
    let en = "| Compute target | Used for | GPU support | FPGA support | Description |\n| ----- | ----- | ----- | ----- | ----- |\n\
| [Machine Learning compute clusters](../articles/machine-learning/how-to-use-parallel-run-step.md) | (Preview) Batch&nbsp;inference | [Yes](../articles/machine-learning/how-to-use-parallel-run-step.md) (machine learning pipeline) | &nbsp;  | Run batch scoring on serverless compute. |\n\
| [Azure Functions](../articles/machine-learning/how-to-deploy-functions.md) | (Preview) Real-time inference | &nbsp; | &nbsp; | &nbsp; |\n";
    let row = |used_for_batch: &str, used_for_functions: &str| {
        format!(
            "| a | b | c | d | e |\n| ----- | ----- | ----- | ----- | ----- |\n\
| [x](../articles/machine-learning/how-to-use-parallel-run-step.md) | {used_for_batch} | [Evet](../articles/machine-learning/how-to-use-parallel-run-step.md) (ML) | &nbsp;  | x |\n\
| [Azure Functions](../articles/machine-learning/how-to-deploy-functions.md) | {used_for_functions} | &nbsp; | &nbsp; | &nbsp; |\n"
        )
    };
    for (locale, batch, functions) in [
        ("tr-tr", "Önizle Batch&nbsp;çıkarımı", "Önizle Gerçek zamanlı çıkarım"),
        ("zh-tw", "預覽批&nbsp;次推斷", "預覽即時推斷"),
        ("it-it", "Anteprima Inferenza batch&nbsp;", "Anteprima Inferenza in tempo reale"),
    ] {
        let findings = lint(en, &row(batch, functions), locale);
        assert!(of(&findings, "marker-mismatch").is_empty(), "{locale}: {findings:#?}");
    }
    // The Czech batch row lost the marker altogether.
    let findings = lint(en, &row("&nbsp;Odvození dávky", "(Preview) Odvození v reálném čase"), "cs-cz");
    assert_eq!(of(&findings, "marker-mismatch").len(), 1, "{findings:#?}");
}

/// A rewritten list is links missing and extra, not the Python class reference
/// retargeted to the studio article; a link of another kind that keeps its page name
/// (`linux/sizes` -> `sizes.md`) is still the same link retargeted.
#[test]
fn issue3_links_of_another_kind_need_evidence_to_pair() {
    let en = "* Python SDK [ComputeInstance](https://docs.microsoft.com/python/api/azureml-core/azureml.core.compute.computeinstance(class)?view=azure-ml-py) and [AmlCompute](https://docs.microsoft.com/python/api/azureml-core/azureml.core.compute.amlcompute(class)?view=azure-ml-py) classes\n\n\
Refer here to learn more about the different [VM types and sizes](https://docs.microsoft.com/azure/virtual-machines/linux/sizes).\n";
    let sv = "* [Azure Machine Learning Studio](how-to-create-attach-compute-studio.md).\n* Python SDK och CLI:\n    * [Beräknings instans](how-to-create-manage-compute-instance.md).\n\n\
Läs mer i VM- [typer och storlekar](../virtual-machines/sizes.md).\n";
    let findings = lint(en, sv, "sv-se");
    assert_eq!(
        of(&findings, "stale-link"),
        vec!["link points to `../virtual-machines/sizes.md`; the source links `https://docs.microsoft.com/azure/virtual-machines/linux/sizes`"],
        "{findings:#?}"
    );
    assert_eq!(of(&findings, "missing-link").len(), 2, "{findings:#?}");
    assert_eq!(of(&findings, "extra-link").len(), 2, "{findings:#?}");
}

/// The 2022 English VM-series table has a delimiter row with one cell too many, which
/// Microsoft Learn (Markdig) renders as a table, and it links its series names where the
/// older Japanese writes them as text. The tables still pair (not the Japanese VM table
/// with the English GPU-architecture table), `Dv2` is the same row as `[Dv2](...)`, and
/// what really changed is reported: a column, a series, the series links.
#[test]
fn issue3_linked_series_names_and_lenient_delimiter_rows_keep_tables_aligned() {
    let en = "### Supported VM series and sizes\n\n\
| **Supported VM series** | **Category** | **Supported by** |\n|------------|------------|------------|------------|\n\
| [Dv2](../virtual-machines/dv2-dsv2-series.md#dv2-series) | General purpose | Compute clusters and instance |\n\
| [NC](../virtual-machines/nc-series.md) |  GPU | Compute clusters and instance |\n\
| [NCasT4_v3](../virtual-machines/nct4-v3-series.md) | GPU | Compute clusters and instance |\n\n\
If using the GPU-enabled compute targets, use the following table to determine the correct CUDA version to use:\n\n\
| **GPU Architecture**  | **Azure VM Series** | **Supported CUDA versions** |\n|------------|------------|------------|\n\
| Volta | NCv3, NDv2 | 9.0+ |\n| Pascal | NCv2, ND | 9.0+ |\n";
    let ja = "### <a name=\"supported-vm-series-and-sizes\"></a>サポートされている VM シリーズおよびサイズ\n\n\
| **サポートされている VM シリーズ**  | **制限事項** |\n|------------|------------|\n\
| Dv2 | なし |  \n| NC | なし |    \n| NCsv2 | 承認が必要 |\n";
    let findings = lint(en, ja, "ja-jp");
    assert_eq!(
        of(&findings, "column-count"),
        vec!["this table has 2 columns; the source table has 3"],
        "{findings:#?}"
    );
    assert_eq!(
        of(&findings, "row-missing"),
        vec!["row 3 of the source table (\"NCasT4_v3\") is missing here"],
        "{findings:#?}"
    );
    assert_eq!(
        of(&findings, "row-extra"),
        vec!["this row (\"NCsv2\") has no counterpart in the source table"],
        "{findings:#?}"
    );
    assert_eq!(of(&findings, "table-missing").len(), 1, "the GPU-architecture table: {findings:#?}");
    let missing = of(&findings, "missing-link");
    assert_eq!(missing.len(), 2, "{findings:#?}");
    assert!(
        missing[0].contains("dv2-dsv2-series.md#dv2-series") && missing[1].contains("nc-series.md"),
        "{missing:#?}"
    );
}

/// In the 2023 English the deploy table lost its FPGA column and moved its articles into
/// `v1/`; the Turkish rows that keep the product name of their link are still those rows,
/// and their moved links are reported as such.
#[test]
fn issue3_rows_pair_by_link_name_when_a_column_was_removed() {
    let en = "| Compute target | Used for | GPU support | Description |\n| ----- | ----- | ----- | ----- | \n\
| [Azure Machine Learning endpoints](~/articles/machine-learning/concept-endpoints.md) (SDK/CLI v2 only) | Real-time inference <br/><br/>Batch&nbsp;inference | Yes |  Fully managed computes for real-time (managed online endpoints) and batch scoring (batch endpoints) on serverless compute. |\n\
| [Azure Container Instances](~/articles/machine-learning/v1/how-to-deploy-azure-container-instance.md) (SDK/CLI v1 only) | Real-time inference <br/><br/> Recommended for dev/test purposes only.| &nbsp;  | Use for low-scale CPU-based workloads that require less than 48 GB of RAM. Doesn't require you to manage a cluster. |\n";
    let tr = "| İşlem hedefi | Kullanıldığı yerler | GPU desteği | FPGA desteği | Açıklama |\n| ----- | ----- | ----- | ----- | ----- |\n\
| [Azure Kubernetes Service (AKS)](../articles/machine-learning/how-to-deploy-and-where.md#aks) | Gerçek zamanlı çıkarım |  [Evet](../articles/machine-learning/how-to-deploy-inferencing-gpus.md) (Web hizmeti dağıtımı) | [Evet](../articles/machine-learning/how-to-deploy-fpga-web-service.md)   | Yüksek ölçekli üretim dağıtımları için kullanın. |\n\
| [Azure Container Instances](../articles/machine-learning/how-to-deploy-and-where.md#aci) | Test veya geliştirme | &nbsp;  | &nbsp; | 48 GB 'den daha az RAM gerektiren düşük ölçekli CPU tabanlı iş yükleri için kullanın. |\n";
    let findings = lint(en, tr, "tr-tr");
    assert_eq!(
        of(&findings, "row-missing"),
        vec!["row 1 of the source table (\"Azure Machine Learning endpoints (SDK/CLI v2 only)\") is missing here"],
        "{findings:#?}"
    );
    assert_eq!(
        of(&findings, "row-extra"),
        vec!["this row (\"Azure Kubernetes Service (AKS)\") has no counterpart in the source table"],
        "{findings:#?}"
    );
    assert_eq!(
        of(&findings, "stale-link"),
        vec!["link points to `../articles/machine-learning/how-to-deploy-and-where.md#aci`; the source links `~/articles/machine-learning/v1/how-to-deploy-azure-container-instance.md`"],
        "{findings:#?}"
    );
}

/// `mixed-language` stays silent on real, correctly translated table cells of every
/// locale of the corpus (the AKS and ACI descriptions of the compute-target table), and
/// still catches the English sentence the Swedish seed glued to its translation.
#[test]
fn issue3_mixed_language_is_silent_on_real_translations_of_every_locale() {
    let en = "| Compute target | Used for | GPU support | FPGA support | Description |\n| ----- | ----- | ----- | ----- | ----- |\n\
| [Azure Kubernetes Service (AKS)](../articles/machine-learning/how-to-deploy-azure-kubernetes-service.md) | Real-time inference | [Yes](../articles/machine-learning/how-to-deploy-inferencing-gpus.md) (web service deployment) | [Yes](../articles/machine-learning/how-to-deploy-fpga-web-service.md) | Use for high-scale production deployments. Provides fast response time and autoscaling of the deployed service. Cluster autoscaling isn't supported through the Azure Machine Learning SDK. To change the nodes in the AKS cluster, use the UI for your AKS cluster in the Azure portal. AKS is the only option available for the designer. |\n\
| [Azure Container Instances](../articles/machine-learning/how-to-deploy-azure-container-instance.md) | Testing or development | &nbsp; | &nbsp; | Use for low-scale CPU-based workloads that require less than 48 GB of RAM. |\n";
    let table = |aks: &str, aci: &str| {
        format!(
            "| a | b | c | d | e |\n| ----- | ----- | ----- | ----- | ----- |\n\
| [AKS](../articles/machine-learning/how-to-deploy-azure-kubernetes-service.md) | x | [Yes](../articles/machine-learning/how-to-deploy-inferencing-gpus.md) | [Yes](../articles/machine-learning/how-to-deploy-fpga-web-service.md) | {aks} |\n\
| [ACI](../articles/machine-learning/how-to-deploy-azure-container-instance.md) | y | &nbsp; | &nbsp; | {aci} |\n"
        )
    };
    let settings = Settings::only(RuleId::MixedLanguage);
    assert_eq!(TRANSLATED_CELLS.len(), 17, "every translated locale of the corpus");
    for (locale, aks, aci) in TRANSLATED_CELLS {
        let findings = lint_pair(en, &table(aks, aci), locale, &settings);
        assert!(findings.is_empty(), "{locale}: {findings:#?}");
    }
    // The seed's Swedish cells (fixtures/azure-ml/sv-se/includes/aml-compute-target-deploy.md).
    let sv = table(
        "Används för storskaliga produktionsdistributioner. Ger snabb svarstid och automatisk skalning av den distribuerade tjänsten. Automatisk automatisk skalning av kluster stöds inte via Azure Machine Learning SDK. Om du vill ändra noderna i AKS-klustret använder du användargränssnittet för AKS-klustret i Azure-portalen. AKS är det enda tillgängliga alternativet för designern.",
        "Används för processorbaserade arbetsbelastningar i låg skala som kräver mindre än 48 GB RAM.Use for low-scale CPU-based workloads that require less than 48 GB OF RAM.",
    );
    let findings = lint_pair(en, &sv, "sv-se", &settings);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(findings[0].message.contains("Use for low-scale CPU-based workloads"), "{findings:#?}");
}

const TRANSLATED_CELLS: &[(&str, &str, &str)] = &[
    // cs-cz/Microsoft__azure-docs.cs-cz/includes/aml-compute-target-deploy.md
    ("cs-cz", "Použijte pro vysoce škálovatelná produkční nasazení. Poskytuje rychlou odezvu a automatické škálování nasazené služby. Automatické škálování clusteru není podporováno sadou Azure Machine Learning SDK. Pokud chcete změnit uzly v clusteru AKS, použijte uživatelské rozhraní pro cluster AKS v Azure Portal. AKS je jediná možnost dostupná pro návrháře.", "Používejte pro vysoce škálovatelné úlohy založené na procesoru, které vyžadují méně než 48 GB paměti RAM."),
    // de-de/christophbittig__azure-docs.de-de/includes/aml-compute-target-deploy.md
    ("de-de", "Für hochgradig skalierbare Produktionsbereitstellungen verwenden. Bietet schnelle Antwortzeiten und die automatische Skalierung von bereitgestellten Diensten. Die automatische Skalierung von Clustern wird vom Azure Machine Learning SDK nicht unterstützt. Die Knoten in Ihrem AKS-Cluster können Sie über die entsprechende Benutzeroberfläche im Azure-Portal ändern. <br/><br/> Wird im Designer unterstützt.", "Für CPU-lastige Workloads im kleinen Maßstab verwenden, die weniger als 48 GB Arbeitsspeicher erfordern. Sie müssen keinen Cluster verwalten. <br/><br/> Wird im Designer unterstützt."),
    // es-es/csigueros__azure-docs.es-es/includes/aml-compute-target-deploy.md
    ("es-es", "Se usa para las implementaciones de producción a gran escala. Proporciona un tiempo de respuesta rápido y el escalado automático del servicio implementado. No se admite el escalado automático de clúster a través del SDK de Azure Machine Learning. Para cambiar los nodos del clúster de AKS, use la interfaz de usuario para el clúster de AKS en Azure Portal. <br/><br/> Se admite en el diseñador.", "Se usa para cargas de trabajo basadas en CPU a pequeña escala que requieren menos de 48 GB de RAM. No requiere que administre un clúster. <br/><br/> Se admite en el diseñador."),
    // fr-fr/ibrahimecm5__azure-docs.fr-fr/includes/aml-compute-target-deploy.md
    ("fr-fr", "Pour les déploiements de production à grande échelle. Fournit un temps de réponse et une mise à l’échelle automatique rapides du service déployé. La mise à l’échelle automatique du cluster n’est pas prise en charge via le Kit de développement logiciel (SDK) Azure Machine Learning. Pour modifier les nœuds du cluster AKS, utilisez l’interface utilisateur de votre cluster AKS dans le portail Azure. <br/><br/> Pris en charge dans le concepteur.", "Pour les charges de travail à faible échelle basées sur le processeur qui nécessitent moins de 48 Go de RAM. Ne vous oblige pas à gérer un cluster. <br/><br/> Pris en charge dans le concepteur."),
    // hu-hu/Microsoft__azure-docs.hu-hu/includes/aml-compute-target-deploy.md
    ("hu-hu", "Nagy léptékű üzembe helyezések esetén használható. Gyors válaszidőt és automatikus skálázást biztosít a telepített szolgáltatás számára. A fürt automatikus skálázása nem támogatott a Azure Machine Learning SDK-n keresztül. Az AK-fürt csomópontjainak módosításához használja a Azure Portalban az AK-fürt felhasználói felületét. <br/><br/> A tervező támogatja.", "Alacsony léptékű CPU-alapú számítási feladatokhoz használható, amelyek kevesebb mint 48 GB RAM memóriát igényelnek. <br/><br/> A tervező támogatja."),
    // it-it/changeworld__azure-docs.it-it/includes/aml-compute-target-deploy.md
    ("it-it", "Usare per distribuzioni di produzione su larga scala. Offre tempi di risposta rapidi e scalabilità automatica del servizio distribuito. La scalabilità automatica del cluster non è supportata tramite Azure Machine Learning SDK. Per cambiare i nodi nel cluster del servizio Azure Kubernetes, usare l'interfaccia utente del cluster nel portale di Azure. <br/><br/> Supportato nella finestra di progettazione.", "Usare per carichi di lavoro basati su CPU su scala ridotta che richiedono meno di 48 GB di RAM. <br/><br/> Supportato nella finestra di progettazione."),
    // ja-jp/changeworld__azure-docs.ja-jp/includes/aml-compute-target-deploy.md
    ("ja-jp", "高スケールの運用デプロイに使用。 高速な応答時間と、デプロイされたサービスの自動スケールを提供します。 Azure Machine Learning SDK では、クラスターの自動スケールはサポートされていません。 AKS クラスター内のノードを変更するには、Azure portal でお使いの AKS クラスター用の UI を使用します。 AKS は、デザイナーで使用できる唯一のオプションです。", "必要な RAM が 48 GB より少ない低スケール CPU ベース ワークロードに使用。"),
    // ko-kr/Microsoft__azure-docs.ko-kr/includes/aml-compute-target-deploy.md
    ("ko-kr", "대규모 프로덕션 배포에 사용 합니다. 배포 된 서비스의 빠른 응답 시간 및 자동 크기 조정을 제공 합니다. Azure Machine Learning SDK를 통해 클러스터 자동 크기 조정을 지원 하지 않습니다. AKS 클러스터의 노드를 변경 하려면 Azure Portal의 AKS 클러스터에 대한 UI를 사용 합니다. AKS는 디자이너에 사용할 수 있는 유일한 옵션입니다.", "48 GB 미만의 RAM이 필요한 낮은 규모의 CPU 기반 작업에 사용 합니다."),
    // nl-nl/Microsoft__azure-docs.nl-nl/includes/aml-compute-target-deploy.md
    ("nl-nl", "Gebruiken voor grootschalige productie-implementaties. Biedt een snelle reactietijd en automatische schaalaanpassing van de geïmplementeerde service. Automatische schaalaanpassing van clusters wordt niet ondersteund via de Azure Machine Learning SDK. Als u de knooppunten in het AKS-cluster wilt wijzigen, gebruikt u de gebruikersinterface voor uw AKS-cluster in de Azure-portal. <br/><br/> Ondersteund in de ontwerpfunctie.", "Gebruiken voor lage CPU-werkbelastingen waarvoor minder dan 48 GB RAM-geheugen nodig is. <br/><br/> Ondersteund in de ontwerpfunctie."),
    // pl-pl/Microsoft__azure-docs.pl-pl/includes/aml-compute-target-deploy.md
    ("pl-pl", "Używany w przypadku wdrożeń produkcyjnych o dużej skali. Zapewnia krótki czas odpowiedzi i automatyczne skalowanie wdrożonej usługi. Skalowanie automatyczne klastra nie jest obsługiwane za pomocą zestawu SDK Azure Machine Learning. Aby zmienić węzły w klastrze AKS, użyj interfejsu użytkownika klastra AKS w Azure Portal. AKS jest jedyną opcją dostępną dla projektanta.", "Używany w przypadku obciążeń opartych na PROCESORAch o niskiej skali, które wymagają mniej niż 48 GB pamięci RAM."),
    // pt-br/robertorcosta__azure-docs.pt-br/includes/aml-compute-target-deploy.md
    ("pt-br", "Use para implantações de produção de grande escala. Fornece tempo de resposta rápido e dimensionamento automático do serviço implantado. O dimensionamento automático do cluster não tem suporte por meio do SDK do Azure Machine Learning. Para alterar os nós no cluster AKS, use a interface do usuário do cluster do AKS no portal do Azure. AKS é a única opção disponível para o designer.", "Use para cargas de trabalho baseadas em CPU de baixa escala que exigem menos de 48 GB de RAM."),
    // pt-pt/Microsoft__azure-docs.pt-pt/includes/aml-compute-target-deploy.md
    ("pt-pt", "Utilização para implantações de produção de alta escala. Proporciona tempo de resposta rápida e autoscalagem do serviço implantado. A autoescalagem do cluster não é suportada através do Azure Machine Learning SDK. Para alterar os nós no cluster AKS, utilize o UI para o seu cluster AKS no portal Azure. AKS é a única opção disponível para o designer.", "Utilize cargas de trabalho baseadas em CPU de baixa escala que exijam menos de 48 GB de RAM."),
    // ru-ru/Microsoft__azure-docs.ru-ru/includes/aml-compute-target-deploy.md
    ("ru-ru", "Используется для крупномасштабных рабочих развертываний. Обеспечивает быстрое время отклика и автомасштабирование развернутой службы. Автомасштабирование кластера с использованием пакета SDK для Машинного обучения Azure не поддерживается. Изменить узлы в кластере AKS можно с помощью пользовательского интерфейса для кластера AKS на портале Azure. <br/><br/> Поддерживается в конструкторе.", "Используйте для небольших рабочих нагрузок на основе ЦП, которым требуется менее 48 ГБ ОЗУ. <br/><br/> Поддерживается в конструкторе."),
    // sv-se/MicrosoftDocs__azure-docs.sv-se/includes/aml-compute-target-deploy.md
    ("sv-se", "Använd för storskaliga produktions distributioner. Ger snabb svars tid och automatisk skalning av den distribuerade tjänsten. Automatisk skalning i kluster stöds inte via Azure Machine Learning SDK. Om du vill ändra noderna i AKS-klustret använder du användar gränssnittet för ditt AKS-kluster i Azure Portal. <br/><br/> Stöds i designern.", "Använd för processorbaserade CPU-baserade arbets belastningar som kräver mindre än 48 GB RAM-minne. <br/><br/> Stöds i designern."),
    // tr-tr/PEXANE2__azure-docs.tr-tr/includes/aml-compute-target-deploy.md
    ("tr-tr", "Yüksek ölçekli üretim dağıtımları için kullanın. Dağıtılan hizmetin hızlı yanıt süresini ve otomatik ölçeklendirilmesini sağlar. Küme otomatik ölçeklendirme, Azure Machine Learning SDK aracılığıyla desteklenmez. AKS kümesindeki düğümleri değiştirmek için Azure portal AKS kümeniz için Kullanıcı arabirimini kullanın. AKS, tasarımcı için kullanılabilen tek seçenektir.", "48 GB 'den az RAM gerektiren düşük ölçekli CPU tabanlı iş yükleri için kullanın."),
    // zh-cn/cobwebos__docs/includes/aml-compute-target-deploy.md
    ("zh-cn", "用于大规模生产部署。 提供所部署服务的快速响应时间和自动缩放。 不支持通过 Azure 机器学习 SDK 进行群集自动缩放。 若要更改 AKS 群集中的节点，请在 Azure 门户中使用 AKS 群集的 UI。 AKS 是可用于设计器的唯一选项。", "用于需要小于 48 GB RAM 的基于 CPU 的小规模工作负载。"),
    // zh-tw/changeworld__azure-docs.zh-tw/includes/aml-compute-target-deploy.md
    ("zh-tw", "用於大規模生產環境部署。 提供已部署服務的快速回應時間和自動調整。 不支援透過 Azure Machine Learning SDK 進行叢集自動調整。 若要變更 AKS 叢集中的節點，請在 Azure 入口網站中使用 AKS 叢集的 UI。 AKS 是唯一適用于設計工具的選項。", "針對需要少於 48 GB RAM 的低規模 CPU 型工作負載，使用。"),
];
