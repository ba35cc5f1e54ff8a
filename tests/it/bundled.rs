//! The bundled study in `data/`: it checks clean in every format, and it is
//! a faithful transcription of the paper (Table 1, Table 2 and the printed
//! quote attributions), with attributions derived, never typed.

use std::fs;
use std::path::Path;

use findings::model::{QuoteContent, Speaker, Study};

use crate::support::{self, copy_dir, findings, run};

fn bundled() -> Study {
    let checked = findings::check_study(&support::bundled_study()).expect("data/ opens");
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    checked.study.expect("the bundled study is valid")
}

#[test]
fn checks_clean_in_every_format() {
    let root = support::manifest_dir();
    let human = run(findings()
        .current_dir(root)
        .args(["check", "data", "--deny-warnings", "--color", "never"]));
    assert_eq!(human.code, 0, "{human:?}");
    assert_eq!(human.stdout, "");
    assert_eq!(human.stderr, "data: no problems found\n");

    let github = run(findings()
        .current_dir(root)
        .args(["check", "data", "--deny-warnings", "--format", "github"]));
    assert_eq!(github.code, 0, "{github:?}");
    assert_eq!(github.stdout, "");

    let json = run(findings()
        .current_dir(root)
        .args(["check", "data", "--deny-warnings", "--format", "json"]));
    assert_eq!(json.code, 0, "{json:?}");
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["version"], 1);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0);
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

/// Table 1: Kimberlee's four models, in order.
#[test]
fn the_typology_has_kimberlees_four_models() {
    let study = bundled();
    let names: Vec<&str> = study.typology.models.iter().map(|model| model.name.as_str()).collect();
    assert_eq!(names, ["SP Signposting", "SP Light", "SP Medium", "SP Holistic"]);
}

