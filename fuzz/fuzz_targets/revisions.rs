//! The revision splitter and the object resolver: split any bytes, then read every object every
//! revision lists, at every revision. Must never panic; work is bounded by the budget.
#![no_main]

use hocba_core::pdf::revisions::{split, Budget, Entry, Resolver};
use hocba_core::pdf::syntax::ObjRef;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let budget = Budget::for_file(data.len());
    let Ok(revs) = split(data, &budget) else { return };
    let resolver = Resolver::new(data, &revs, &budget);
    for (i, rev) in revs.revisions.iter().enumerate() {
        for (num, entry) in rev.entries.iter().take(200) {
            let gen = match entry {
                Entry::InFile { gen, .. } => *gen,
                _ => 0,
            };
            if let Ok(Some(loc)) = resolver.get(ObjRef::new(*num, gen), i + 1) {
                let _ = resolver.resolve(&loc.object, i + 1);
            }
        }
        let _ = resolver.catalog(i + 1);
    }
});
