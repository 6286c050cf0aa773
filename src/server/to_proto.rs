//! Conversions from the core's results (byte ranges, `rules::Diagnostic`,
//! `features::*`) to LSP types, through the snapshot's [`Positions`] in the
//! negotiated encoding. Pure functions: no locking, no awaiting.

use std::collections::HashMap;

use tower_lsp::lsp_types as lsp;
use tower_lsp::lsp_types::Url;

use super::documents::Positions;
use super::features::{Action, ActionKind, Hint, Symbol, SymbolKind};
use crate::rules::{Diagnostic, Severity, TextEdit};
use crate::text::TextRange;

pub const FIX_ALL_KIND: &str = "source.fixAll.nianbao";

/// `other` resolves a related range in another file (NB403) by its path (a
/// URI): to a location, or `None` to leave it out.
pub fn diagnostic(
    pos: &Positions,
    uri: &Url,
    d: &Diagnostic,
    other: &dyn Fn(&str, TextRange) -> Option<lsp::Location>,
) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    };
    // Locations in other files (NB403) carry that file's URI; their
    // positions come from its summary, converted when it was read.
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.path {
                None => lsp::Location::new(uri.clone(), pos.range(r.range)),
                Some(path) => other(path, r.range)?,
            };
            Some(lsp::DiagnosticRelatedInformation { location, message: r.message.clone() })
        })
        .collect();
    let mut data = serde_json::Map::new();
    if let Some(e) = &d.expected {
        data.insert("expected".into(), e.clone().into());
    }
    if let Some(f) = &d.found {
        data.insert("found".into(), f.clone().into());
    }
    lsp::Diagnostic {
        range: pos.range(d.range),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("nianbao".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: (!data.is_empty()).then_some(serde_json::Value::Object(data)),
    }
}

pub fn text_edits(pos: &Positions, edits: &[TextEdit]) -> Vec<lsp::TextEdit> {
    edits.iter().map(|e| lsp::TextEdit::new(pos.range(e.range), e.new_text.clone())).collect()
}

/// A `WorkspaceEdit` for one document: versioned `documentChanges` when the
/// client supports them (a stale edit is then refused by the client), else
/// plain `changes`.
pub fn workspace_edit(
    pos: &Positions,
    uri: &Url,
    version: i32,
    versioned: bool,
    edits: &[TextEdit],
) -> lsp::WorkspaceEdit {
    let edits = text_edits(pos, edits);
    if versioned {
        let doc = lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: uri.clone(), version: Some(version) },
            edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
        };
        lsp::WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Edits(vec![doc])), ..Default::default() }
    } else {
        lsp::WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }
    }
}

pub struct ActionContext<'a> {
    pub pos: &'a Positions,
    pub uri: &'a Url,
    pub version: i32,
    pub versioned: bool,
    /// The snapshot's diagnostics, already converted.
    pub diagnostics: &'a [lsp::Diagnostic],
}

pub fn code_action(cx: &ActionContext, a: &Action) -> lsp::CodeActionOrCommand {
    let kind = match a.kind {
        ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ActionKind::FixAll => lsp::CodeActionKind::new(FIX_ALL_KIND),
    };
    let diagnostics: Vec<lsp::Diagnostic> =
        a.diagnostics.iter().filter_map(|&i| cx.diagnostics.get(i).cloned()).collect();
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: a.title.clone(),
        kind: Some(kind),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit: Some(workspace_edit(cx.pos, cx.uri, cx.version, cx.versioned, &a.edits)),
        command: None,
        is_preferred: a.preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
pub fn symbol(pos: &Positions, s: &Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            SymbolKind::Section => lsp::SymbolKind::NAMESPACE,
            SymbolKind::Table => lsp::SymbolKind::STRUCT,
        },
        tags: None,
        deprecated: None,
        range: pos.range(s.range),
        selection_range: pos.range(s.selection),
        children: (!s.children.is_empty()).then(|| s.children.iter().map(|c| symbol(pos, c)).collect()),
    }
}

pub fn folding_range((start, end): (usize, usize)) -> lsp::FoldingRange {
    lsp::FoldingRange {
        start_line: start as u32,
        start_character: None,
        end_line: end as u32,
        end_character: None,
        kind: Some(lsp::FoldingRangeKind::Region),
        collapsed_text: None,
    }
}

pub fn inlay_hint(pos: &Positions, h: &Hint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: pos.position(h.offset),
        label: lsp::InlayHintLabel::String(h.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: Some(lsp::InlayHintTooltip::String(h.tooltip.clone())),
        padding_left: Some(true),
        padding_right: None,
        data: None,
    }
}
