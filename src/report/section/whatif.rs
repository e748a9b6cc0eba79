//! The what-if panel: every figure of the impact map, the discount rate and the year-1
//! switch as inputs; the ratio, PV, NPV, net ratio and payback recomputed in the page.
//!
//! The page's one script ([`SCRIPT`]) recomputes with the engine's formulas
//! (`sroi::impact`, `sroi::discount`), in the same order of operations, so a changed
//! figure gives the ratio `kinsight sroi` gives on a model with the same change (to
//! rounding; `tests/report_browser.rs` checks 1e-9). The formulas sit together in the
//! script, one function per engine step (`impactYear1`, `impacts`, `factors`,
//! `evaluate`), so that a change of the engine's arithmetic has one place to follow. The programme inputs are those of
//! `sroi/summary.json` and stay fixed (they do not depend on the impact map; with
//! `discount_inputs` they would depend on the rate, and the panel says so).
//!
//! Hooks for scripting: each input has `data-param="<outcome_id>.<field>"` (or
//! `study.discount_rate`, `study.discount_year1`); each result has
//! `data-output="ratio" | "pv" | "npv" | "net_ratio" | "payback_months"` and its
//! unrounded value in `data-value` (empty when undefined). Without scripts the panel
//! shows the base model's figures.

use crate::charts::labels::money;

use super::super::folder::RunFolder;
use super::super::html::esc;
use super::super::wording::outcome_label;
use super::section_start;

