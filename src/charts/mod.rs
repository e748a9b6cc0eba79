//! charts (in progress)
