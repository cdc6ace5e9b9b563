//! A line diff printed as the hunks of `diff -u`, for `kubectl diff`.
//!
//! Upstream kubectl writes the live and the merged objects to two directories and runs
//! `diff -u -N` on them; [`unified_hunks`] prints what GNU diff prints below the `---`/`+++`
//! header lines of one file pair. It used to be built on the `similar` crate, which cost the page
//! about 188 KB of wasm for this one use; this module is the small part of it that kubectl needs,
//! and it prints the same bytes (the golden transcripts pin them), except in two cases no object's
//! YAML reaches: `similar` also ended lines at a lone `\r` (GNU diff does not, nor does this
//! module), and it trades minimal scripts for speed once hundreds of lines have changed (this
//! module always computes a shortest one). It works in three steps.
//!
//! 1. **A shortest edit script** ([`shortest_edit_script`]). Both texts are split into lines,
//!    each keeping its `\n`; a last line without one is a line of its own, so `a` at the end of
//!    one file and `a\n` in the other differ, as in GNU diff. The lines are compared with Eugene
//!    W. Myers' O(ND) algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) in its
//!    linear-space form: equal lines at the start and the end of a range are matched first; in
//!    what is left, a search from the top-left corner of the edit graph and one from the
//!    bottom-right corner advance one edit at a time until their furthest-reaching paths meet on
//!    a diagonal ([`middle_snake`]). The point where they meet lies on a shortest path, so the
//!    range is split there and both halves are compared the same way. The result is a list of
//!    runs: equal lines, deleted old lines and inserted new lines.
//! 2. **Sliding** ([`slide_changes`]). Where a run of deleted or inserted lines could sit at
//!    several places because the lines around it repeat, it is moved: deletions only where that
//!    joins them to another deletion, insertions to their lowest place, joining other insertions
//!    on the way. The rules, and the way ties are broken in step 1, are those of the `similar`
//!    crate that printed these diffs before, so that the output did not change. GNU diff breaks
//!    some ties differently; both scripts are equally short.
//! 3. **Hunks** ([`render_hunks`]). Changes whose runs of equal lines between them are at most
//!    twice the context (3 lines) long share a hunk. Each hunk prints a header
//!    `@@ -old_start,old_count +new_start,new_count @@` (a count of 1 is left out, an empty range
//!    starts at the line before it: `-0,0`), then its lines: ` ` equal, `-` deleted, `+`
//!    inserted; all deleted lines of a change come before its inserted lines. A line without a
//!    final newline is followed by `\ No newline at end of file`.

use std::ops::Range;

/// Lines of unchanged text printed around each change, as `diff -u` does.
const CONTEXT_LINES: usize = 3;

/// The hunks of `diff -u` (three lines of context) between two texts: everything GNU diff prints
/// after the `---` and `+++` lines. Empty when the texts are equal.
pub(crate) fn unified_hunks(before: &str, after: &str) -> String {
    let old_lines: Vec<&str> = before.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = after.split_inclusive('\n').collect();
    let mut edits = shortest_edit_script(&old_lines, &new_lines);
    slide_changes(&mut edits, &old_lines, &new_lines);
    render_hunks(&blocks_of(&edits), &old_lines, &new_lines)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EditKind {
    /// Lines found in both texts.
    Equal,
    /// Old lines missing from the new text.
    Delete,
    /// New lines missing from the old text.
    Insert,
}

/// A run of lines of one kind. The runs of an edit script follow each other without gaps: each
/// starts, in both texts, where the one before it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Edit {
    kind: EditKind,
    /// Index of the first old line of the run; for an insertion, of the old line it goes before.
    old_start: usize,
    /// Index of the first new line of the run; for a deletion, of the new line that follows it.
    new_start: usize,
    line_count: usize,
}

impl Edit {
    fn old_end(&self) -> usize {
        match self.kind {
            EditKind::Insert => self.old_start,
            EditKind::Equal | EditKind::Delete => self.old_start + self.line_count,
        }
    }

