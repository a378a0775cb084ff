//! Executable memory for generated code: the only place that maps, protects
//! and unmaps pages.
//!
//! Code is written into a [`WritableCode`] buffer (read+write, never
//! executable) and then [`sealed`](WritableCode::seal) into an
//! [`ExecutableCode`] (read+execute, never writable). Sealing consumes the
//! writable buffer, so no writable alias of executable memory exists at any
//! time (W^X by construction). Every `mmap`/`mprotect`/`munmap` result is
//! checked, unused space is filled with `int3`, and the pages are unmapped
//! when the owner is dropped.
#![allow(unsafe_code)]

use core::ptr::NonNull;

use crate::jit::JitError;

/// The `int3` opcode: any stray jump into unused space traps at once.
const INT3: u8 = 0xcc;

/// The system page size.
fn page_size() -> usize {
    // SAFETY: sysconf has no memory-safety preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    match usize::try_from(size) {
        Ok(size) if size.is_power_of_two() => size,
        _ => 4096,
    }
}

/// The `errno` of the last failed call (0 when it cannot be read without `std`).
fn last_errno() -> i32 {
    #[cfg(feature = "std")]
    {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }
    #[cfg(not(feature = "std"))]
    {
        0
    }
}

/// Pages mapped read+write: the buffer code is written into. Fresh pages
/// read as zero; [`ExecutableCode::new`] fills what the code does not use
/// with `int3` before sealing.
pub(crate) struct WritableCode {
    ptr: NonNull<u8>,
    len: usize,
}

impl WritableCode {
    /// Maps at least `min_len` bytes (whole pages, at least one).
    pub(crate) fn new(min_len: usize) -> Result<Self, JitError> {
        let page = page_size();
        let len = min_len
            .max(1)
            .checked_next_multiple_of(page)
            .ok_or(JitError::CodeTooLarge { bytes: min_len })?;
        // SAFETY: an anonymous private mapping at a kernel-chosen address
        // aliases no existing memory; the result is checked below.
        let ptr = unsafe {
            libc::mmap(
                core::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(JitError::MapFailed {
                len,
                errno: last_errno(),
            });
        }
        let ptr = NonNull::new(ptr.cast::<u8>()).ok_or(JitError::MapFailed { len, errno: 0 })?;
        Ok(WritableCode { ptr, len })
    }

    /// The whole buffer.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: `ptr` is a live read+write mapping of `len` bytes owned by
        // `self`, and `&mut self` makes this the only reference to it.
        unsafe { core::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }

    /// Makes the buffer read+execute. Consumes the writable buffer: after
    /// this no writable view of the code exists. On failure the pages are
    /// unmapped.
    pub(crate) fn seal(self, code_len: usize) -> Result<ExecutableCode, JitError> {
        let (ptr, len) = (self.ptr, self.len);
        // Ownership of the mapping moves to the ExecutableCode (or is
        // released below); WritableCode's Drop must not unmap it.
        core::mem::forget(self);
        let prot = libc::PROT_READ | libc::PROT_EXEC;
        // SAFETY: `ptr`/`len` describe exactly the mapping created in `new`,
        // which nothing else references any more (the only `&mut` borrow
        // ended when `self` was consumed).
        let rc = unsafe { libc::mprotect(ptr.as_ptr().cast(), len, prot) };
        if rc != 0 {
            let errno = last_errno();
            unmap(ptr, len);
            return Err(JitError::ProtectFailed { len, errno });
        }
        Ok(ExecutableCode {
            ptr,
            len,
            code_len: code_len.min(len),
        })
    }
}

impl Drop for WritableCode {
    fn drop(&mut self) {
        unmap(self.ptr, self.len);
    }
}

/// Unmaps a mapping created by [`WritableCode::new`].
fn unmap(ptr: NonNull<u8>, len: usize) {
    // SAFETY: called once per mapping, by its owner, with the exact range
    // `mmap` returned; no reference into it outlives the owner.
    let rc = unsafe { libc::munmap(ptr.as_ptr().cast(), len) };
    // munmap of a range we mapped only fails on invalid arguments, which
    // would be a bug here; there is no caller to report it to from Drop.
    debug_assert_eq!(rc, 0, "munmap failed");
}

/// Read+execute pages holding finished machine code.
pub(crate) struct ExecutableCode {
    ptr: NonNull<u8>,
    len: usize,
    code_len: usize,
}

// SAFETY: the pages are immutable after sealing (read+execute only) and owned
// by this value; sharing or sending the address is like sharing a `&[u8]`.
unsafe impl Send for ExecutableCode {}
// SAFETY: as above: no interior mutability, concurrent execution of the same
// read-only code is fine.
unsafe impl Sync for ExecutableCode {}

impl ExecutableCode {
    /// Copies `code` into fresh pages and seals them.
    pub(crate) fn new(code: &[u8]) -> Result<Self, JitError> {
        let mut buffer = WritableCode::new(code.len())?;
        let (text, rest) = buffer.as_mut_slice().split_at_mut(code.len());
        text.copy_from_slice(code);
        rest.fill(INT3);
        buffer.seal(code.len())
    }

    /// Address of the first byte of code.
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.ptr.as_ptr()
    }

    /// The code bytes (without the `int3` padding).
    pub(crate) fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is readable, `code_len <= len`, and it is never
        // written after sealing, so a shared slice is valid for `&self`.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.code_len) }
    }

    /// Size of the mapping (whole pages).
    #[cfg(test)]
    pub(crate) fn mapped_len(&self) -> usize {
        self.len
    }
}

impl Drop for ExecutableCode {
    fn drop(&mut self) {
        unmap(self.ptr, self.len);
    }
}

impl core::fmt::Debug for ExecutableCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExecutableCode")
            .field("code_len", &self.code_len)
            .field("mapped_len", &self.len)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unused_space_is_int3_and_code_is_kept() {
        let code = ExecutableCode::new(&[0x90, 0xc3]).unwrap();
        assert_eq!(code.bytes(), &[0x90, 0xc3]);
        assert_eq!(code.mapped_len() % page_size(), 0);
        // SAFETY (test): read the padding through the readable mapping.
        let all = unsafe { core::slice::from_raw_parts(code.as_ptr(), code.mapped_len()) };
        assert!(all[2..].iter().all(|&b| b == INT3));
    }

    #[test]
    fn empty_code_still_maps_a_page() {
        let code = ExecutableCode::new(&[]).unwrap();
        assert!(code.bytes().is_empty());
        assert_eq!(code.mapped_len(), page_size());
    }

    #[test]
    fn writable_buffer_is_whole_pages() {
        let mut buf = WritableCode::new(10).unwrap();
        assert_eq!(buf.as_mut_slice().len(), page_size());
        buf.as_mut_slice()[0] = INT3;
        drop(buf);
    }

    #[test]
    fn huge_requests_fail_cleanly() {
        assert!(matches!(
            WritableCode::new(usize::MAX),
            Err(JitError::CodeTooLarge { .. })
        ));
        assert!(matches!(
            WritableCode::new(1 << 62),
            Err(JitError::MapFailed { .. })
        ));
    }
}
