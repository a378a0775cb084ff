//! The output side of a perf event array (`BPF_MAP_TYPE_PERF_EVENT_ARRAY`):
//! one fixed-capacity host buffer per array slot, which
//! `bpf_perf_event_output` appends records to and the host drains.
//!
//! A record that does not fit is lost (counted) and the helper returns
//! `-ENOSPC`, as the kernel's perf ring does. The program never gets a
//! pointer into these buffers, so they live in host memory, reserved when
//! the map is created ([`PERF_BUFFER_BYTES`] per slot by default).

use alloc::vec::Vec;

use super::error::Errno;

/// Default bytes of output each perf array slot holds between drains.
pub const PERF_BUFFER_BYTES: usize = 16 * 1024;

/// `BPF_F_CURRENT_CPU`: the flags value that selects the current CPU.
pub const BPF_F_CURRENT_CPU: u64 = 0xffff_ffff;

/// One drained perf record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PerfRecord {
    /// The array slot (CPU) it was written to.
    pub cpu: u32,
    /// The bytes the program wrote.
    pub data: Vec<u8>,
}

/// The per-slot buffers: records as a 4-byte length, then the bytes.
#[derive(Debug)]
pub(crate) struct PerfBuffers {
    capacity: usize,
    slots: Vec<Vec<u8>>,
    lost: u64,
}

impl Clone for PerfBuffers {
    /// Keeps the reserved capacity, so a clone allocates nothing later either.
    fn clone(&self) -> Self {
        let slots = self
            .slots
            .iter()
            .map(|b| {
                let mut v = Vec::with_capacity(self.capacity);
                v.extend_from_slice(b);
                v
            })
            .collect();
        PerfBuffers {
            capacity: self.capacity,
            slots,
            lost: self.lost,
        }
    }
}

impl PerfBuffers {
    pub(crate) fn new(slots: u32, capacity: usize) -> Self {
        PerfBuffers {
            capacity,
            slots: (0..slots).map(|_| Vec::with_capacity(capacity)).collect(),
            lost: 0,
        }
    }

    /// Appends a record to `slot`: `-E2BIG` for a slot past the array,
    /// `-ENOSPC` (and one more lost record) when it does not fit.
    pub(crate) fn output(&mut self, slot: u64, data: &[u8]) -> Result<(), Errno> {
        let buf = self
            .slots
            .get_mut(usize::try_from(slot).map_err(|_| Errno::TooBig)?)
            .ok_or(Errno::TooBig)?;
        if buf.len() + 4 + data.len() > self.capacity {
            self.lost += 1;
            return Err(Errno::NoSpc);
        }
        buf.extend_from_slice(&(data.len() as u32).to_le_bytes());
        buf.extend_from_slice(data);
        Ok(())
    }

    /// Hands every record to `f`, slot by slot in write order, and empties
    /// the buffers. Returns the count.
    pub(crate) fn drain(&mut self, mut f: impl FnMut(u32, &[u8])) -> usize {
        let mut count = 0;
        for (cpu, buf) in self.slots.iter_mut().enumerate() {
            let mut at = 0;
            while at + 4 <= buf.len() {
                let len = u32::from_le_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
                let end = (at + 4 + len as usize).min(buf.len());
                f(cpu as u32, &buf[at + 4..end]);
                count += 1;
                at = end;
            }
            buf.clear();
        }
        count
    }

    /// Records lost because a buffer was full.
    pub(crate) fn lost(&self) -> u64 {
        self.lost
    }

    pub(crate) fn clear(&mut self) {
        self.slots.iter_mut().for_each(Vec::clear);
        self.lost = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_drain_and_loss() {
        let mut p = PerfBuffers::new(2, 16);
        p.output(0, b"hello").unwrap();
        p.output(1, b"ab").unwrap();
        assert_eq!(p.output(2, b"x"), Err(Errno::TooBig));
        assert_eq!(p.output(0, b"toolong"), Err(Errno::NoSpc));
        assert_eq!(p.lost(), 1);
        let mut got = Vec::new();
        assert_eq!(p.drain(|cpu, d| got.push((cpu, d.to_vec()))), 2);
        assert_eq!(got, [(0, b"hello".to_vec()), (1, b"ab".to_vec())]);
        assert_eq!(p.drain(|_, _| ()), 0);
    }
}
