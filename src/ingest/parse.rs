//! Batch parsers: Arrow record batches -> typed table chunks plus the rows set aside.
//!
//! One function per table. Each decodes the batch's columns once and walks the rows;
//! references to families, children and episodes are resolved here to positions (by
//! [`super::id_checks`]), so a dangling id is caught with its file and row. The chunks of
//! a table are then concatenated by [`super::merge`].

use super::id_checks::{id_hash, IdHashes, Refs, Resolver};
use super::intern::{ColumnCodes, Interner};
use super::places::BatchPlaces;
use super::problem::Rule;
use super::rows::{self, set_aside, Reject, Rejects};
use super::scan::Batch;
use super::tables::*;
use crate::schema::{self, DOMAINS};

/// A parsed chunk: the rows kept, the chunk's local vocabularies and what was set aside.
pub struct Chunk<T> {
    pub rows: T,
    pub vocab: Vec<Interner>,
    pub rejects: Rejects,
}

/// Families; ids are kept for reference resolution and duplicate checks.
pub fn families(b: &Batch) -> Chunk<Families> {
    let n = b.len();
    let ids = rows::strings(b, "family_id");
    let prog = rows::strings(b, "programme_id");
    let country = rows::strings(b, "country");
    let arm_s = rows::strings(b, "arm");
    let ht_s = rows::strings(b, "household_type");
    let risk_s = rows::strings(b, "risk_level");
    let ref_s = rows::strings(b, "referral_source");
    let arm = arm_s.enum_codes(schema::ARMS, n);
    let ht = ht_s.enum_codes(schema::HOUSEHOLD_TYPES, n);
    let risk = risk_s.enum_codes(schema::RISK_LEVELS, n);
    let referral = ref_s.enum_codes(schema::REFERRAL_SOURCES, n);
    let kids = rows::ints(b, "children_count");
    let minority = rows::bools(b, "minority");
    let disability = rows::bools(b, "disability");
    let mut out = Families::default();
    let (mut pv, mut cv) = (Interner::default(), Interner::default());
    let (mut pv_rows, mut cv_rows) = (ColumnCodes::new(&prog), ColumnCodes::new(&country));
    let mut rej = Rejects::default();
    for i in 0..n {
        let id = ids.get(i);
        let row = (|| -> Result<(), Reject> {
            let id = rows::need_str(&ids, i, "family_id")?;
            let p = rows::need_str(&prog, i, "programme_id")?;
            let c = rows::need_code(&country, i, "country", 2, "ISO 3166-1 alpha-2 country")?;
            let a = rows::need_enum(arm[i], "arm", schema::ARMS, &arm_s, i)?;
            let h = rows::need_enum(ht[i], "household_type", schema::HOUSEHOLD_TYPES, &ht_s, i)?;
            let r = rows::need_enum(risk[i], "risk_level", schema::RISK_LEVELS, &risk_s, i)?;
            let s = rows::need_enum(
                referral[i],
                "referral_source",
                schema::REFERRAL_SOURCES,
                &ref_s,
                i,
            )?;
            let k = kids[i].ok_or_else(|| rows::null("children_count"))?;
            if !(0..=30).contains(&k) {
                return Err(Reject {
                    rule: Rule::NegativeOrNonFinite,
                    column: "children_count",
                    message: format!("children_count {k} is outside 0..30"),
                    fix: "count the children under 18 living in the household at intake",
                });
            }
            out.ids.push(id);
            out.programme.push(pv_rows.code(&mut pv, &prog, i, p));
            out.country.push(cv_rows.code(&mut cv, &country, i, c));
            out.arm.push(a);
            out.household_type.push(h);
            out.risk_level.push(r);
            out.referral_source.push(s);
            out.children_count.push(k as u32);
            out.minority.push(minority[i]);
            out.disability.push(disability[i]);
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "families", b, i, id, r);
        }
    }
    Chunk {
        rows: out,
        vocab: vec![pv, cv],
        rejects: rej,
    }
}