/// Table 2, row by row: participant, service, gender, contract and role
/// category as the paper prints them.
#[test]
fn the_participants_are_those_of_table_2() {
    let study = bundled();
    let attribute = |id: &str| {
        let index = study.attributes.iter().position(|attribute| attribute.id == id);
        findings::model::Field::Attribute(index.unwrap())
    };
    let (gender, contract) = (attribute("gender"), attribute("contract"));
    let rows: Vec<(&str, &str, &str, &str, &str)> = study
        .participants
        .iter()
        .map(|participant| {
            (
                participant.id.as_str(),
                study.services[participant.service].id.as_str(),
                study.value_of(participant, gender),
                study.value_of(participant, contract),
                study.roles.roles[participant.role].name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("1a", "1", "M", "FT", "Social Prescriber"),
            ("1b", "1", "F", "FT", "Social Prescriber"),
            ("2", "2", "F", "FT", "Managerial Social Prescriber"),
            ("3", "3", "F", "FT", "Managerial Social Prescriber"),
            ("4a", "4", "M", "PT", "Manager"),
            ("4b", "4", "F", "PT", "Social Prescriber"),
            ("5", "5", "M", "PT", "Social Prescriber"),
            ("6", "6", "M", "FT", "Senior Practitioner"),
        ]
    );
}

/// Table 2's service columns: services 1 (NHS) and 4 (local authority) are
/// statutory and SP Medium; the others community-based and SP Holistic.
#[test]
fn the_services_are_those_of_table_2() {
    let study = bundled();
    let services: Vec<(&str, &str, &str)> = study
        .services
        .iter()
        .map(|service| {
            (
                service.id.as_str(),
                study.organisation_types[service.organisation_type].name.as_str(),
                study.typology.models[service.model].name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        services,
        [
            ("1", "Statutory", "SP Medium"),
            ("2", "Community-based", "SP Holistic"),
            ("3", "Community-based", "SP Holistic"),
            ("4", "Statutory", "SP Medium"),
            ("5", "Community-based", "SP Holistic"),
            ("6", "Community-based", "SP Holistic"),
        ]
    );
}

/// The 16 quotes of the Results, three of them exchanges with the
/// interviewer, each placed once.
#[test]
fn the_quotes_are_the_papers_sixteen() {
    let study = bundled();
    assert_eq!(study.quotes.len(), 16);
    let exchanges: Vec<&str> = study
        .quotes
        .iter()
        .filter(|quote| match &*quote.content {
            QuoteContent::Turns(turns) => turns.iter().any(|turn| turn.speaker == Speaker::Interviewer),
            QuoteContent::Text(_) => false,
        })
        .map(|quote| quote.id.as_str())
        .collect();
    assert_eq!(exchanges.len(), 3, "{exchanges:?}");
    for quote in &study.quotes {
        assert!(quote.placement.is_some(), "quote `{}` is not placed", quote.id);
    }
    // `check` refuses a quote placed twice; count the directives too.
    let mut placed = vec![0usize; study.quotes.len()];
    let blocks = study
        .sections
        .iter()
        .flat_map(|section| &section.blocks)
        .chain(study.themes.iter().flat_map(|theme| {
            theme
                .intro
                .iter()
                .chain(theme.subthemes.iter().flat_map(|subtheme| &subtheme.blocks))
        }));
    for block in blocks {
        if let findings::model::Block::Quote(index) = block {
            placed[*index] += 1;
        }
    }
    assert!(placed.iter().all(|count| *count == 1), "{placed:?}");
}

fn attribution_of<'a>(study: &'a Study, id: &str) -> &'a str {
    study
        .quotes
        .iter()
        .find(|quote| quote.id == id)
        .unwrap_or_else(|| panic!("no quote `{id}`"))
        .attribution
        .as_str()
}

/// Derived attributions read as the paper prints them (with the en dash the
/// paper uses for most of them).
#[test]
fn attributions_are_those_of_the_paper() {
    let study = bundled();
    for (quote, printed) in [
        ("sales-career-change", "Manager, Statutory Service, SP Medium – 4a"),
        (
            "magic-wand",
            "Senior Practitioner, Community-based Service, SP Holistic – 6",
        ),
        (
            "supportive-team",
            "Social Prescriber, Statutory Service, SP Medium – 1b",
        ),
        (
            "no-formal-process",
            "Social Prescriber, Statutory Service, SP Medium – 1a",
        ),
        (
            "good-team-leader",
            "Social Prescriber, Statutory Service, SP Medium – 4b",
        ),
        (
            "knowledge-handed-over",
            "Social Prescriber, Community-based Service, SP Holistic – 5",
        ),
        (
            "managing-staff-training",
            "Managerial Social Prescriber, Community-based Service, SP Holistic – 3",
        ),
        (
            "peak-of-organisation",
            "Managerial Social Prescriber, Community-based Service, SP Holistic – 2",
        ),
    ] {
        assert_eq!(attribution_of(&study, quote), printed, "quote `{quote}`");
    }
}

/// An attribution is derived from the participant's record: changing
/// participant 2's role category in a copy of data/ changes the attribution
/// of every quote of theirs, and of no other.
#[test]
fn attributions_follow_the_participants_role() {
    let before = bundled();
    let temp = tempfile::tempdir().expect("a temporary folder");
    let copy = temp.path().join("data");
    copy_dir(&support::bundled_study(), &copy);
    let participants = copy.join("participants.yaml");
    let text = fs::read_to_string(&participants).expect("participants.yaml");
    let record = "  - id: \"2\"\n    consent: quote\n    service: \"2\"\n    gender: F\n    contract: FT\n    role: managerial-social-prescriber\n";
    assert!(
        text.contains(record),
        "participant 2's record has moved; update this test"
    );
    let changed = text.replace(
        record,
        "  - id: \"2\"\n    consent: quote\n    service: \"2\"\n    gender: F\n    contract: FT\n    role: senior-practitioner\n",
    );
    fs::write(&participants, changed).expect("participants.yaml can be written");

    let checked = findings::check_study(Path::new(&copy)).expect("the copy opens");
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let after = checked.study.expect("still valid");
    let participant_2 = before
        .participants
        .iter()
        .position(|participant| participant.id == "2")
        .expect("participant 2");
    let mut changed = 0;
    for (old, new) in before.quotes.iter().zip(&after.quotes) {
        assert_eq!(old.id, new.id);
        if old.participant == participant_2 {
            assert_eq!(
                old.attribution,
                "Managerial Social Prescriber, Community-based Service, SP Holistic – 2"
            );
            assert_eq!(
                new.attribution, "Senior Practitioner, Community-based Service, SP Holistic – 2",
                "quote `{}`",
                new.id
            );
            changed += 1;
        } else {
            assert_eq!(old.attribution, new.attribution, "quote `{}`", new.id);
        }
    }
    assert!(changed >= 2, "participant 2 has {changed} quotes");
}