    fn new_end(&self) -> usize {
        match self.kind {
            EditKind::Delete => self.new_start,
            EditKind::Equal | EditKind::Insert => self.new_start + self.line_count,
        }
    }

    /// The text of the run's lines: the old lines, or for an insertion the new ones (the old and
    /// new lines of an equal run are the same).
    fn lines<'lines>(
        &self,
        old_lines: &'lines [&'lines str],
        new_lines: &'lines [&'lines str],
    ) -> &'lines [&'lines str] {
        match self.kind {
            EditKind::Equal | EditKind::Delete => &old_lines[self.old_start..self.old_end()],
            EditKind::Insert => &new_lines[self.new_start..self.new_end()],
        }
    }
}

fn common_prefix_length(first: &[&str], second: &[&str]) -> usize {
    first
        .iter()
        .zip(second)
        .take_while(|(line_in_first, line_in_second)| line_in_first == line_in_second)
        .count()
}

fn common_suffix_length(first: &[&str], second: &[&str]) -> usize {
    first
        .iter()
        .rev()
        .zip(second.iter().rev())
        .take_while(|(line_in_first, line_in_second)| line_in_first == line_in_second)
        .count()
}

/// A shortest edit script turning `old_lines` into `new_lines` (step 1 of the module docs).
fn shortest_edit_script(old_lines: &[&str], new_lines: &[&str]) -> Vec<Edit> {
    let mut edits = Vec::new();
    compare_ranges(
        old_lines,
        new_lines,
        0..old_lines.len(),
        0..new_lines.len(),
        &mut edits,
    );
    edits
}

/// Appends the edit script of `old_lines[old_range]` against `new_lines[new_range]` to `edits`.
fn compare_ranges(
    old_lines: &[&str],
    new_lines: &[&str],
    mut old_range: Range<usize>,
    mut new_range: Range<usize>,
    edits: &mut Vec<Edit>,
) {
    let prefix_length =
        common_prefix_length(&old_lines[old_range.clone()], &new_lines[new_range.clone()]);
    if prefix_length > 0 {
        edits.push(Edit {
            kind: EditKind::Equal,
            old_start: old_range.start,
            new_start: new_range.start,
            line_count: prefix_length,
        });
    }
    old_range.start += prefix_length;
    new_range.start += prefix_length;
    let suffix_length =
        common_suffix_length(&old_lines[old_range.clone()], &new_lines[new_range.clone()]);
    old_range.end -= suffix_length;
    new_range.end -= suffix_length;

    if old_range.is_empty() && new_range.is_empty() {
        // The ranges were equal.
    } else if new_range.is_empty() {
        edits.push(Edit {
            kind: EditKind::Delete,
            old_start: old_range.start,
            new_start: new_range.start,
            line_count: old_range.len(),
        });
    } else if old_range.is_empty() {
        edits.push(Edit {
            kind: EditKind::Insert,
            old_start: old_range.start,
            new_start: new_range.start,
            line_count: new_range.len(),
        });
    } else {
        let (old_split, new_split) =
            middle_snake(old_lines, new_lines, old_range.clone(), new_range.clone());
        compare_ranges(
            old_lines,
            new_lines,
            old_range.start..old_split,
            new_range.start..new_split,
            edits,
        );
        compare_ranges(
            old_lines,
            new_lines,
            old_split..old_range.end,
            new_split..new_range.end,
            edits,
        );
    }

    if suffix_length > 0 {
        edits.push(Edit {
            kind: EditKind::Equal,
            old_start: old_range.end,
            new_start: new_range.end,
            line_count: suffix_length,
        });
    }
}

