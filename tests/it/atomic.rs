//! Writes survive a kill at any moment: each file is either the old or the new version.

use std::path::Path;
use std::time::{Duration, Instant};

fn make_tree(dir: &Path, files: usize) {
    // Large pages, so a run spends real time writing and kills land mid-write too.
    let filler = "Används för begränsad testning och felsökning av modeller. ".repeat(2_000);
    for i in 0..files {
        for (locale, target) in [("en-us", "new-guide.md"), ("sv-se", "old-guide.md")] {
            let p = dir.join(locale).join(format!("page-{i:03}.md"));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(
                &p,
                format!("# Sida {i}\r\n\r\nSe [guiden](https://example.com/{target}).\r\n\r\n{filler}\r\n"),
            )
            .unwrap();
        }
    }
}

fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir.join("sv-se"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn fix(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_locdrift"));
    cmd.args(["check", "--fix", "--select", "stale-link", "--format", "concise"]).arg(dir);
    cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    cmd
}

#[test]
fn a_killed_fix_leaves_each_file_old_or_new() {
    let files = 60;
    let work = tempfile::tempdir().unwrap();
    let original = work.path().join("original");
    make_tree(&original, files);
    let before = contents(&original);
    // The fully fixed tree, and how long a whole run takes.
    let done = work.path().join("done");
    crate::copy_tree(&original, &done);
    let started = Instant::now();
    assert!(fix(&done).status().unwrap().code().is_some());
    let full = started.elapsed();
    let after = contents(&done);
    assert!(before.iter().zip(&after).all(|(b, a)| b.1 != a.1), "every page has a fix to apply");
    assert!(after.iter().all(|(_, a)| String::from_utf8_lossy(a).contains("\r\n")), "CRLF kept");

    // 16 kills spread over the run, then more aimed at the write phase until one lands
    // between the first and the last write (bounded, so a machine too fast to catch it
    // fails loudly instead of looping).
    let mut partial_runs = 0;
    for attempt in 0..64u32 {
        if attempt >= 16 && partial_runs > 0 {
            break;
        }
        let tree = work.path().join(format!("run-{attempt}"));
        crate::copy_tree(&original, &tree);
        let stamp = mtimes(&tree);
        let mut child = fix(&tree).spawn().unwrap();
        // Half the kills are spread over the whole run; the other half wait for the first
        // file to change and strike during the writes.
        if attempt % 2 == 0 && attempt < 16 {
            std::thread::sleep(full.mul_f64(f64::from(attempt) / 16.0));
        } else {
            let deadline = Instant::now() + full * 3;
            while mtimes(&tree) == stamp && Instant::now() < deadline && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_micros(100 * u64::from(attempt % 16)));
        }
        let _ = child.kill();
        let _ = child.wait();
        let now = contents(&tree);
        assert_eq!(now.len(), files, "no file lost");
        let mut fixed = 0;
        for ((name, b), ((_, a), (_, n))) in before.iter().zip(after.iter().zip(&now)) {
            assert!(n == b || n == a, "attempt {attempt}: {name} is neither the old nor the new version");
            fixed += usize::from(n == a);
        }
        if fixed > 0 && fixed < files {
            partial_runs += 1;
        }
        std::fs::remove_dir_all(&tree).unwrap();
    }
    // Not a timing assertion: it says the kills did land while files were being written,
    // so the loop above tested the interesting case.
    assert!(partial_runs > 0, "none of 64 kills landed between the first and the last write of a {full:?} run");
}

fn mtimes(dir: &Path) -> Vec<std::time::SystemTime> {
    let mut out: Vec<_> = std::fs::read_dir(dir.join("sv-se"))
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok()?.modified().ok())
        .collect();
    out.sort();
    out
}
