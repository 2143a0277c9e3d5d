//! The demo page (issue 14) in a real headless browser: Debian's chromium and chromium-driver, driven through
//! WebDriver by Python selenium (scripts/web-env.sh installs them). The page calls hello.Hello over Connect
//! with fetch: a click must show the place's name, a dragged rectangle the count of places in it. The last
//! screen is kept as target/web-screenshots/demo-page.png.

mod web_common;

use hello_tests::process::repo_root;
use std::process::Command;
use std::time::Duration;
use web_common::{peer, run, start};

#[test]
fn the_page_gets_lists_records_and_chats_in_chromium() {
    let server = start(&[], None);
    let dir = repo_root().join("target/web-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let screenshot = dir.join("demo-page.png");
    let _ = std::fs::remove_file(&screenshot);

    let mut cmd = Command::new(peer("python"));
    cmd.arg(repo_root().join("tests/python/web_browser.py"))
        .arg(format!("{}/", server.url()))
        .arg(&screenshot)
        .arg(repo_root().join("hello/data/features.json"))
        .arg(peer("chromium"))
        .arg(peer("chromedriver"));
    let out = run(cmd, Duration::from_secs(120));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the browser test failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "places 54");
    assert_eq!(lines[1..3], ["clicked 拉萨", "clicked 乌鲁木齐"]);
    // The count shown is what the rectangle holds, from the database itself, and every item is listed.
    let listed: Vec<&str> = lines[3].split_whitespace().collect();
    assert_eq!(listed[0], "listed");
    assert_eq!(listed[1], listed[3], "{}", lines[3]);
    assert_eq!(listed[1], listed[5], "{}", lines[3]);
    assert!(listed[1].parse::<usize>().unwrap() >= 10, "{}", lines[3]);
    assert_eq!(lines[4], "route 2 points");
    assert_eq!(
        lines[5],
        "notes earlier here: first note | posted: second note"
    );
    assert_eq!(lines[6], "error none");
    assert!(std::fs::metadata(&screenshot).is_ok_and(|m| m.len() > 10_000));
}
