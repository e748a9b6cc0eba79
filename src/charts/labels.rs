//! How numbers and long labels are written on charts: percentages, money, ratios and
//! word wrapping.
//!
//! Kept apart from the drawing so the exact wording readers see ("97 %", "EUR 6.20",
//! "6.2 : 1", "EUR 1.25 m") is decided in one place and unit-tested.

/// A share in 0..1 as a whole percentage: `0.973` -> `"97 %"`.
pub fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// A probability as a whole percentage that never rounds to certainty it does not have:
/// `0.973` -> `"97 %"`, `0.997` -> `"99.7 %"`, `1.0` -> `"> 99.9 %"`, `0.0` -> `"< 0.1 %"`.
/// Never claims a certainty a finite set of draws cannot show: above 0.999 (1.0
/// included) it reads `"> 99.9 %"`, below 0.001 (0 included) `"< 0.1 %"`, near either
/// end one decimal; the same rule as the report's `sroi::monte_carlo::share_of_draws`,
/// which adds the number of draws where the text has room for it.
pub fn probability(p: f64) -> String {
    if p > 0.999 {
        "> 99.9 %".to_string()
    } else if p < 0.001 {
        "< 0.1 %".to_string()
    } else if !(0.005..=0.995).contains(&p) {
        format!("{:.1} %", p * 100.0)
    } else {
        percent(p)
    }
}

/// A probability statement: `("ratio > 1", 0.97)` -> `"P(ratio > 1) = 97 %"`, and
/// `("ratio > 1", 0.9996)` -> `"P(ratio > 1) > 99 %"`.
pub fn probability_statement(event: &str, p: f64) -> String {
    let value = probability(p);
    if value.starts_with('>') || value.starts_with('<') {
        format!("P({event}) {value}")
    } else {
        format!("P({event}) = {value}")
    }
}