/// The panel's script: reads the inputs, evaluates, writes the outputs.
pub const SCRIPT: &str = r#"(function () {
  "use strict";
  var root = document.getElementById("whatif");
  if (!root) { return; }
  var inputs = Number(root.getAttribute("data-inputs"));
  var greenBook = root.getAttribute("data-schedule") === "green_book";
  var currency = root.getAttribute("data-currency");

  // The discount rate of year `period` (sroi::discount::Schedule::rate).
  function rate(m, period) {
    if (!greenBook) { return m.rate; }
    if (period <= 30) { return 0.035; }
    if (period <= 75) { return 0.030; }
    if (period <= 125) { return 0.025; }
    if (period <= 200) { return 0.020; }
    if (period <= 300) { return 0.015; }
    return 0.010;
  }

  // The engine's SROI arithmetic, one function per step, each named after the engine
  // function it follows, in the engine's order of operations (so a figure unchanged
  // here is the engine's figure to the last bit). The model m is
  // {rate, year1, outcomes: [{quantity, proxy, duration, deadweight, displacement,
  // attribution, dropoff, flows}]}; `flows` is the yearly profile g_t of an outcome whose
  // flows come from the data (`flows = "data"`), else null.
  var MAX_DURATION = 200;

  // sroi::impact::OutcomeValues::impact_base: Q x P x (1-dw)(1-ds)(1-at).
  function impactBase(o) {
    return o.quantity * o.proxy * (1 - o.deadweight) * (1 - o.displacement) * (1 - o.attribution);
  }
  // sroi::impact::OutcomeValues::years: ceil(duration), the duration within 1..200.
  function years(o) {
    var d = isFinite(o.duration) ? Math.min(Math.max(o.duration, 1), MAX_DURATION) : 1;
    return Math.ceil(d);
  }
  // sroi::impact::OutcomeValues::impacts: year t's impact is base x g_t x (1-do)^(t-1)
  // x the share of year t within the duration (a fractional last year counts its
  // fraction).
  function impacts(o) {
    var base = impactBase(o);
    var keep = 1 - o.dropoff;
    var fade = 1;
    var out = [];
    var n = years(o);
    for (var t = 0; t < n; t++) {
      if (t > 0) { fade *= keep; }
      var g = o.flows ? (t < o.flows.length ? o.flows[t] : 0) : 1;
      var part = Math.min(Math.max(o.duration - t, 0), 1);
      out.push(base * g * fade * part);
    }
    return out;
  }
  // sroi::discount::Discounting::factors: year t is discounted over t periods (t - 1
  // without the year-1 convention), compounding year by year.
  function factors(m, n) {
    var out = [];
    var acc = 1;
    for (var t = 1; t <= n; t++) {
      var periods = m.year1 ? t : t - 1;
      if (periods >= 1) { acc /= 1 + rate(m, periods); }
      out.push(acc);
    }
    return out;
  }
  // sroi::impact::payback_months: the month in which the undiscounted impacts, summed
  // over outcomes year by year, reach the inputs (linear within the year); null when
  // they never do.
  function paybackMonths(byYear) {
    var before = 0;
    for (var t = 0; t < byYear.length; t++) {
      var i = byYear[t];
      if (i > 0 && before + i >= inputs) {
        return 12 * t + 12 * Math.max((inputs - before) / i, 0);
      }
      before += i;
    }
    return null;
  }
  // sroi::impact::evaluate: PV per outcome summed, NPV, ratio, net ratio, payback.
  function evaluate(m) {
    var flows = m.outcomes.map(impacts);
    var n = 0;
    flows.forEach(function (f) { n = Math.max(n, f.length); });
    var d = factors(m, n);
    var pv = 0;
    var byYear = [];
    for (var t = 0; t < n; t++) { byYear.push(0); }
    flows.forEach(function (f) {
      var opv = 0;
      f.forEach(function (v, t) { opv += v * d[t]; byYear[t] += v; });
      pv += opv;
    });
    var npv = pv - inputs;
    return {
      ratio: pv / inputs,
      pv: pv,
      npv: npv,
      net_ratio: npv / inputs,
      payback_months: paybackMonths(byYear)
    };
  }

  function param(name) {
    return root.querySelector('[data-param="' + name + '"]');
  }
  function number(el) {
    var v = Number(el.value);
    return el.value.trim() === "" || !isFinite(v) ? NaN : v;
  }
  function model() {
    var m = {
      rate: number(param("study.discount_rate")),
      year1: param("study.discount_year1").checked,
      outcomes: []
    };
    root.querySelectorAll("tr[data-outcome]").forEach(function (row) {
      var id = row.getAttribute("data-outcome");
      var f = function (field) { return number(param(id + "." + field)); };
      var profile = row.getAttribute("data-flows");
      var g = profile ? profile.split(" ").map(Number) : null;
      m.outcomes.push({
        quantity: f("quantity"),
        proxy: f("proxy"),
        // At least 1 year, its fraction counting (sroi::impact::OutcomeValues::set); the
        // years of the data for flows from the data (sroi::impact::resolve).
        duration: g ? g.length : Math.max(1, f("duration")),
        flows: g,
        deadweight: f("deadweight"),
        displacement: f("displacement"),
        attribution: f("attribution"),
        dropoff: f("dropoff")
      });
    });
    return m;
  }
  // As the rest of the page writes amounts (charts::labels::money).
  function money(v) {
    var a = Math.abs(v);
    var s = a >= 1e6 ? (a / 1e6).toFixed(2) + " m" : Math.round(a).toLocaleString("en-GB");
    return (v < 0 ? "\u2212" : "") + currency + " " + s;
  }
  var shown = {
    ratio: function (v) { return v.toFixed(2) + " : 1"; },
    pv: money,
    npv: money,
    net_ratio: function (v) { return v.toFixed(2); },
    payback_months: function (v) { return v.toFixed(0) + " months"; }
  };
  function update() {
    var r = evaluate(model());
    Object.keys(shown).forEach(function (k) {
      var el = root.querySelector('[data-output="' + k + '"]');
      var v = r[k];
      var ok = v !== null && isFinite(v);
      el.setAttribute("data-value", ok ? String(v) : "");
      el.textContent = ok ? shown[k](v) : "not defined";
    });
  }
  root.addEventListener("input", update);
  root.addEventListener("change", update);
  document.getElementById("whatif-reset").addEventListener("click", function () {
    root.querySelectorAll("[data-param]").forEach(function (el) {
      if (el.type === "checkbox") { el.checked = el.defaultChecked; } else { el.value = el.defaultValue; }
    });
    update();
  });
  update();
})();"#;

