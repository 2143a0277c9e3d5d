//! Where a server's instructions go, function by function: the dumps the instruction count left behind, read
//! for each function's own (exclusive) instructions, per call; and the same summed by crate.

use crate::instructions::InstrRow;
use crate::workload::Kind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One function's own instructions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FnCost {
    pub function: String,
    pub per_call: f64,
    /// Share of all the process's instructions, in percent.
    pub percent: f64,
}

/// One server's top functions on one workload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    pub peer: String,
    pub kind: Kind,
    pub n: usize,
    pub calls: u64,
    pub per_call: f64,
    pub top: Vec<FnCost>,
    /// Own instructions per call by crate, largest first.
    pub crates: Vec<(String, f64)>,
    /// Every function's own instructions per call, one a line, largest first: kept beside the dump.
    pub annotated: String,
}

/// Each function's own instructions in a callgrind dump, largest first.
///
/// Read from the dump itself rather than through `callgrind_annotate`: valgrind 3.19's annotate script puts the
/// whole cost of these Rust binaries on one function, while the dump has it function by function. The format:
/// `fn=(id) name` starts a function (later just `fn=(id)`), cost lines are `<position> <Ir>` (positions may be
/// relative, `+3`, `-2`, `*`), and the cost line after a `calls=` line is the callee's inclusive cost, which is
/// not the caller's own.
pub fn self_costs(dump_text: &str) -> Vec<(String, u64)> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut costs: HashMap<String, u64> = HashMap::new();
    let mut current: Option<String> = None;
    let mut after_calls = false;
    // `fn=(12) name` or `fn=(12)`: the id, and the name when given.
    fn compressed(rest: &str) -> (String, Option<String>) {
        match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
            Some((id, name)) => {
                let name = name.trim();
                (id.to_owned(), (!name.is_empty()).then(|| name.to_owned()))
            }
            None => (rest.to_owned(), Some(rest.to_owned())),
        }
    }
    for line in dump_text.lines() {
        if let Some(rest) = line.strip_prefix("fn=") {
            let (id, name) = compressed(rest);
            if let Some(name) = name {
                names.insert(id.clone(), name);
            }
            current = Some(id);
            after_calls = false;
        } else if let Some(rest) = line.strip_prefix("cfn=") {
            let (id, name) = compressed(rest);
            if let Some(name) = name {
                names.insert(id, name);
            }
        } else if line.starts_with("calls=") {
            after_calls = true;
        } else if line.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-' || c == '*')
        {
            if std::mem::take(&mut after_calls) {
                continue;
            }
            let cost = line
                .split_whitespace()
                .nth(1)
                .and_then(|c| c.parse::<u64>().ok());
            if let (Some(f), Some(cost)) = (&current, cost) {
                *costs.entry(f.clone()).or_default() += cost;
            }
        }
    }
    let mut rows: Vec<(String, u64)> = costs
        .into_iter()
        .map(|(id, cost)| (names.get(&id).cloned().unwrap_or(id), cost))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// The crate a function belongs to, roughly: the first path segment of its name (of the type, for
/// `<Type as Trait>::f`); C functions (malloc, memcpy) are `libc`.
pub fn crate_of(function: &str) -> String {
    let f = function.trim_start_matches('<').trim_start_matches('&');
    let f = f.trim_start_matches("mut ").trim_start_matches("dyn ");
    match f.split_once("::") {
        Some((krate, _)) if !krate.contains(['<', ' ', '(']) => krate.to_owned(),
        _ if !f.contains("::") => "libc".to_owned(),
        _ => "?".to_owned(),
    }
}

/// The top `limit` functions of an instruction count's dump.
pub fn of_row(row: &InstrRow, limit: usize) -> Result<Profile, String> {
    let text = std::fs::read_to_string(&row.dump)
        .map_err(|e| format!("cannot read the callgrind dump {}: {e}", row.dump))?;
    let costs = self_costs(&text);
    let total: u64 = costs.iter().map(|c| c.1).sum::<u64>().max(1);
    let calls = row.calls.max(1) as f64;
    let top = costs
        .iter()
        .take(limit)
        .map(|(function, count)| FnCost {
            function: function.clone(),
            per_call: *count as f64 / calls,
            percent: *count as f64 * 100.0 / total as f64,
        })
        .collect();
    let mut by_crate: HashMap<String, u64> = HashMap::new();
    for (function, count) in &costs {
        *by_crate.entry(crate_of(function)).or_default() += count;
    }
    let mut crates: Vec<(String, f64)> = by_crate
        .into_iter()
        .map(|(k, v)| (k, v as f64 / calls))
        .collect();
    crates.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut annotated = format!(
        "# own instructions per call ({} calls, {:.0} per call in all), function\n",
        row.calls, row.per_call
    );
    for (function, count) in &costs {
        annotated.push_str(&format!("{:>12.1} {function}\n", *count as f64 / calls));
    }
    Ok(Profile {
        peer: row.peer.clone(),
        kind: row.kind,
        n: row.n,
        calls: row.calls,
        per_call: row.per_call,
        top,
        crates,
        annotated,
    })
}

