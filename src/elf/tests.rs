//! Unit tests of the ELF loader.
