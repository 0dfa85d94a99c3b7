//! Where an opened file belongs: its nearest `locdrift.yaml` (or a detected layout), its
//! role in that layout, and for a translation the source it is compared with.
//!
//! Resolution touches the file system (config files, locale folders, one walk of the
//! tree), so results are cached per directory and per root until a watched file changes.

use std::cell::{Ref, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::check::detect_root;
use crate::config::{self, Config};
use crate::discover::{self, WalkOptions};
use crate::pair::{self, Group, Layout, Role};
use crate::workspace::Tree;

/// One docs tree: its config (or the defaults) and layout, with the root canonicalized so
/// editor paths (absolute, perhaps through symlinks) can be made relative to it.
pub struct Project {
    pub config: Config,
    pub layout: Layout,
    pub root: PathBuf,
    exclude: Option<ignore::overrides::Override>,
    /// Each source with its translations, from one walk of the root: the tree answers
    /// `peers` (what the other locales recorded about the source version) from it.
    groups: Vec<Group>,
    /// What the tree-aware rules ask (links that must exist, anchors, git history), as
    /// `check` answers it; its caches last until files are saved.
    tree: RefCell<Tree>,
}

impl Project {
    pub fn tree(&self) -> Ref<'_, Tree> {
        self.tree.borrow()
    }

    /// Forgets the anchors and history the tree has read: files changed on disk.
    fn refresh(&self) {
        *self.tree.borrow_mut() = tree(&self.root, &self.config, &self.groups);
    }
}

/// What a file is to locdrift.
#[derive(Clone)]
pub enum Place {
    /// Not in any tree, excluded, or not Markdown: no diagnostics, no actions.
    Outside,
    Source,
    Translation {
        project: Rc<Project>,
        locale: String,
        /// The source's path, and both paths relative to the root (with `/`).
        source: PathBuf,
        source_rel: String,
        rel: String,
    },
}

#[derive(Default)]
pub struct Projects {
    by_dir: HashMap<PathBuf, Option<Rc<Project>>>,
    /// One project per root, however many of its folders have open files.
    by_root: HashMap<PathBuf, Rc<Project>>,
    /// Config files whose errors were already reported, so a broken file is shown once
    /// rather than on every keystroke.
    reported: HashSet<PathBuf>,
    /// Problems to show the user (config errors), drained by the server.
    pub problems: Vec<String>,
}

impl Projects {
    /// Forgets every resolution: a config file changed.
    pub fn clear(&mut self) {
        self.by_dir.clear();
        self.by_root.clear();
        self.reported.clear();
    }

    /// Files were saved: link targets and anchors may have changed.
    pub fn refresh(&mut self) {
        for project in self.by_root.values() {
            project.refresh();
        }
    }

    /// `path` must be normalized (see `normalize`).
    pub fn place(&mut self, path: &Path) -> Place {
        let Some(dir) = path.parent() else { return Place::Outside };
        let project = match self.by_dir.get(dir) {
            Some(p) => p.clone(),
            None => {
                let p = self.resolve(dir);
                self.by_dir.insert(dir.to_path_buf(), p.clone());
                p
            }
        };
        let Some(project) = project else { return Place::Outside };
        let Ok(rel) = path.strip_prefix(&project.root) else { return Place::Outside };
        if !discover::has_extension(path, &project.config.extensions)
            || project.exclude.as_ref().is_some_and(|o| o.matched(rel, false).is_whitelist())
        {
            return Place::Outside;
        }
        let rel = discover::to_slash(rel);
        match project.layout.classify(&rel) {
            Role::Source { .. } => Place::Source,
            Role::Translation { locale, path } => {
                let wanted = project.config.locales.as_ref();
                if wanted.is_some_and(|ls| !ls.iter().any(|l| l.eq_ignore_ascii_case(&locale))) {
                    return Place::Outside;
                }
                let source_rel = project.layout.source_of(&path);
                let source = project.root.join(&source_rel);
                Place::Translation { project, locale, source, source_rel, rel }
            }
            Role::Other => Place::Outside,
        }
    }

    fn resolve(&mut self, dir: &Path) -> Option<Rc<Project>> {
        let mut config = match config::find(dir) {
            Some(file) => match config::load(&file) {
                Ok(c) => c,
                Err(e) => {
                    if self.reported.insert(file) {
                        self.problems.push(e.to_string());
                    }
                    return None;
                }
            },
            None => Config::defaults(dir),
        };
        let layout = match config.layout.clone() {
            Some(layout) => layout,
            None => {
                // As `check` does without a layout: the nearest directory with locale
                // folders, or for `name.{locale}.md` files their own directory.
                let root = detect_root(dir);
                let layout = pair::detect(&root, &files_in(&root, dir))?;
                config.root = root;
                layout
            }
        };
        let root = config.root.canonicalize().ok()?;
        if let Some(known) = self.by_root.get(&root) {
            return Some(known.clone());
        }
        let exclude = (!config.exclude.is_empty()).then(|| {
            let mut b = ignore::overrides::OverrideBuilder::new(&root);
            for glob in &config.exclude {
                // Globs were validated when the config was loaded.
                let _ = b.add(glob);
            }
            b.build().ok()
        });
        let walk = WalkOptions { extensions: &config.extensions, exclude: &config.exclude };
        let files = discover::walk(&root, &walk).files;
        let groups = pair::plan(&layout, &files, config.locales.as_deref()).groups;
        let tree = RefCell::new(tree(&root, &config, &groups));
        let project = Rc::new(Project { config, layout, root: root.clone(), exclude: exclude.flatten(), groups, tree });
        self.by_root.insert(root, project.clone());
        Some(project)
    }
}

/// The tree a project's rules ask, made again after every save.
fn tree(root: &Path, config: &Config, groups: &[Group]) -> Tree {
    Tree::new(root, &config.settings).with_groups(groups)
}

/// An absolute path with symlinks resolved, so two spellings of one file are one key; a
/// file that does not exist yet (a new buffer) keeps its name under its resolved folder.
pub fn normalize(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent().and_then(|d| d.canonicalize().ok()), path.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// The files directly in `dir`, relative to `root`: enough for suffix-layout detection,
/// which looks for `name.{locale}.md` beside the opened file.
fn files_in(root: &Path, dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.path().strip_prefix(root).ok().map(discover::to_slash))
        .collect();
    files.sort();
    files
}
