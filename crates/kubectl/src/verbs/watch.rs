//! `kubectl get -w`: after the list, every change to the listed objects is printed as one more
//! row (no header again), in the same columns — their widths only grow, as kubectl's watch
//! printer keeps them — until the stream ends. A script's stream covers the `sleep` that
//! follows the command; the page's terminal follows it until Ctrl+C. `--watch-only` skips the
//! initial list (the header comes with the first change).

use std::collections::BTreeMap;

use cluster::api::WatchEventType;
use cluster::Cluster;
use model::selector::Selector;
use model::ResourceType;

use crate::printers;

/// An open `get -w` stream.
#[derive(Debug, Clone)]
pub struct Watch {
    pub(crate) resource: &'static ResourceType,
    /// `None`: every namespace.
    pub(crate) namespace: Option<String>,
    pub(crate) selector: Option<Selector>,
    pub(crate) names: Vec<String>,
    pub(crate) wide: bool,
    pub(crate) with_namespace: bool,
    pub(crate) label_columns: Vec<String>,
    pub(crate) show_labels: bool,
    /// Column widths so far (cells only; padding is added when printing).
    pub(crate) widths: Vec<usize>,
    /// Which column is AGE (ignored when telling whether a row changed).
    pub(crate) age_column: Option<usize>,
    /// The header, still to be printed (`--watch-only` prints it with the first row).
    pub(crate) pending_header: Option<Vec<String>>,
    /// Changes after this resourceVersion are still to be printed.
    pub(crate) since: u64,
    /// The last row printed per object, so that a write that changes nothing kubectl shows is
    /// not printed twice in a row.
    pub(crate) last_rows: BTreeMap<String, Vec<String>>,
    /// `--output-watch-events`: an EVENT column (ADDED, MODIFIED, DELETED) comes first.
    pub(crate) with_events: bool,
    /// `-o yaml|json|name|jsonpath=…|go-template=…`: each object (or, with
    /// `--output-watch-events`, each `{"type": …, "object": …}` event) goes through that printer
    /// instead of becoming a table row.
    pub(crate) format: Option<String>,
    /// Objects printed so far (the YAML printer separates them with `---`).
    pub(crate) printed: usize,
}

impl Watch {
    /// One object (or its event) through the `-o` printer of a structured watch.
    pub(crate) fn print_object(
        &mut self,
        object: &model::Object,
        event_type: WatchEventType,
    ) -> String {
        let text = self.render(object, event_type, self.printed > 0);
        self.printed += 1;
        text
    }

    /// Records what a structured watch shows for an object as it is now.
    pub(crate) fn remember(&mut self, object: &model::Object) {
        let shown = self.render(object, WatchEventType::Modified, false);
        let key = object.metadata().uid.clone().unwrap_or_default();
        self.last_rows.insert(key, vec![shown]);
    }

    /// What the printer shows for one object; `separated`: after another one.
    fn render(
        &self,
        object: &model::Object,
        event_type: WatchEventType,
        separated: bool,
    ) -> String {
        let format = self.format.as_deref().unwrap_or("");
        let mut data = object.to_json_value();
        if self.with_events {
            let kind = match event_type {
                WatchEventType::Added => "ADDED",
                WatchEventType::Modified => "MODIFIED",
                WatchEventType::Deleted => "DELETED",
            };
            data = serde_json::json!({ "type": kind, "object": data });
        }
        match format {
            "yaml" => {
                let separator = if separated { "---\n" } else { "" };
                format!("{separator}{}", model::decode::json_to_yaml(&data))
            }
            "json" => super::get::to_json_pretty(&data) + "\n",
            "name" => format!("{}\n", super::object_ref(self.resource, object.name())),
            other => match super::output::print_with_template(other, &data) {
                Some(out) => format!("{}{}", out.stdout, out.stderr),
                None => String::new(),
            },
        }
    }

    fn row(&self, object: &model::Object, now: cluster::SimTime) -> Vec<String> {
        let mut row = printers::row(object, now, self.wide);
        let labels = object.metadata().labels.as_ref();
        for key in &self.label_columns {
            row.push(labels.and_then(|l| l.get(key)).cloned().unwrap_or_default());
        }
        if self.show_labels {
            let text = model::selector::format_labels(labels);
            row.push(if text.is_empty() {
                "<none>".into()
            } else {
                text
            });
        }
        if self.with_namespace {
            row.insert(0, object.namespace().to_string());
        }
        row
    }