pub fn children(b: &Batch, refs: &Refs) -> Chunk<Children> {
    let n = b.len();
    let ids = rows::strings(b, "child_id");
    let fam = rows::strings(b, "family_id");
    let birth = rows::days(b, "birth_date");
    let sex_s = rows::strings(b, "sex");
    let sex = sex_s.enum_codes(schema::SEXES, n);
    let dis = rows::bools(b, "disability");
    let in_care = rows::bools(b, "in_care_at_intake");
    let mut out = Children::default();
    let mut rej = Rejects::default();
    let mut families = Resolver::new(refs.families, "family_id", "families");
    for i in 0..n {
        let id = ids.get(i);
        let row = (|| -> Result<(), Reject> {
            let id = rows::need_str(&ids, i, "child_id")?;
            let f = rows::need_str(&fam, i, "family_id")?;
            let f = families.get(f)?;
            let bd = rows::need_date(birth[i], "birth_date", refs.cutoff)?;
            let s = rows::need_enum(sex[i], "sex", schema::SEXES, &sex_s, i)?;
            let c = in_care[i].ok_or_else(|| rows::null("in_care_at_intake"))?;
            out.ids.push(id);
            out.family.push(f);
            out.birth_date.push(bd);
            out.sex.push(s);
            out.disability.push(dis[i]);
            out.in_care_at_intake.push(c);
            out.care_history_valid.push(true);
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "children", b, i, id, r);
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}

pub fn episodes(b: &Batch, refs: &Refs) -> Chunk<Episodes> {
    let n = b.len();
    let ids = rows::strings(b, "episode_id");
    let fam = rows::strings(b, "family_id");
    let sm_s = rows::strings(b, "service_model");
    let pl_s = rows::strings(b, "prevention_level");
    let er_s = rows::strings(b, "exit_reason");
    let sm = sm_s.enum_codes(schema::SERVICE_MODELS, n);
    let pl = pl_s.enum_codes(schema::PREVENTION_LEVELS, n);
    let er = er_s.enum_codes(schema::EXIT_REASONS, n);
    let intake = rows::days(b, "intake_date");
    let exit = rows::days(b, "exit_date");
    let sr = rows::bools(b, "self_reliant_at_exit");
    let mut out = Episodes::default();
    let mut rej = Rejects::default();
    let mut families = Resolver::new(refs.families, "family_id", "families");
    for i in 0..n {
        let id = ids.get(i);
        let row = (|| -> Result<(), Reject> {
            let id = rows::need_str(&ids, i, "episode_id")?;
            let f = rows::need_str(&fam, i, "family_id")?;
            let f = families.get(f)?;
            let m = rows::need_enum(sm[i], "service_model", schema::SERVICE_MODELS, &sm_s, i)?;
            let p = rows::need_enum(
                pl[i],
                "prevention_level",
                schema::PREVENTION_LEVELS,
                &pl_s,
                i,
            )?;
            let r = rows::opt_enum(er[i], "exit_reason", schema::EXIT_REASONS, &er_s, i)?;
            let a = rows::need_date(intake[i], "intake_date", refs.cutoff)?;
            let e = rows::opt_date(exit[i], "exit_date", refs.cutoff)?;
            if let Some(e) = e {
                if e < a {
                    return Err(Reject {
                        rule: Rule::ExitBeforeIntake,
                        column: "exit_date",
                        message: format!(
                            "exit_date {} is before intake_date {}",
                            crate::dates::format(e),
                            crate::dates::format(a)
                        ),
                        fix: "correct one of the two dates",
                    });
                }
            }
            out.ids.push(id);
            out.family.push(f);
            out.service_model.push(m);
            out.prevention_level.push(p);
            out.intake.push(a);
            out.exit.push(e);
            out.exit_reason.push(r);
            out.self_reliant.push(sr[i]);
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "episodes", b, i, id, r);
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}

/// Services, with the hashes of the kept service ids for the duplicate check.
pub fn services(b: &Batch, refs: &Refs) -> (Chunk<Services>, IdHashes) {
    let n = b.len();
    let ids = rows::strings(b, "service_id");
    let ep = rows::strings(b, "episode_id");
    let st_s = rows::strings(b, "service_type");
    let st = st_s.enum_codes(schema::SERVICE_TYPES, n);
    let start = rows::days(b, "start_date");
    let end = rows::days(b, "end_date");
    let units = rows::floats(b, "units");
    let cost = rows::floats(b, "cost");
    let cur = rows::strings(b, "currency");
    let mut out = Services::default();
    let mut cv = Interner::default();
    let mut cv_rows = ColumnCodes::new(&cur);
    let mut rej = Rejects::default();
    let mut hashes = Vec::with_capacity(n);
    let mut places = BatchPlaces::new(b);
    let mut episodes = Resolver::new(refs.episodes, "episode_id", "episodes");
    for i in 0..n {
        let id = ids.get(i);
        let row = (|| -> Result<(), Reject> {
            let id = rows::need_str(&ids, i, "service_id")?;
            let e = rows::need_str(&ep, i, "episode_id")?;
            let e = episodes.get(e)?;
            let t = rows::need_enum(st[i], "service_type", schema::SERVICE_TYPES, &st_s, i)?;
            let s = rows::need_date(start[i], "start_date", refs.cutoff)?;
            let en = rows::opt_date(end[i], "end_date", refs.cutoff)?;
            if en.is_some_and(|en| en < s) {
                return Err(Reject {
                    rule: Rule::EndBeforeStart,
                    column: "end_date",
                    message: "end_date is before start_date".into(),
                    fix: "correct one of the two dates",
                });
            }
            let u = rows::need_amount(units[i], "units")?;
            let c = rows::need_amount(cost[i], "cost")?;
            let k = rows::need_code(&cur, i, "currency", 3, "ISO 4217 currency")?;
            hashes.push(id_hash(id));
            places.keep();
            out.episode.push(e);
            out.service_type.push(t);
            out.start.push(s);
            out.end.push(en);
            out.units.push(u);
            out.cost.push(c);
            out.currency.push(cv_rows.code(&mut cv, &cur, i, k));
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "services", b, i, id, r);
            places.skip(i);
        }
    }
    (
        Chunk {
            rows: out,
            vocab: vec![cv],
            rejects: rej,
        },
        IdHashes { hashes, places },
    )
}

pub fn programme_costs(b: &Batch, refs: &Refs) -> Chunk<ProgrammeCosts> {
    let n = b.len();
    let prog = rows::strings(b, "programme_id");
    let start = rows::days(b, "period_start");
    let end = rows::days(b, "period_end");
    let cat_s = rows::strings(b, "category");
    let cat = cat_s.enum_codes(schema::COST_CATEGORIES, n);
    let amount = rows::floats(b, "amount");
    let cur = rows::strings(b, "currency");
    let in_kind = rows::bools(b, "in_kind");
    let mut out = ProgrammeCosts::default();
    let mut cv = Interner::default();
    let mut cv_rows = ColumnCodes::new(&cur);
    let mut rej = Rejects::default();
    for i in 0..n {
        let row = (|| -> Result<(), Reject> {
            let p = rows::need_str(&prog, i, "programme_id")?;
            let p = refs.programmes.get(p).copied().ok_or_else(|| Reject {
                rule: Rule::DanglingReference,
                column: "programme_id",
                message: format!("programme {p:?} has no families, so its country (for price conversion) is unknown"),
                fix: "use the programme_id as written in families, or add the programme's families",
            })?;
            let s = rows::need_date(start[i], "period_start", refs.cutoff)?;
            let e = end[i].ok_or_else(|| rows::null("period_end"))?;
            if e < s {
                return Err(Reject {
                    rule: Rule::EndBeforeStart,
                    column: "period_end",
                    message: "period_end is before period_start".into(),
                    fix: "correct one of the two dates",
                });
            }
            let c = rows::need_enum(cat[i], "category", schema::COST_CATEGORIES, &cat_s, i)?;
            let a = rows::need_amount(amount[i], "amount")?;
            let k = rows::need_code(&cur, i, "currency", 3, "ISO 4217 currency")?;
            let ik = in_kind[i].ok_or_else(|| rows::null("in_kind"))?;
            out.programme.push(p);
            out.period_start.push(s);
            out.period_end.push(e);
            out.category.push(c);
            out.amount.push(a);
            out.currency.push(cv_rows.code(&mut cv, &cur, i, k));
            out.in_kind.push(ik);
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "programme_costs", b, i, None, r);
        }
    }
    Chunk {
        rows: out,
        vocab: vec![cv],
        rejects: rej,
    }
}

pub fn assessments(b: &Batch, refs: &Refs) -> Chunk<Assessments> {
    let n = b.len();
    let ids = rows::strings(b, "assessment_id");
    let fam = rows::strings(b, "family_id");
    let date = rows::days(b, "assessment_date");
    let ph_s = rows::strings(b, "phase");
    let ph = ph_s.enum_codes(schema::PHASES, n);
    let dom = rows::strings(b, "domain");
    let score = rows::ints(b, "score");
    let mut out = Assessments::default();
    let mut dv = Interner::with_preset(&DOMAINS);
    let mut dv_rows = ColumnCodes::new(&dom);
    let mut rej = Rejects::default();
    let mut families = Resolver::new(refs.families, "family_id", "families");
    for i in 0..n {
        let row = (|| -> Result<(), Reject> {
            rows::need_str(&ids, i, "assessment_id")?;
            let f = rows::need_str(&fam, i, "family_id")?;
            let f = families.get(f)?;
            let d = rows::need_date(date[i], "assessment_date", refs.cutoff)?;
            let p = rows::need_enum(ph[i], "phase", schema::PHASES, &ph_s, i)?;
            let dm = rows::need_str(&dom, i, "domain")?;
            let s = score[i].ok_or_else(|| rows::null("score"))?;
            if !(1..=4).contains(&s) {
                return Err(Reject {
                    rule: Rule::ScoreOutOfRange,
                    column: "score",
                    message: format!("score {s} is outside 1..4"),
                    fix: "scores are 1 (not doing well) to 4 (doing very well)",
                });
            }
            out.family.push(f);
            out.date.push(d);
            out.phase.push(p);
            out.domain.push(dv_rows.code(&mut dv, &dom, i, dm));
            out.score.push(s as u8);
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "assessments", b, i, ids.get(i), r);
        }
    }
    Chunk {
        rows: out,
        vocab: vec![dv],
        rejects: rej,
    }
}

pub fn followup_contacts(b: &Batch, refs: &Refs) -> Chunk<FollowupContacts> {
    let n = b.len();
    let fam = rows::strings(b, "family_id");
    let date = rows::days(b, "contact_date");
    let res_s = rows::strings(b, "result");
    let res = res_s.enum_codes(schema::CONTACT_RESULTS, n);
    let mut out = FollowupContacts::default();
    let mut rej = Rejects::default();
    let mut families = Resolver::new(refs.families, "family_id", "families");
    for i in 0..n {
        let row = (|| -> Result<(), Reject> {
            let f = rows::need_str(&fam, i, "family_id")?;
            let f = families.get(f)?;
            let d = rows::need_date(date[i], "contact_date", refs.cutoff)?;
            let r = rows::need_enum(res[i], "result", schema::CONTACT_RESULTS, &res_s, i)?;
            out.family.push(f);
            out.date.push(d);
            out.result.push(r);
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "followup_contacts", b, i, None, r);
        }
    }
    Chunk {
        rows: out,
        vocab: Vec::new(),
        rejects: rej,
    }
}

/// Care events, with where the kept rows are for the history check.
pub fn care_events(b: &Batch, refs: &Refs) -> (Chunk<CareEvents>, BatchPlaces) {
    let n = b.len();
    let child = rows::strings(b, "child_id");
    let date = rows::days(b, "event_date");
    let ev_s = rows::strings(b, "event");
    let ev = ev_s.enum_codes(schema::CARE_EVENTS, n);
    let ct_s = rows::strings(b, "care_type");
    let ct = ct_s.enum_codes(schema::CARE_TYPES, n);
    let mut out = CareEvents::default();
    let mut rej = Rejects::default();
    let mut places = BatchPlaces::new(b);
    let mut children = Resolver::new(refs.children, "child_id", "children");
    for i in 0..n {
        let row = (|| -> Result<(), Reject> {
            let c = rows::need_str(&child, i, "child_id")?;
            let c = children.get(c)?;
            let d = rows::need_date(date[i], "event_date", refs.cutoff)?;
            let e = rows::need_enum(ev[i], "event", schema::CARE_EVENTS, &ev_s, i)?;
            let t = rows::opt_enum(ct[i], "care_type", schema::CARE_TYPES, &ct_s, i)?;
            if t.is_none() && e != 1 {
                return Err(Reject {
                    rule: Rule::MissingCareType,
                    column: "care_type",
                    message: format!("a {} needs a care_type", schema::CARE_EVENTS[e as usize]),
                    fix: "give the type of care the child went into (residential, foster, ...)",
                });
            }
            out.child.push(c);
            out.date.push(d);
            out.event.push(e);
            out.care_type.push(t);
            places.keep();
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "care_events", b, i, None, r);
            places.skip(i);
        }
    }
    (
        Chunk {
            rows: out,
            vocab: Vec::new(),
            rejects: rej,
        },
        places,
    )
}

pub fn income(b: &Batch, refs: &Refs) -> Chunk<Income> {
    let n = b.len();
    let fam = rows::strings(b, "family_id");
    let date = rows::days(b, "observed_date");
    let ph_s = rows::strings(b, "phase");
    let ph = ph_s.enum_codes(schema::INCOME_PHASES, n);
    let amount = rows::floats(b, "monthly_income");
    let cur = rows::strings(b, "currency");
    let mut out = Income::default();
    let mut cv = Interner::default();
    let mut cv_rows = ColumnCodes::new(&cur);
    let mut rej = Rejects::default();
    let mut families = Resolver::new(refs.families, "family_id", "families");
    for i in 0..n {
        let row = (|| -> Result<(), Reject> {
            let f = rows::need_str(&fam, i, "family_id")?;
            let f = families.get(f)?;
            let d = rows::need_date(date[i], "observed_date", refs.cutoff)?;
            let p = rows::need_enum(ph[i], "phase", schema::INCOME_PHASES, &ph_s, i)?;
            let a = rows::need_amount(amount[i], "monthly_income")?;
            let k = rows::need_code(&cur, i, "currency", 3, "ISO 4217 currency")?;
            out.family.push(f);
            out.date.push(d);
            out.phase.push(p);
            out.monthly.push(a);
            out.currency.push(cv_rows.code(&mut cv, &cur, i, k));
            Ok(())
        })();
        if let Err(r) = row {
            set_aside(&mut rej, "income", b, i, None, r);
        }
    }
    Chunk {
        rows: out,
        vocab: vec![cv],
        rejects: rej,
    }
}