/// A share in 0..1 as a percentage with one decimal: `0.4242` -> `"42.4 %"`.
pub fn percent1(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// An integer-valued amount with thousands separators: `45300.4` -> `"45,300"`.
pub fn thousands(amount: f64) -> String {
    let rounded = amount.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if rounded < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A money amount, compact: millions with two decimals (`"EUR 1.25 m"`), thousands
/// and below as whole units with separators (`"EUR 45,300"`).
pub fn money(currency: &str, amount: f64) -> String {
    if amount.abs() >= 1_000_000.0 {
        format!("{currency} {:.2} m", amount / 1_000_000.0)
    } else {
        format!("{currency} {}", thousands(amount))
    }
}

/// An axis tick for money, in one unit for the whole axis (chosen from `axis_max`):
/// millions when the axis reaches 1 m, thousands when it reaches 10,000, else whole
/// units. `money_tick(1_500_000.0, 2e6) = "1.5 m"`, `money_tick(8_000.0, 10_000.0) = "8 k"`.
pub fn money_tick(amount: f64, axis_max: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let top = axis_max.abs();
    if amount == 0.0 {
        "0".to_string()
    } else if top >= 1_000_000.0 {
        format!("{} m", trim(format!("{:.2}", amount / 1_000_000.0)))
    } else if top >= 10_000.0 {
        format!("{} k", trim(format!("{:.1}", amount / 1_000.0)))
    } else {
        thousands(amount)
    }
}

/// A value per currency unit invested: `6.2` -> `"EUR 6.20"`.
pub fn per_unit(currency: &str, ratio: f64) -> String {
    format!("{currency} {ratio:.2}")
}

/// A plain axis tick without floating-point noise: `0.30000000000000004` -> `"0.3"`,
/// `2.0` -> `"2"`, `-0.0` -> `"0"`.
pub fn tick(v: f64) -> String {
    let r = (v * 1e6).round() / 1e6;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}

/// An SROI ratio as a number, two decimals: `6.2` -> `"6.20"`. The one rounding rule
/// for ratios across the report, the card and the charts, so that a reader never sees
/// 3.7 in one place and 3.73 in another.
pub fn ratio_value(value: f64) -> String {
    format!("{value:.2}")
}

/// An SROI ratio: `6.2` -> `"6.20 : 1"`.
pub fn ratio(value: f64) -> String {
    format!("{} : 1", ratio_value(value))
}

/// A span of years for prose and labels: "1 year", "5 years", "2.5 years".
pub fn years(h: f64) -> String {
    if h == 1.0 {
        "1 year".into()
    } else if h.fract() == 0.0 {
        format!("{h:.0} years")
    } else {
        format!("{h} years")
    }
}

/// Splits `text` into lines of at most `max_chars` characters at spaces (a longer single
/// word stays whole on its own line).
pub fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = if line.is_empty() {
            word.chars().count()
        } else {
            line.chars().count() + 1 + word.chars().count()
        };
        if needed > max_chars && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A domain code made readable: `"food_security"` -> `"Food security"`.
pub fn humanise(code: &str) -> String {
    let spaced = code.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The reader-facing name of a well-being domain code; unknown codes are humanised.
/// `"protection_social_inclusion"` -> `"Protection and inclusion"`.
pub fn domain_label(code: &str) -> String {
    match code {
        "care" => "Care".into(),
        "food_security" => "Food security".into(),
        "shelter" => "Shelter".into(),
        "physical_health" => "Physical health".into(),
        "education_skills" => "Education and skills".into(),
        "livelihood" => "Livelihood".into(),
        "protection_social_inclusion" => "Protection and inclusion".into(),
        "social_emotional" => "Social-emotional well-being".into(),
        "overall" => "Overall".into(),
        other => humanise(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages() {
        assert_eq!(percent(0.973), "97 %");
        assert_eq!(percent(0.0), "0 %");
        assert_eq!(percent1(0.4242), "42.4 %");
        assert_eq!(probability(0.973), "97 %");
        assert_eq!(probability(0.9996), "> 99.9 %");
        assert_eq!(probability(0.997), "99.7 %");
        assert_eq!(probability(1.0), "> 99.9 %");
        assert_eq!(probability(0.002), "0.2 %");
        assert_eq!(probability(0.0), "< 0.1 %");
        assert_eq!(
            probability_statement("ratio > 1", 0.97),
            "P(ratio > 1) = 97 %"
        );
        assert_eq!(
            probability_statement("ratio > 1", 0.9996),
            "P(ratio > 1) > 99.9 %"
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(45_300.4), "45,300");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
        assert_eq!(thousands(-2_500.0), "-2,500");
    }

    #[test]
    fn money_amounts() {
        assert_eq!(money("EUR", 1_254_000.0), "EUR 1.25 m");
        assert_eq!(money("EUR", 45_300.0), "EUR 45,300");
        assert_eq!(money_tick(1_500_000.0, 2e6), "1.5 m");
        assert_eq!(money_tick(500_000.0, 2e6), "0.5 m");
        assert_eq!(money_tick(2_000_000.0, 2e6), "2 m");
        assert_eq!(money_tick(45_000.0, 50_000.0), "45 k");
        assert_eq!(money_tick(8_000.0, 10_000.0), "8 k");
        assert_eq!(money_tick(800.0, 1_000.0), "800");
        assert_eq!(money_tick(0.0, 2e6), "0");
        assert_eq!(per_unit("EUR", 6.2), "EUR 6.20");
        assert_eq!(ratio(6.2), "6.20 : 1");
        assert_eq!(ratio_value(3.725), "3.73");
        assert_eq!(tick(0.1 + 0.2), "0.3");
        assert_eq!(tick(2.0), "2");
        assert_eq!(tick(-0.0), "0");
        assert_eq!(tick(12.5), "12.5");
    }

    #[test]
    fn wrapping() {
        assert_eq!(
            wrap("Avoided residential care placements", 20),
            vec!["Avoided residential", "care placements"]
        );
        assert_eq!(wrap("short", 20), vec!["short"]);
        assert_eq!(
            wrap("extraordinarily-long-word x", 5),
            vec!["extraordinarily-long-word", "x"]
        );
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn domain_names() {
        let labels: Vec<String> = crate::schema::DOMAINS
            .iter()
            .map(|d| domain_label(d))
            .collect();
        assert_eq!(
            labels,
            [
                "Care",
                "Food security",
                "Shelter",
                "Physical health",
                "Education and skills",
                "Livelihood",
                "Protection and inclusion",
                "Social-emotional well-being"
            ]
        );
        assert_eq!(domain_label("custom_domain"), "Custom domain");
    }

    #[test]
    fn humanised_codes() {
        assert_eq!(humanise("food_security"), "Food security");
        assert_eq!(humanise("overall"), "Overall");
        assert_eq!(humanise(""), "");
    }
}
