//! The schema itself: unique ids, relations that name rows and columns that
//! exist, and the row counts of format-spec §3–§4.

use std::collections::HashSet;

use nianbao::schema::{FormatId, Relation, RowKind, TableId, FORMAT_2019, FORMAT_2021};

#[test]
fn ids_are_unique_and_relations_name_existing_rows() {
    for schema in [&FORMAT_2021, &FORMAT_2019] {
        let mut tables = HashSet::new();
        for t in schema.tables() {
            assert!(tables.insert(t.id), "{:?} twice", t.id);
            let rows: HashSet<_> = t.rows.iter().map(|r| r.id).collect();
            assert_eq!(rows.len(), t.rows.len(), "{:?}: duplicate row id", t.id);
            let cols: HashSet<_> = t.columns.iter().map(|c| c.id).collect();
            assert_eq!(cols.len(), t.columns.len(), "{:?}: duplicate column id", t.id);
            for rel in t.relations {
                match rel {
                    Relation::RowTotal { total, parts, code } => {
                        assert!(*total < t.width() && parts.iter().all(|&p| p < t.width() && p != *total), "{code}");
                    }
                    Relation::ColumnTotal { total, cols, .. } => {
                        assert!(t.row_index(total).is_some(), "{total}");
                        assert!(cols.iter().all(|&c| c < t.width()));
                    }
                    Relation::Balance { plus, minus, carry, .. } => {
                        for id in plus.iter().chain(minus.iter()).chain([carry]) {
                            assert!(t.row_index(id).is_some(), "{id}");
                        }
                    }
                }
            }
            // Every code a relation names is a known rule.
            for rel in t.relations {
                let code = match rel {
                    Relation::RowTotal { code, .. }
                    | Relation::ColumnTotal { code, .. }
                    | Relation::Balance { code, .. } => code,
                };
                assert!(nianbao::rules::rule(code).is_some(), "{code}");
            }
        }
        let nums: Vec<u8> = schema.sections.iter().map(|s| s.num).collect();
        assert_eq!(nums, vec![1, 2, 3, 4, 5, 6]);
    }
}

#[test]
fn table_three_has_the_official_rows() {
    let leaves = |f: FormatId| f.schema().t3.rows.iter().filter(|r| r.kind == RowKind::Leaf).count();
    assert_eq!(FORMAT_2021.t3.rows.len(), 25);
    assert_eq!(leaves(FormatId::F2021), 21);
    assert_eq!(FORMAT_2019.t3.rows.len(), 23);
    assert_eq!(leaves(FormatId::F2019), 19);
    assert_eq!(FORMAT_2021.t3.width(), 7);
    assert_eq!(FORMAT_2021.t4.width(), 15);
    assert!(FORMAT_2019.table(TableId::T2e).is_some());
    assert!(FORMAT_2021.table(TableId::T2e).is_none());
}

#[test]
fn years_choose_formats() {
    assert_eq!(FormatId::for_year(2018), None);
    assert_eq!(FormatId::for_year(2019), Some(FormatId::F2019));
    assert_eq!(FormatId::for_year(2020), Some(FormatId::F2019));
    assert_eq!(FormatId::for_year(2021), Some(FormatId::F2021));
    assert_eq!(FormatId::for_year(2025), Some(FormatId::F2021));
}