/// Where a shortest path through the edit graph of two non-empty ranges (which differ in their
/// first and in their last lines) can be split: a point `(old index, new index)` on it, strictly
/// inside the ranges' rectangle, found by Myers' search from both corners at once.
///
/// In the edit graph, a step right deletes an old line, a step down inserts a new line and a step
/// along a diagonal keeps a line both texts share; a run of diagonal steps is a "snake".
/// Diagonal `k` holds the points whose old index minus new index is `k`. After `d` edits, the
/// forward search knows, for every diagonal it can reach, how far along it (in old lines) a path
/// from the top-left corner gets; the backward search does the same from the bottom-right corner,
/// counting lines from the ends of the ranges. The first time a forward and a backward path
/// reach each other on one diagonal, their joint length is the edit distance, and the start of
/// the snake that got there is the split point.
fn middle_snake(
    old_lines: &[&str],
    new_lines: &[&str],
    old_range: Range<usize>,
    new_range: Range<usize>,
) -> (usize, usize) {
    let old_length = old_range.len();
    let new_length = new_range.len();
    // The diagonal the bottom-right corner lies on. Its parity is that of the edit distance,
    // which tells which of the two searches gets to see the other's path first.
    let end_diagonal = old_length as isize - new_length as isize;
    let edit_distance_is_odd = end_diagonal % 2 != 0;
    // After this many rounds the two searches have met (each round spends one edit on each side).
    let round_limit = (old_length + new_length).div_ceil(2) + 1;
    // Diagonal k is stored at index k + diagonal_offset; rounds look one diagonal further out.
    let diagonal_offset = round_limit as isize + 1;
    let slot = |diagonal: isize| (diagonal + diagonal_offset) as usize;
    // furthest_forward[slot(k)]: old lines consumed by the furthest-reaching forward path on
    // diagonal k; furthest_backward[slot(k)]: old lines consumed from the end by the
    // furthest-reaching backward path on diagonal k, measured from the bottom-right corner.
    let mut furthest_forward = vec![0usize; 2 * round_limit + 3];
    let mut furthest_backward = vec![0usize; 2 * round_limit + 3];

    for round in 0..round_limit as isize {
        for diagonal in (-round..=round).rev().step_by(2) {
            let (snake_start_old, snake_start_new) =
                next_point(&furthest_forward, slot, round, diagonal);
            let (mut old_index, mut new_index) = (snake_start_old, snake_start_new);
            while old_index < old_length
                && new_index < new_length
                && old_lines[old_range.start + old_index] == new_lines[new_range.start + new_index]
            {
                old_index += 1;
                new_index += 1;
            }
            furthest_forward[slot(diagonal)] = old_index;
            let backward_diagonal = end_diagonal - diagonal;
            if edit_distance_is_odd
                && backward_diagonal.abs() < round
                && old_index + furthest_backward[slot(backward_diagonal)] >= old_length
            {
                return (
                    old_range.start + snake_start_old,
                    new_range.start + snake_start_new,
                );
            }
        }

        for diagonal in (-round..=round).rev().step_by(2) {
            let (mut old_from_end, mut new_from_end) =
                next_point(&furthest_backward, slot, round, diagonal);
            while old_from_end < old_length
                && new_from_end < new_length
                && old_lines[old_range.end - 1 - old_from_end]
                    == new_lines[new_range.end - 1 - new_from_end]
            {
                old_from_end += 1;
                new_from_end += 1;
            }
            furthest_backward[slot(diagonal)] = old_from_end;
            let forward_diagonal = end_diagonal - diagonal;
            if !edit_distance_is_odd
                && forward_diagonal.abs() <= round
                && old_from_end + furthest_forward[slot(forward_diagonal)] >= old_length
            {
                return (old_range.end - old_from_end, new_range.end - new_from_end);
            }
        }
    }
    // Not reached: the searches meet after about (old length + new length) / 2 rounds. Splitting
    // at the top-right corner would still give a correct script: delete all, insert all.
    (old_range.end, new_range.start)
}