    fn line(&mut self, cells: &[String]) -> String {
        for (i, cell) in cells.iter().enumerate() {
            if i >= self.widths.len() {
                self.widths.push(0);
            }
            self.widths[i] = self.widths[i].max(cell.chars().count());
        }
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < cells.len() {
                let width = (self.widths[i] + 3).max(6);
                line.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        line.push('\n');
        line
    }

    /// The first table of an `--output-watch-events` watch: the header and every object as
    /// ADDED, laid out together.
    pub(crate) fn initial_events(
        &mut self,
        header: &[String],
        objects: &[std::rc::Rc<model::Object>],
        now: cluster::SimTime,
    ) -> String {
        let mut header = header.to_vec();
        header.insert(0, "EVENT".into());
        let rows: Vec<Vec<String>> = objects
            .iter()
            .map(|o| {
                let mut row = self.row(o, now);
                row.insert(0, "ADDED".into());
                row
            })
            .collect();
        // The EVENT column is as wide as its longest word, MODIFIED.
        self.widths = vec!["MODIFIED".len()];
        for cells in std::iter::once(&header).chain(rows.iter()) {
            for (i, cell) in cells.iter().enumerate() {
                if i >= self.widths.len() {
                    self.widths.push(0);
                }
                self.widths[i] = self.widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        if !objects.is_empty() {
            out.push_str(&self.line(&header));
            for row in &rows {
                out.push_str(&self.line(row));
            }
        } else {
            self.pending_header = Some(header);
        }
        out
    }

    /// The rows of the changes since the last call.
    pub fn rows(&mut self, cluster: &Cluster) -> String {
        let events: Vec<(WatchEventType, cluster::SimTime, std::rc::Rc<model::Object>)> = cluster
            .watch_since(self.since)
            .filter(|e| {
                let resource = e.object.resource_type();
                resource.plural == self.resource.plural && resource.group == self.resource.group
            })
            .map(|e| (e.event_type, e.at, e.object.clone()))
            .collect();
        self.since = cluster.resource_version();
        // One instant's several writes to an object show as its last state at that instant (the
        // simulated components write more often than a real cluster's do), after its creation
        // when it was created then (ADDED as Pending, then where it got to); writes at
        // different instants each show, however long ago the last poll was.
        let mut last_index: BTreeMap<(String, cluster::SimTime), usize> = BTreeMap::new();
        for (index, (_, at, object)) in events.iter().enumerate() {
            last_index.insert(
                (object.metadata().uid.clone().unwrap_or_default(), *at),
                index,
            );
        }
        let events: Vec<_> = events
            .into_iter()
            .enumerate()
            .filter(|(index, (event_type, at, object))| {
                *event_type == WatchEventType::Added
                    || last_index.get(&(object.metadata().uid.clone().unwrap_or_default(), *at))
                        == Some(index)
            })
            .map(|(_, event)| event)
            .collect();
        let mut out = String::new();
        for (event_type, at, object) in events {
            if let Some(namespace) = &self.namespace {
                if self.resource.namespaced && object.namespace() != namespace {
                    continue;
                }
            }
            if !self.names.is_empty() && !self.names.iter().any(|n| n == object.name()) {
                continue;
            }
            if let Some(selector) = &self.selector {
                if !selector.matches(object.metadata().labels.as_ref()) {
                    continue;
                }
            }
            let key = object.metadata().uid.clone().unwrap_or_default();
            if self.format.is_some() {
                // A write that changes nothing the printer shows is not printed again.
                let shown = self.render(&object, event_type, false);
                if event_type != WatchEventType::Deleted
                    && self
                        .last_rows
                        .get(&key)
                        .is_some_and(|last| last == std::slice::from_ref(&shown))
                {
                    continue;
                }
                out.push_str(&self.print_object(&object, event_type));
                if event_type == WatchEventType::Deleted {
                    self.last_rows.remove(&key);
                } else {
                    self.last_rows.insert(key, vec![shown]);
                }
                continue;
            }
            let row = self.row(&object, at);
            // A change kubectl would show only as an older AGE is no change.
            let without_age = |cells: &[String]| -> Vec<String> {
                cells
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| Some(*i) != self.age_column)
                    .map(|(_, c)| c.clone())
                    .collect()
            };
            if event_type != WatchEventType::Deleted
                && self
                    .last_rows
                    .get(&key)
                    .is_some_and(|last| without_age(last) == without_age(&row))
            {
                continue;
            }
            let printed = if self.with_events {
                let mut cells = row.clone();
                cells.insert(
                    0,
                    match event_type {
                        WatchEventType::Added => "ADDED",
                        WatchEventType::Modified => "MODIFIED",
                        WatchEventType::Deleted => "DELETED",
                    }
                    .to_string(),
                );
                cells
            } else {
                row.clone()
            };
            if let Some(header) = self.pending_header.take() {
                // The header and the first row are laid out together, as one tabwriter flush.
                for (i, cell) in printed.iter().enumerate() {
                    if i >= self.widths.len() {
                        self.widths.push(0);
                    }
                    self.widths[i] = self.widths[i].max(cell.chars().count());
                }
                out.push_str(&self.line(&header));
            }
            out.push_str(&self.line(&printed));
            if event_type == WatchEventType::Deleted {
                self.last_rows.remove(&key);
            } else {
                self.last_rows.insert(key, row);
            }
        }
        out
    }
}
