//! sroi (in progress)