/// One search's point on `diagonal` after `round` edits, before following the snake there: one
/// step from the furthest-reaching path of the previous round on a neighbouring diagonal, down
/// from diagonal k + 1 (an insertion) or right from diagonal k - 1 (a deletion), whichever got
/// further; down at the lower edge of the searched band, and when both got equally far.
/// Returns (old lines consumed, new lines consumed).
fn next_point(
    furthest: &[usize],
    slot: impl Fn(isize) -> usize,
    round: isize,
    diagonal: isize,
) -> (usize, usize) {
    let old_index = if diagonal == -round
        || (diagonal != round && furthest[slot(diagonal - 1)] < furthest[slot(diagonal + 1)])
    {
        furthest[slot(diagonal + 1)]
    } else {
        furthest[slot(diagonal - 1)] + 1
    };
    let new_index = (old_index as isize - diagonal) as usize;
    (old_index, new_index)
}

/// Moves runs of deleted and inserted lines along the equal lines around them (step 2 of the
/// module docs): first every deletion, then every insertion, from the top down, is moved up as
/// far as it can go and then down as far as it can go.
fn slide_changes(edits: &mut Vec<Edit>, old_lines: &[&str], new_lines: &[&str]) {
    for kind in [EditKind::Delete, EditKind::Insert] {
        let mut index = 0;
        while index < edits.len() {
            if edits[index].kind == kind {
                index = slide_up(edits, index, old_lines, new_lines);
                index = slide_down(edits, index, old_lines, new_lines);
            }
            index += 1;
        }
    }
}

/// Moves the change run at `index` up and returns where it ends up. It joins a run of its own
/// kind right above it, passes a run of the other kind, and passes equal lines when the last of
/// them are also the last of its own lines (the text reads the same either way). A deletion only
/// passes equal lines when another deletion lies right above them.
fn slide_up(
    edits: &mut Vec<Edit>,
    mut index: usize,
    old_lines: &[&str],
    new_lines: &[&str],
) -> usize {
    while index > 0 {
        let change = edits[index];
        let above = edits[index - 1];
        if above.kind == change.kind {
            edits[index - 1].line_count += change.line_count;
            edits.remove(index);
            index -= 1;
        } else if above.kind != EditKind::Equal {
            swap_with_next(edits, index - 1);
            index -= 1;
        } else {
            let deletion_above_equal_lines =
                index >= 2 && edits[index - 2].kind == EditKind::Delete;
            if change.kind == EditKind::Delete && !deletion_above_equal_lines {
                break;
            }
            let shift = common_suffix_length(
                above.lines(old_lines, new_lines),
                change.lines(old_lines, new_lines),
            );
            if shift == 0 {
                break;
            }
            // The last `shift` equal lines move below the change.
            match edits.get_mut(index + 1) {
                Some(below) if below.kind == EditKind::Equal => {
                    below.old_start -= shift;
                    below.new_start -= shift;
                    below.line_count += shift;
                }
                _ => edits.insert(
                    index + 1,
                    Edit {
                        kind: EditKind::Equal,
                        old_start: change.old_end() - shift,
                        new_start: change.new_end() - shift,
                        line_count: shift,
                    },
                ),
            }
            edits[index].old_start -= shift;
            edits[index].new_start -= shift;
            edits[index - 1].line_count -= shift;
            if edits[index - 1].line_count == 0 {
                edits.remove(index - 1);
                index -= 1;
            }
        }
    }
    index
}