/// A number input for `param`, starting at `value` (written in full precision, so an
/// unchanged input is the engine's value).
/// The yearly profile `g_t` of an outcome whose flows come from the data, recovered from
/// its base impacts: `impacts[t] = base x g_t x (1-do)^(t-1)` (`sroi::impact`), so the
/// page can recompute them when another figure of the outcome changes. `None` for flows
/// of the model, or when the base impact is 0 (the profile is then not recoverable and
/// the outcome's yearly impacts stay 0 whatever is entered).
fn data_profile(o: &crate::sroi::summary::OutcomeSummary) -> Option<Vec<f64>> {
    if o.flows != "data" {
        return None;
    }
    let base = o.quantity
        * o.proxy
        * (1.0 - o.deadweight)
        * (1.0 - o.displacement)
        * (1.0 - o.attribution);
    let keep = 1.0 - o.dropoff;
    let mut fade = 1.0;
    let g = o
        .impacts
        .iter()
        .enumerate()
        .map(|(t, i)| {
            if t > 0 {
                fade *= keep;
            }
            let d = base * fade;
            if d == 0.0 {
                0.0
            } else {
                i / d
            }
        })
        .collect();
    Some(g)
}

fn input(param: &str, value: f64, step: &str, label: &str) -> String {
    format!(
        "<input type=\"number\" step=\"{step}\" inputmode=\"decimal\" data-param=\"{}\" value=\"{value}\" aria-label=\"{}\">",
        esc(param),
        esc(label)
    )
}

/// One result with its hook.
fn output(name: &str, label: &str, value: Option<f64>, shown: String) -> String {
    format!(
        "<li><output data-output=\"{name}\" data-value=\"{}\" class=\"value\">{}</output><span class=\"label\">{}</span></li>",
        value.filter(|v| v.is_finite()).map(|v| v.to_string()).unwrap_or_default(),
        esc(&shown),
        esc(label)
    )
}

/// Whether the page has the panel: outcomes to change and positive inputs.
pub fn shown(run: &RunFolder) -> bool {
    let s = &run.summary;
    !s.outcomes.is_empty() && s.inputs.is_finite() && s.inputs > 0.0
}

