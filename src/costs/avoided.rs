//! What one country's avoided placements rest on, and the rules that decide whether
//! they may be published (docs/method.md sections 4 and 6).
//!
//! The figures are measured by `quantities::avoided_by_country` (the bridge that
//! combines the outcome stage's survival with [`super::placements`]); this module holds
//! the plain result and the disclosure rules, so the cost table can be built without
//! knowing how survival is estimated.

/// What one country's placement figures rest on, before disclosure control.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryAvoided {
    /// Programme-arm families with an exit (the cohort).
    pub families_programme: u64,
    /// Their children with a usable care history (`N_children_programme`).
    pub children_programme: u64,
    /// Children at risk after exit, programme and comparison arm (the Kaplan-Meier n).
    pub at_risk: [u64; 2],
    /// Children still at risk at the horizon, programme and comparison arm.
    pub at_risk_at_horizon: [u64; 2],
    /// `N_children_programme x (F_c(H) - F_p(H))`; `None` without a comparison arm.
    pub placements_avoided: Option<f64>,
    /// Mean placement years x cost per child-year at the country's care-type mix;
    /// `None` when no cohort child of the country has a costed placement.
    pub cost_per_placement: Option<f64>,
    /// Cohort families (either arm) with a costed placement: what the cost per
    /// placement rests on.
    pub placement_families: u64,
    /// Why a figure is missing (empty when both are there).
    pub note: String,
}

impl CountryAvoided {
    /// The public cost of the placements avoided, when both factors are known.
    pub fn public_cost_avoided(&self) -> Option<f64> {
        match (self.placements_avoided, self.cost_per_placement) {
            (Some(n), Some(c)) => Some(n * c),
            // None avoided (or no placement at all): nothing to value.
            (Some(0.0), None) => Some(0.0),
            _ => None,
        }
    }

    /// Whether this country's figures would rest on fewer than `min_cell` children at
    /// risk after exit in either arm (docs/method.md section 6): the whole row is then
    /// suppressed. A country without a comparison arm is judged on its programme arm
    /// only (its avoided cells are blank anyway).
    pub fn too_small(&self, min_cell: u64) -> bool {
        self.arms().any(|a| self.at_risk[a] < min_cell)
    }

    /// Why the avoided placements cannot be published although the row can: fewer than
    /// `min_cell` children of an arm are still followed at the horizon, so `F(H)` is a
    /// survival estimate on too few at risk, or the cost per placement is the mean of
    /// fewer than `min_cell` families' placements (docs/method.md section 6).
    pub fn withheld(&self, min_cell: u64, horizon_years: f64) -> Option<String> {
        let short: Vec<&str> = self
            .arms()
            .filter(|&a| self.at_risk_at_horizon[a] < min_cell)
            .map(|a| ["programme", "comparison"][a])
            .collect();
        if !short.is_empty() {
            return Some(format!(
                "fewer than {min_cell} children of the {} arm are followed {horizon_years} years after exit",
                short.join(" and ")
            ));
        }
        (self.cost_per_placement.is_some() && self.placement_families < min_cell)
            .then(|| format!("the placements to cost come from fewer than {min_cell} families"))
    }

    fn arms(&self) -> std::ops::Range<usize> {
        0..if self.at_risk[1] == 0 { 1 } else { 2 }
    }
}