/// Moves the change run at `index` down and returns where it ends up; the mirror image of
/// [`slide_up`] (equal lines are passed when their first lines are the change's first lines).
fn slide_down(
    edits: &mut Vec<Edit>,
    mut index: usize,
    old_lines: &[&str],
    new_lines: &[&str],
) -> usize {
    while index + 1 < edits.len() {
        let change = edits[index];
        let below = edits[index + 1];
        if below.kind == change.kind {
            edits[index].line_count += below.line_count;
            edits.remove(index + 1);
        } else if below.kind != EditKind::Equal {
            swap_with_next(edits, index);
            index += 1;
        } else {
            let deletion_below_equal_lines =
                edits.get(index + 2).map(|edit| edit.kind) == Some(EditKind::Delete);
            if change.kind == EditKind::Delete && !deletion_below_equal_lines {
                break;
            }
            let shift = common_prefix_length(
                change.lines(old_lines, new_lines),
                below.lines(old_lines, new_lines),
            );
            if shift == 0 {
                break;
            }
            // The first `shift` equal lines move above the change.
            if index > 0 && edits[index - 1].kind == EditKind::Equal {
                edits[index - 1].line_count += shift;
            } else {
                edits.insert(
                    index,
                    Edit {
                        kind: EditKind::Equal,
                        old_start: change.old_start,
                        new_start: change.new_start,
                        line_count: shift,
                    },
                );
                index += 1;
            }
            edits[index].old_start += shift;
            edits[index].new_start += shift;
            let below = &mut edits[index + 1];
            below.old_start += shift;
            below.new_start += shift;
            below.line_count -= shift;
            if below.line_count == 0 {
                edits.remove(index + 1);
            }
        }
    }
    index
}

/// Swaps a deletion and an insertion that follow each other; the first of the pair then starts
/// where the pair started, the second where the first ends.
fn swap_with_next(edits: &mut [Edit], index: usize) {
    let (first, second) = (edits[index], edits[index + 1]);
    let moved_up = Edit {
        old_start: first.old_start,
        new_start: first.new_start,
        ..second
    };
    let moved_down = Edit {
        old_start: moved_up.old_end(),
        new_start: moved_up.new_end(),
        ..first
    };
    edits[index] = moved_up;
    edits[index + 1] = moved_down;
}

/// A stretch of both texts: equal lines, or a change replacing `old_count` old lines with
/// `new_count` new lines (either count may be zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Block {
    is_change: bool,
    old_start: usize,
    old_count: usize,
    new_start: usize,
    new_count: usize,
}

/// Joins neighbouring runs: equal runs into one block, deletions and insertions between two
/// equal runs into one change.
fn blocks_of(edits: &[Edit]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for edit in edits {
        let is_change = edit.kind != EditKind::Equal;
        let old_count = edit.old_end() - edit.old_start;
        let new_count = edit.new_end() - edit.new_start;
        match blocks.last_mut() {
            Some(last) if last.is_change == is_change => {
                last.old_count += old_count;
                last.new_count += new_count;
            }
            _ => blocks.push(Block {
                is_change,
                old_start: edit.old_start,
                old_count,
                new_start: edit.new_start,
                new_count,
            }),
        }
    }
    blocks
}

/// The first `count` lines of an equal block.
fn first_lines_of(block: Block, count: usize) -> Block {
    let count = block.old_count.min(count);
    Block {
        old_count: count,
        new_count: count,
        ..block
    }
}

/// The last `count` lines of an equal block.
fn last_lines_of(block: Block, count: usize) -> Block {
    let skipped = block.old_count.saturating_sub(count);
    Block {
        old_start: block.old_start + skipped,
        old_count: block.old_count - skipped,
        new_start: block.new_start + skipped,
        new_count: block.new_count - skipped,
        ..block
    }
}