/// Generic arguments dropped: `Foo<T>::bar` as `Foo<…>::bar`.
fn drop_generics(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '<' => {
                depth += 1;
                if depth == 1 {
                    out.push_str("<…>");
                }
            }
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A function name short enough for a table: generic arguments and hashes dropped, but `<Type as Trait>::f`
/// keeps its type and trait.
pub fn short(function: &str) -> String {
    let mut out = match function.strip_prefix('<') {
        Some(rest) => {
            // The `>` that closes the leading `<`.
            let mut depth = 1usize;
            let close = rest.char_indices().find_map(|(i, c)| {
                match c {
                    '<' => depth += 1,
                    '>' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            });
            match close {
                Some(i) => format!(
                    "<{}>{}",
                    drop_generics(&rest[..i]),
                    drop_generics(&rest[i + 1..])
                ),
                None => drop_generics(function),
            }
        }
        None => drop_generics(function),
    };
    // Legacy mangling leaves a `::h0123456789abcdef` hash at the end.
    if let Some(i) = out.rfind("::h")
        && out.len() - i == 19
    {
        out.truncate(i);
    }
    out.replace('|', "\\|")
}

/// Own instructions per call by crate, one column per profile (crates above 1% of any profile), then ours
/// less the ceiling and ours less tonic-build when those are there: where ours spends more.
pub fn crate_table(profiles: &[Profile]) -> String {
    use std::fmt::Write;
    let mut crates: Vec<String> = Vec::new();
    for p in profiles {
        for (k, v) in &p.crates {
            if *v >= p.per_call * 0.01 && !crates.contains(k) {
                crates.push(k.clone());
            }
        }
    }
    let get = |p: &Profile, k: &str| p.crates.iter().find(|c| c.0 == k).map_or(0.0, |c| c.1);
    let by_peer = |name: &str| profiles.iter().find(|p| p.peer == name);
    let ours = by_peer("ours");
    let diffs: Vec<(&str, &Profile)> = [
        ("ours − ceiling", "ceiling"),
        ("ours − tonic-build", "tonic-build"),
    ]
    .into_iter()
    .filter_map(|(title, other)| Some((title, by_peer(other)?)))
    .filter(|_| ours.is_some())
    .collect();
    let mut out = String::from("| crate |");
    for p in profiles {
        let _ = write!(out, " {} |", p.peer);
    }
    for (title, _) in &diffs {
        let _ = write!(out, " {title} |");
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(profiles.len() + diffs.len()));
    out.push('\n');
    for k in &crates {
        let _ = write!(out, "| {k} |");
        for p in profiles {
            let _ = write!(out, " {:.0} |", get(p, k));
        }
        if let Some(o) = ours {
            for (_, other) in &diffs {
                let _ = write!(out, " {:+.0} |", get(o, k) - get(other, k));
            }
        }
        out.push('\n');
    }
    out.push_str("| **all** |");
    for p in profiles {
        let _ = write!(out, " **{:.0}** |", p.per_call);
    }
    if let Some(o) = ours {
        for (_, other) in &diffs {
            let _ = write!(out, " **{:+.0}** |", o.per_call - other.per_call);
        }
    }
    out.push('\n');
    out
}

/// The top functions of each profile, as a Markdown table per profile, after the table by crate.
pub fn tables(profiles: &[Profile], limit: usize) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Own instructions per call by crate (the crate of the function's path; `libc`: malloc, free, memcpy; \
         tonic-build's generated code is compiled into `hello_bench`):\n"
    );
    let _ = writeln!(out, "{}", crate_table(profiles));
    for p in profiles {
        let _ = writeln!(
            out,
            "**{}**, {} ({:.1}k instructions per call in all):\n",
            p.peer,
            p.kind.label(p.n),
            p.per_call / 1e3
        );
        let _ = writeln!(
            out,
            "| # | function (own instructions) | per call | share |"
        );
        let _ = writeln!(out, "|---|---|---|---|");
        for (i, f) in p.top.iter().take(limit).enumerate() {
            let _ = writeln!(
                out,
                "| {} | `{}` | {:.0} | {:.1}% |",
                i + 1,
                short(&f.function),
                f.per_call,
                f.percent
            );
        }
        let _ = writeln!(out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_costs_skip_inclusive_call_costs() {
        let dump = "\
events: Ir
summary: 1110

ob=(1) /x/server
fl=(1) ???
fn=(1) h2::proto::Recv::poll<T>
10 100
+2 50
cfn=(2) malloc
calls=1 0
0 900
fn=(2)
3 10
fn=(1)
* 50
";
        let rows = self_costs(dump);
        assert_eq!(rows[0], ("h2::proto::Recv::poll<T>".to_owned(), 200));
        assert_eq!(rows[1], ("malloc".to_owned(), 10));
        assert_eq!(crate_of(&rows[0].0), "h2");
        assert_eq!(crate_of("<hello::X<T> as tower::Service>::call"), "hello");
        assert_eq!(crate_of("malloc"), "libc");
        assert_eq!(
            short("core::ptr::drop_in_place<h2::Foo<u8>>"),
            "core::ptr::drop_in_place<…>"
        );
        assert_eq!(
            short("<hello::S<T> as tower::Service<http::Request<B>>>::call::{{closure}}"),
            "<hello::S<…> as tower::Service<…>>::call::{{closure}}"
        );
    }
}
