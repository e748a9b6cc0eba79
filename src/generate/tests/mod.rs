//! End-to-end checks of the generator, in three parts: the simulated figures against the
//! published targets ([`calibration`]), confounded arms and the truth they are measured
//! against ([`confounded`]), and the files it writes ([`files`]).

mod calibration;
mod confounded;
mod files;