/// Cuts the blocks into hunks (step 3 of the module docs) and prints them.
fn render_hunks(blocks: &[Block], old_lines: &[&str], new_lines: &[&str]) -> String {
    let mut hunks: Vec<Vec<Block>> = Vec::new();
    let mut current_hunk: Vec<Block> = Vec::new();
    let last_index = blocks.len().saturating_sub(1);
    for (index, &block) in blocks.iter().enumerate() {
        if block.is_change {
            current_hunk.push(block);
            continue;
        }
        // Equal lines: context for the change before them and for the one after them.
        let mut block = block;
        if index == 0 {
            block = last_lines_of(block, CONTEXT_LINES);
        }
        if index == last_index {
            block = first_lines_of(block, CONTEXT_LINES);
        }
        if block.old_count > 2 * CONTEXT_LINES {
            current_hunk.push(first_lines_of(block, CONTEXT_LINES));
            hunks.push(std::mem::take(&mut current_hunk));
            current_hunk.push(last_lines_of(block, CONTEXT_LINES));
        } else {
            current_hunk.push(block);
        }
    }
    if current_hunk.iter().any(|block| block.is_change) {
        hunks.push(current_hunk);
    }

    let mut out = String::new();
    for hunk in &hunks {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(first.old_start, last.old_start + last.old_count),
            hunk_range(first.new_start, last.new_start + last.new_count),
        ));
        for block in hunk {
            let old_text = &old_lines[block.old_start..block.old_start + block.old_count];
            let new_text = &new_lines[block.new_start..block.new_start + block.new_count];
            if block.is_change {
                push_lines(&mut out, '-', old_text);
                push_lines(&mut out, '+', new_text);
            } else {
                push_lines(&mut out, ' ', old_text);
            }
        }
    }
    out
}

/// A hunk header's range, GNU style: `start,count` with 1-based `start`; `start` alone when the
/// count is 1; for an empty range the line before it (`0,0` at the top of the file).
fn hunk_range(start: usize, end: usize) -> String {
    match end - start {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        count => format!("{},{count}", start + 1),
    }
}

