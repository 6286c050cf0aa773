//! The allocator of every binary built on this crate (the server, `check`,
//! the benches): mimalloc, called the way Rust's own `System` allocator calls
//! `malloc`.
//!
//! A parse makes many small short-lived vectors and strings, which mimalloc
//! serves with fewer instructions than glibc's malloc (seed 004: 0.93 M →
//! 0.87 M instructions per parse + rules). It is built without transparent
//! huge pages (`no_thp`): with them, every fresh 2 MiB page a short `check`
//! touched was cleared by the kernel, 15–30% of its CPU time.
//!
//! The `mimalloc` crate's allocator passes every request to
//! `mi_malloc_aligned`, whose fast path only covers blocks of at most 1 KiB:
//! a larger vector or string with alignment 1 or 8 took the over-allocating
//! path, ~330 instructions instead of ~60 (a file's text, a table's rows, a
//! rendered file). `mi_malloc` returns blocks aligned to 16 bytes, and to 8
//! below 16 bytes (`MI_MAX_ALIGN_SIZE`, and the block sizes mimalloc rounds
//! to), so a request that asks no more than that, nor more than its own
//! size, goes to the plain calls, as `System` does with `malloc`.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned,
};

/// The alignment every `mi_malloc` block of at least that size has.
const MIN_ALIGN: usize = 16;

pub struct MiMalloc;

/// Whether a block of `size` bytes from the plain calls is aligned enough.
fn plain(align: usize, size: usize) -> bool {
    align <= MIN_ALIGN && align <= size
}

// SAFETY: each call forwards to mimalloc, which returns null on failure and
// blocks of the requested size; `plain` sends a layout to the unaligned calls
// only when their blocks meet its alignment (see the module's note).
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi_malloc(layout.size()).cast()
        } else {
            mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            mi_zalloc(layout.size()).cast()
        } else {
            mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        mi_free(ptr.cast::<c_void>());
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `0, 1, 2, …` into the block's first `size` bytes.
    unsafe fn fill(p: *mut u8, size: usize) {
        for i in 0..size {
            *p.add(i) = i as u8;
        }
    }

    /// Every size and alignment a program asks for comes back aligned, from
    /// either path (plain and aligned), zeroed when asked, and keeps its
    /// bytes when grown or shrunk.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let a = MiMalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 40, 1000, 1024, 1025, 3000, 70_000, 1 << 20] {
                let layout = Layout::from_size_align(size, align).unwrap();
                for new_size in [1, size / 2 + 1, size * 3] {
                    // SAFETY: every layout has a non-zero size; each block is
                    // written within its size and freed once, with the layout
                    // it has then.
                    unsafe {
                        let z = a.alloc_zeroed(layout);
                        assert!(!z.is_null());
                        assert_eq!(z as usize % align, 0, "zeroed {size} align {align}");
                        assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                        a.dealloc(z, layout);

                        let p = a.alloc(layout);
                        assert!(!p.is_null());
                        assert_eq!(p as usize % align, 0, "size {size} align {align}");
                        fill(p, size);
                        let q = a.realloc(p, layout, new_size);
                        assert!(!q.is_null());
                        assert_eq!(q as usize % align, 0, "realloc {size} → {new_size} align {align}");
                        let kept = size.min(new_size);
                        assert!((0..kept).all(|i| *q.add(i) == i as u8), "realloc {size} → {new_size}");
                        fill(q, new_size);
                        a.dealloc(q, Layout::from_size_align(new_size, align).unwrap());
                    }
                }
            }
        }
    }

    /// The plain calls get exactly the layouts whose blocks are aligned
    /// enough: no more than 16, and no more than the size.
    #[test]
    fn only_small_alignments_take_the_plain_calls() {
        assert!(plain(1, 1) && plain(8, 8) && plain(8, 4096) && plain(16, 16));
        assert!(!plain(16, 8) && !plain(8, 4) && !plain(32, 64) && !plain(4096, 1 << 20));
    }
}
