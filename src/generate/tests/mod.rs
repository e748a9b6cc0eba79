//! End-to-end checks of the generator, in two parts: the simulated figures against the
//! published targets ([`calibration`]) and the files it writes ([`files`]).

mod calibration;
mod files;