fn push_lines(out: &mut String, sign: char, lines: &[&str]) {
    for line in lines {
        out.push(sign);
        out.push_str(line);
        if !line.ends_with('\n') {
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The implementation this module replaced, built on the `similar` crate.
    fn unified_hunks_with_similar(before: &str, after: &str) -> String {
        let diff = similar::TextDiff::configure()
            .algorithm(similar::Algorithm::Myers)
            .diff_lines(before, after);
        let mut out = String::new();
        for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
            out.push_str(&hunk.header().to_string());
            out.push('\n');
            for change in hunk.iter_changes() {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                out.push(sign);
                let text = change.value();
                out.push_str(text);
                if !text.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
        out
    }

    // The expected hunks below are what `diff -u old new` (GNU diffutils 3.8) printed for these
    // texts, without its `---`/`+++` lines.

    #[test]
    fn insertion() {
        assert_eq!(
            unified_hunks("a\nb\nc\nd\ne\nf\n", "a\nb\nc\nX\nd\ne\nf\n"),
            "@@ -1,6 +1,7 @@\n a\n b\n c\n+X\n d\n e\n f\n"
        );
    }

    #[test]
    fn deletion() {
        assert_eq!(
            unified_hunks("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\ne\nf\ng\n"),
            "@@ -1,7 +1,6 @@\n a\n b\n c\n-d\n e\n f\n g\n"
        );
    }

    #[test]
    fn change_in_the_middle_keeps_three_lines_of_context() {
        assert_eq!(
            unified_hunks("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nf\ng\nh\n"),
            "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
        assert_eq!(
            unified_hunks("a\nb\nc\nd\n", "a\nx\ny\nd\ne\n"),
            "@@ -1,4 +1,5 @@\n a\n-b\n-c\n+x\n+y\n d\n+e\n"
        );
    }

    #[test]
    fn changes_more_than_six_equal_lines_apart_get_two_hunks() {
        assert_eq!(
            unified_hunks(
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
                "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n"
            ),
            "@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n"
        );
        // Seven equal lines apart: still two hunks.
        assert_eq!(
            unified_hunks(
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n",
                "1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n11\n"
            ),
            "@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n@@ -7,5 +7,5 @@\n 7\n 8\n 9\n-10\n+Y\n 11\n"
        );
    }

    #[test]
    fn changes_at_most_six_equal_lines_apart_share_a_hunk() {
        assert_eq!(
            unified_hunks(
                "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
                "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n"
            ),
            "@@ -1,10 +1,10 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+Y\n 10\n"
        );
    }

    #[test]
    fn empty_texts() {
        assert_eq!(unified_hunks("", "a\nb\n"), "@@ -0,0 +1,2 @@\n+a\n+b\n");
        assert_eq!(unified_hunks("a\nb\n", ""), "@@ -1,2 +0,0 @@\n-a\n-b\n");
        assert_eq!(unified_hunks("a\n", ""), "@@ -1 +0,0 @@\n-a\n");
        assert_eq!(unified_hunks("", ""), "");
        assert_eq!(unified_hunks("a\nb\n", "a\nb\n"), "");
    }

    #[test]
    fn missing_final_newline() {
        let marker = "\\ No newline at end of file\n";
        assert_eq!(
            unified_hunks("a\nb\nc", "a\nb\nc\n"),
            format!("@@ -1,3 +1,3 @@\n a\n b\n-c\n{marker}+c\n")
        );
        assert_eq!(
            unified_hunks("a\nb\nc\n", "a\nb\nc"),
            format!("@@ -1,3 +1,3 @@\n a\n b\n-c\n+c\n{marker}")
        );
        assert_eq!(
            unified_hunks("a\nb\nc", "a\nb\nd"),
            format!("@@ -1,3 +1,3 @@\n a\n b\n-c\n{marker}+d\n{marker}")
        );
        assert_eq!(
            unified_hunks("a\nb", "a\nb\nc"),
            format!("@@ -1,2 +1,3 @@\n a\n-b\n{marker}+b\n+c\n{marker}")
        );
    }

    #[test]
    fn only_newline_ends_a_line() {
        // As in GNU diff, a carriage return is part of the line (the `similar` crate also ended
        // lines at `\r`; kubectl's YAML never holds a raw one, it escapes it).
        assert_eq!(
            unified_hunks("a\rb\nc\n", "a\rB\nc\n"),
            "@@ -1,2 +1,2 @@\n-a\rb\n+a\rB\n c\n"
        );
    }

    #[test]
    fn ties_are_broken_like_the_similar_crate() {
        // Both scripts are one deletion and one insertion; GNU diff prints "-a\n b\n+a\n".
        assert_eq!(
            unified_hunks("a\nb\n", "b\na\n"),
            "@@ -1,2 +1,2 @@\n+b\n a\n-b\n"
        );
    }

    /// A linear congruential generator (Knuth's MMIX constants): deterministic test texts
    /// without a dependency.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % bound
        }
    }

    /// A text of up to `max_lines` lines drawn from a few values, so that lines repeat and the
    /// diff has ties to break; sometimes without a final newline.
    fn random_text(random: &mut Lcg, max_lines: u64) -> String {
        const LINES: [&str; 6] = ["a", "b", "c", "d", "", "  key: value"];
        let line_count = random.below(max_lines + 1);
        let mut text = String::new();
        for _ in 0..line_count {
            text.push_str(LINES[random.below(LINES.len() as u64) as usize]);
            text.push('\n');
        }
        if !text.is_empty() && random.below(4) == 0 {
            text.pop();
        }
        text
    }

    /// A variant of `text`: a few lines deleted, inserted or replaced.
    fn edited_text(random: &mut Lcg, text: &str) -> String {
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        for _ in 0..random.below(5) {
            let at = random.below(lines.len() as u64 + 1) as usize;
            let line = random_text(random, 1);
            match random.below(3) {
                0 if at < lines.len() => {
                    lines.remove(at);
                }
                1 if at < lines.len() && !line.is_empty() => lines[at] = line,
                _ if !line.is_empty() => lines.insert(at, line),
                _ => {}
            }
        }
        lines.concat()
    }

    #[test]
    fn matches_the_similar_crate_on_random_texts() {
        let mut random = Lcg(8);
        for case in 0..600 {
            let before = random_text(&mut random, 24);
            let after = if case % 2 == 0 {
                random_text(&mut random, 24)
            } else {
                edited_text(&mut random, &before)
            };
            assert_eq!(
                unified_hunks(&before, &after),
                unified_hunks_with_similar(&before, &after),
                "case {case}: {before:?} -> {after:?}"
            );
        }
    }
}
