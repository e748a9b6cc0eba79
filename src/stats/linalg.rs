//! A small Cholesky factorisation on `ndarray`, for symmetric positive-definite systems.
//!
//! Logistic regression solves `(X'WX) b = X'Wz` at every iteration and needs
//! `(X'WX)^-1` for standard errors; the log-rank test needs `U' V^-1 U`. Both matrices are
//! small (one row per covariate or group) and symmetric positive definite when the problem is
//! well posed, so a plain Cholesky factorisation is enough and avoids a BLAS/LAPACK system
//! dependency. A pivot that vanishes relative to its own diagonal entry means the column is
//! a linear combination of earlier ones; that is reported with the column index rather than
//! papered over with a ridge, so the caller can say which covariate to drop.

use ndarray::{Array1, Array2};

use super::StatsError;

/// Relative size below which a Cholesky pivot counts as zero (`d_j <= tol * a_jj`).
pub const SINGULAR_TOLERANCE: f64 = 1e-10;

/// The lower-triangular factor `L` of `A = L L'`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cholesky {
    l: Array2<f64>,
}

impl Cholesky {
    /// Factor the symmetric matrix `a` (only its lower triangle is read).
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] if `a` is not square; [`StatsError::Singular`] naming
    /// the first column whose pivot is not positive or falls below
    /// [`SINGULAR_TOLERANCE`] times its diagonal entry (or a NaN appears).
    pub fn factor(a: &Array2<f64>) -> Result<Self, StatsError> {
        let p = a.nrows();
        if a.ncols() != p {
            return Err(StatsError::LengthMismatch {
                what: "matrix columns",
                expected: p,
                found: a.ncols(),
            });
        }
        let mut l = Array2::<f64>::zeros((p, p));
        for j in 0..p {
            let mut d = a[[j, j]];
            for k in 0..j {
                d -= l[[j, k]] * l[[j, k]];
            }
            // `!(d > ...)` also catches NaN.
            if !(d > SINGULAR_TOLERANCE * a[[j, j]].abs() && d > 0.0) {
                return Err(StatsError::Singular { column: j });
            }
            let ljj = d.sqrt();
            l[[j, j]] = ljj;
            for i in (j + 1)..p {
                let mut s = a[[i, j]];
                for k in 0..j {
                    s -= l[[i, k]] * l[[j, k]];
                }
                l[[i, j]] = s / ljj;
            }
        }
        Ok(Self { l })
    }

    /// Dimension of the factored matrix.
    pub fn dim(&self) -> usize {
        self.l.nrows()
    }

    /// Solve `A x = b` in place.
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] if `b` does not have [`Self::dim`] elements.
    pub fn solve_in_place(&self, b: &mut [f64]) -> Result<(), StatsError> {
        let p = self.dim();
        if b.len() != p {
            return Err(StatsError::LengthMismatch {
                what: "right-hand side",
                expected: p,
                found: b.len(),
            });
        }
        self.substitute(b);
        Ok(())
    }

    /// Forward then back substitution; `b.len()` must equal [`Self::dim`].
    fn substitute(&self, b: &mut [f64]) {
        let p = self.dim();
        for i in 0..p {
            let (done, rest) = b.split_at_mut(i);
            let s: f64 = done
                .iter()
                .enumerate()
                .map(|(k, bk)| self.l[[i, k]] * bk)
                .sum();
            rest[0] = (rest[0] - s) / self.l[[i, i]];
        }
        for i in (0..p).rev() {
            let (head, done) = b.split_at_mut(i + 1);
            let s: f64 = done
                .iter()
                .enumerate()
                .map(|(k, bk)| self.l[[i + 1 + k, i]] * bk)
                .sum();
            head[i] = (head[i] - s) / self.l[[i, i]];
        }
    }

    /// Solve `A x = b`.
    ///
    /// # Errors
    /// [`StatsError::LengthMismatch`] if `b` does not have [`Self::dim`] elements.
    pub fn solve(&self, b: &Array1<f64>) -> Result<Array1<f64>, StatsError> {
        let mut x = b.to_vec();
        self.solve_in_place(&mut x)?;
        Ok(Array1::from(x))
    }

    /// The inverse `A^-1`.
    pub fn inverse(&self) -> Array2<f64> {
        let p = self.dim();
        let mut inv = Array2::<f64>::zeros((p, p));
        let mut col = vec![0.0; p];
        for j in 0..p {
            col.iter_mut().for_each(|c| *c = 0.0);
            col[j] = 1.0;
            self.substitute(&mut col);
            for (i, &v) in col.iter().enumerate() {
                inv[[i, j]] = v;
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    // Textbook example (e.g. Golub & Van Loan; Wikipedia "Cholesky decomposition"):
    // A = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]] = L L' with
    // L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]].
    #[test]
    fn factors_the_textbook_matrix() {
        let a = array![
            [4.0, 12.0, -16.0],
            [12.0, 37.0, -43.0],
            [-16.0, -43.0, 98.0]
        ];
        let c = Cholesky::factor(&a).unwrap();
        let want = array![[2.0, 0.0, 0.0], [6.0, 1.0, 0.0], [-8.0, 5.0, 3.0]];
        for (g, w) in c.l.iter().zip(want.iter()) {
            assert!((g - w).abs() < 1e-12);
        }
        // A x = b with x = (1, -2, 3): b = (4 - 24 - 48, 12 - 74 - 129, -16 + 86 + 294).
        let b = array![-68.0, -191.0, 364.0];
        let x = c.solve(&b).unwrap();
        for (g, w) in x.iter().zip([1.0, -2.0, 3.0]) {
            assert!((g - w).abs() < 1e-10);
        }
        let prod = a.dot(&c.inverse());
        for i in 0..3 {
            for j in 0..3 {
                let id = if i == j { 1.0 } else { 0.0 };
                assert!((prod[[i, j]] - id).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn singular_and_malformed_inputs_are_errors() {
        // Third column = first + second.
        let x = array![
            [1.0, 0.0, 1.0],
            [1.0, 1.0, 2.0],
            [1.0, 2.0, 3.0],
            [1.0, 5.0, 6.0]
        ];
        let xtx = x.t().dot(&x);
        assert_eq!(
            Cholesky::factor(&xtx),
            Err(StatsError::Singular { column: 2 })
        );
        assert_eq!(
            Cholesky::factor(&array![[0.0, 0.0], [0.0, 1.0]]),
            Err(StatsError::Singular { column: 0 })
        );
        assert!(matches!(
            Cholesky::factor(&Array2::zeros((2, 3))),
            Err(StatsError::LengthMismatch { .. })
        ));
        let c = Cholesky::factor(&array![[2.0]]).unwrap();
        assert!(matches!(
            c.solve(&array![1.0, 2.0]),
            Err(StatsError::LengthMismatch { .. })
        ));
    }
}
