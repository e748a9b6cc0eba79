//! Small datasets built in code for the module's unit tests.

use std::collections::BTreeSet;

use crate::dates::Day;
use crate::ingest::{
    Assessments, CareEvents, Children, Episodes, Families, FollowupContacts, Income, Money,
    ProgrammeCosts, Services,
};
use crate::ingest::{Dataset, DatasetMeta};
use crate::schema;

/// Builds a [`Dataset`] row by row; dates are day numbers.
pub struct Builder {
    ds: Dataset,
}

impl Builder {
    /// An empty dataset with cut-off `cutoff`, one country `AL`.
    pub fn new(cutoff: Day) -> Self {
        let families = Families {
            programmes: vec!["P".into()],
            countries: vec!["AL".into(), "AM".into()],
            ..Default::default()
        };
        let assessments = Assessments {
            domains: schema::DOMAINS.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        };
        let income = Income {
            currencies: vec!["EUR".into()],
            ..Default::default()
        };
        Self {
            ds: Dataset {
                meta: DatasetMeta {
                    name: "test".into(),
                    data_cutoff: cutoff,
                    reporting_currency: "EUR".into(),
                    price_year: 2024,
                },
                families,
                children: Children::default(),
                episodes: Episodes::default(),
                services: Services::default(),
                programme_costs: ProgrammeCosts::default(),
                assessments,
                followup_contacts: FollowupContacts::default(),
                care_events: CareEvents::default(),
                income,
                care_costs: Vec::new(),
                money: Money::default(),
                present: ["children", "care_events", "followup_contacts", "income"]
                    .into_iter()
                    .map(String::from)
                    .collect::<BTreeSet<_>>(),
            },
        }
    }

    /// A family (arm 0 = programme, 1 = comparison; country code 0 = AL, 1 = AM) with one
    /// episode from `intake` to `exit`; returns its position.
    pub fn family(
        &mut self,
        arm: u8,
        country: u32,
        risk: u8,
        intake: Day,
        exit: Option<Day>,
    ) -> u32 {
        let f = &mut self.ds.families;
        let id = f.len() as u32;
        f.ids.push(&format!("F{id}"));
        f.programme.push(0);
        f.country.push(country);
        f.arm.push(arm);
        f.household_type.push(0);
        f.children_count.push(1);
        f.risk_level.push(risk);
        f.referral_source.push(0);
        f.minority.push(None);
        f.disability.push(Some(false));
        let e = &mut self.ds.episodes;
        e.ids.push(&format!("E{id}"));
        e.family.push(id);
        e.service_model.push(0);
        e.prevention_level.push(0);
        e.intake.push(intake);
        e.exit.push(exit);
        e.exit_reason.push(None);
        e.self_reliant.push(None);
        id
    }

    /// An extra episode of family `f`.
    pub fn episode(&mut self, f: u32, intake: Day, exit: Option<Day>, service_model: u8) {
        let e = &mut self.ds.episodes;
        e.ids.push(&format!("E{}", e.len()));
        e.family.push(f);
        e.service_model.push(service_model);
        e.prevention_level.push(0);
        e.intake.push(intake);
        e.exit.push(exit);
        e.exit_reason.push(None);
        e.self_reliant.push(None);
    }

    /// A sitting: `scores[i]` is the score of domain `i` (0 = not assessed).
    pub fn sitting(&mut self, f: u32, date: Day, phase: u8, scores: &[u8]) {
        let a = &mut self.ds.assessments;
        for (d, &s) in scores.iter().enumerate() {
            if s > 0 {
                a.family.push(f);
                a.date.push(date);
                a.phase.push(phase);
                a.domain.push(d as u32);
                a.score.push(s);
            }
        }
    }

    /// A child of family `f` born on 1 January 2015 (under 18 throughout every test's
    /// follow-up); returns its position.
    pub fn child(&mut self, f: u32, in_care_at_intake: bool) -> u32 {
        let born = crate::dates::from_ymd(2015, 1, 1).expect("valid date");
        self.child_born(f, in_care_at_intake, born)
    }

    /// A child of family `f` born on day `born`; returns its position.
    pub fn child_born(&mut self, f: u32, in_care_at_intake: bool, born: Day) -> u32 {
        let c = &mut self.ds.children;
        let id = c.len() as u32;
        c.ids.push(&format!("C{id}"));
        c.family.push(f);
        c.birth_date.push(born);
        c.sex.push(0);
        c.disability.push(None);
        c.in_care_at_intake.push(in_care_at_intake);
        c.care_history_valid.push(true);
        id
    }

    /// A care event (0 placement, 1 return home, 2 care change).
    pub fn event(&mut self, child: u32, date: Day, event: u8) {
        let e = &mut self.ds.care_events;
        e.child.push(child);
        e.date.push(date);
        e.event.push(event);
        e.care_type.push((event != 1).then_some(0));
    }

    /// An income observation (monthly, already real).
    pub fn income(&mut self, f: u32, date: Day, phase: u8, monthly: f64) {
        let i = &mut self.ds.income;
        i.family.push(f);
        i.date.push(date);
        i.phase.push(phase);
        i.monthly.push(monthly);
        i.currency.push(0);
        i.monthly_real.push(monthly);
    }

    /// A follow-up contact (3 moved abroad, 4 deceased).
    pub fn contact(&mut self, f: u32, date: Day, result: u8) {
        let c = &mut self.ds.followup_contacts;
        c.family.push(f);
        c.date.push(date);
        c.result.push(result);
    }

    /// The dataset (care events sorted by child and date, as ingest leaves them).
    pub fn build(mut self) -> Dataset {
        let e = &self.ds.care_events;
        let mut order: Vec<usize> = (0..e.len()).collect();
        order.sort_by_key(|&i| (e.child[i], e.date[i], i));
        self.ds.care_events = CareEvents {
            child: order.iter().map(|&i| e.child[i]).collect(),
            date: order.iter().map(|&i| e.date[i]).collect(),
            event: order.iter().map(|&i| e.event[i]).collect(),
            care_type: order.iter().map(|&i| e.care_type[i]).collect(),
        };
        self.ds
    }
}