/// The what-if section.
pub fn write(out: &mut String, run: &RunFolder) {
    let s = &run.summary;
    if !shown(run) {
        return;
    }
    let c = &s.currency;
    section_start(out, "what-if");
    let mc = &s.monte_carlo;
    out.push_str(&format!(
        "<p>Change any figure of the impact map, the discount rate or the year-1 convention: the results below are recomputed in this page with the engine's formulas. The uncertainty range shown above (95 % range {:.2}–{:.2} : 1) is for the base model only, not for the figures entered here. Programme inputs stay at {}{}. Reset returns every figure to the base model.{}</p>\n",
        mc.ratio_p2_5,
        mc.ratio_p97_5,
        esc(&money(c, s.inputs)),
        if s.discount_inputs {
            " (discounted at the base model's rate)"
        } else {
            ""
        },
        if s.outcomes.iter().any(|o| o.flows == "data") {
            " An outcome whose yearly flows come from the data keeps the data's years and their yearly pattern; its other figures scale it."
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "<form id=\"whatif\" class=\"whatif\" autocomplete=\"off\" data-inputs=\"{}\" data-schedule=\"{}\" data-currency=\"{}\">\n",
        s.inputs,
        esc(&s.discount_schedule),
        esc(c)
    ));
    out.push_str("<div class=\"scroll\"><table class=\"wide\">\n<caption>The impact map (fractions from 0 to 1)</caption>\n<thead><tr>");
    for h in [
        "Outcome",
        "Quantity",
        "Proxy per unit",
        "Years",
        "Deadweight",
        "Displacement",
        "Attribution",
        "Drop-off",
    ] {
        out.push_str(&format!("<th scope=\"col\">{h}</th>"));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for o in &s.outcomes {
        let label = outcome_label(&o.id);
        let profile = data_profile(o);
        out.push_str(&format!(
            "<tr data-outcome=\"{}\"{}><th scope=\"row\">{}</th>",
            esc(&o.id),
            profile
                .as_ref()
                .map(|g| format!(
                    " data-flows=\"{}\"",
                    g.iter().map(f64::to_string).collect::<Vec<_>>().join(" ")
                ))
                .unwrap_or_default(),
            esc(&label)
        ));
        let fields = [
            ("quantity", o.quantity, "any"),
            ("proxy", o.proxy, "any"),
            ("duration", f64::from(o.duration), "1"),
            ("deadweight", o.deadweight, "0.01"),
            ("displacement", o.displacement, "0.01"),
            ("attribution", o.attribution, "0.01"),
            ("dropoff", o.dropoff, "0.01"),
        ];
        for (field, value, step) in fields {
            out.push_str("<td>");
            let cell = input(
                &format!("{}.{field}", o.id),
                value,
                step,
                &format!("{label}: {field}"),
            );
            // The years of flows from the data are the data's: shown, not edited.
            if field == "duration" && profile.is_some() {
                out.push_str(&cell.replace("<input", "<input disabled"));
            } else {
                out.push_str(&cell);
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n<p class=\"study\">");
    let green = s.discount_schedule == "green_book";
    out.push_str(&format!(
        "<label>Discount rate {}</label> ",
        input(
            "study.discount_rate",
            s.discount_rate,
            "0.005",
            "discount rate"
        )
        .replace("<input", if green { "<input disabled" } else { "<input" })
    ));
    if green {
        out.push_str("(the Green Book schedule: 3.5 % for years 1-30, then falling) ");
    }
    out.push_str(&format!(
        "<label><input type=\"checkbox\" data-param=\"study.discount_year1\"{}> Discount year 1 (as Excel's NPV does)</label> <button type=\"button\" id=\"whatif-reset\">Reset</button></p>\n",
        if s.discount_year1 { " checked" } else { "" }
    ));
    out.push_str("<ul class=\"figures\" aria-live=\"polite\">");
    out.push_str(&output(
        "ratio",
        "SROI ratio",
        Some(s.ratio),
        format!("{:.2} : 1", s.ratio),
    ));
    out.push_str(&output(
        "pv",
        "Present value",
        Some(s.pv_total),
        money(c, s.pv_total),
    ));
    out.push_str(&output(
        "npv",
        "Net present value",
        Some(s.npv),
        money(c, s.npv),
    ));
    out.push_str(&output(
        "net_ratio",
        "Net ratio",
        Some(s.net_ratio),
        format!("{:.2}", s.net_ratio),
    ));
    out.push_str(&output(
        "payback_months",
        "Payback",
        s.payback_months,
        s.payback_months
            .map_or("not defined".into(), |m| format!("{m:.0} months")),
    ));
    out.push_str("</ul>\n</form>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::run;

    #[test]
    fn each_outcome_field_and_the_study_have_a_hook() {
        let mut r = run();
        r.summary.outcomes = serde_json::from_value(serde_json::json!([{
            "id": "avoided_care", "stakeholder": "state", "quantity": 10.5, "proxy": 5000.0,
            "duration": 3, "deadweight": 0.1, "displacement": 0.0, "attribution": 0.2,
            "dropoff": 0.1, "impact_year1": 1.0, "pv": 2500.0, "indicator": "x", "impacts": [1.0]
        }]))
        .unwrap();
        let mut out = String::new();
        write(&mut out, &r);
        for f in [
            "quantity",
            "proxy",
            "duration",
            "deadweight",
            "displacement",
            "attribution",
            "dropoff",
        ] {
            assert!(
                out.contains(&format!("data-param=\"avoided_care.{f}\"")),
                "{f}"
            );
        }
        assert!(out.contains("data-param=\"avoided_care.quantity\" value=\"10.5\""));
        assert!(out.contains("data-param=\"study.discount_rate\" value=\"0.035\""));
        assert!(out.contains("data-param=\"study.discount_year1\">"));
        for o in ["ratio", "pv", "npv", "net_ratio", "payback_months"] {
            assert!(out.contains(&format!("data-output=\"{o}\"")), "{o}");
        }
        assert!(out.contains("data-output=\"ratio\" data-value=\"2.5\""));
        assert!(out.contains("data-output=\"payback_months\" data-value=\"\""));
        assert!(out.contains("is for the base model"));
        assert!(out.contains("id=\"whatif-reset\""));
    }

    #[test]
    fn without_outcomes_there_is_no_panel() {
        let mut out = String::new();
        write(&mut out, &run());
        assert!(out.is_empty());
    }
}
