//! The allocation count in-process: both generated servers measured, and ours allocates less per unary call
//! (one box per call against tonic-build's three). Counts, not timings.
//!
//! One test function: the counting allocator's totals are process-wide, so two measurements running at once
//! (as separate tests would, on the test harness's threads) would count each other's allocations.

use hello_bench::alloc::{self, Counting, Which};
use hello_bench::workload::Kind;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[tokio::test(flavor = "current_thread")]
async fn ours_allocates_less_per_unary_call_than_tonic_build_and_streams_count_per_message() {
    let ours = alloc::measure(Which::Ours, Kind::Unary, 1, 300)
        .await
        .expect("ours");
    let theirs = alloc::measure(Which::TonicBuild, Kind::Unary, 1, 300)
        .await
        .expect("tonic-build");
    assert!(ours.allocs_per_call > 0.0 && theirs.allocs_per_call > 0.0);
    assert!(
        ours.allocs_per_call < theirs.allocs_per_call,
        "ours {:.2} allocations per call, tonic-build {:.2}",
        ours.allocs_per_call,
        theirs.allocs_per_call
    );

    // Streams are counted per message.
    let row = alloc::measure(Which::Ours, Kind::Chat, 10, 30)
        .await
        .expect("ours");
    assert_eq!(row.calls, 30);
    assert_eq!(row.messages, 300);
    assert!(row.allocs_per_message > 0.0);
}
