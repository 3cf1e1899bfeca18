//! Finding signatures (`signing.md` step 2): through `/AcroForm /Fields` (with `/Kids`), plus
//! every signature dictionary of the file that the form does not reach.

use std::collections::{BTreeMap, BTreeSet};

use crate::pdf::revisions::{DictRef, Entry, Resolved, Resolver};
use crate::pdf::syntax::{ObjRef, Object};

/// Field nodes visited at most (hostile forms).
const MAX_FIELD_NODES: usize = 10_000;

/// One terminal form field of type `/Sig`, as of one revision.
#[derive(Debug, Clone)]
pub(crate) struct SigField {
    /// The fully qualified name (`GVCN`, `form.sig1`).
    pub name: String,
    /// The field's object (terminal fields are always indirect in practice; `None` if direct).
    pub obj: Option<ObjRef>,
    /// `/V` as written (a reference to the signature dictionary, or absent).
    pub value: Option<Object>,
    /// The widget annotations of the field (the field itself when merged).
    pub widgets: Vec<ObjRef>,
}

/// Walks the form of `revision` and returns its signature fields, in form order.
pub(crate) fn sig_fields(resolver: &Resolver<'_>, revision: usize) -> Vec<SigField> {
    let mut out = Vec::new();
    let Ok(catalog) = resolver.catalog(revision) else {
        return out;
    };
    let Some(form) = catalog
        .get(b"AcroForm")
        .and_then(|o| dict(resolver, o, revision))
    else {
        return out;
    };
    let Some(fields) = form
        .get(b"Fields")
        .and_then(|o| array(resolver, o, revision))
    else {
        return out;
    };
    let mut visited = BTreeSet::new();
    let mut budget = MAX_FIELD_NODES;
    for f in fields.iter() {
        walk(
            resolver,
            revision,
            f,
            "",
            false,
            &mut visited,
            &mut budget,
            &mut out,
        );
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn walk(
    resolver: &Resolver<'_>,
    revision: usize,
    node: &Object,
    parent_name: &str,
    parent_sig: bool,
    visited: &mut BTreeSet<ObjRef>,
    budget: &mut usize,
    out: &mut Vec<SigField>,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let obj = match node {
        Object::Ref(r) => {
            if !visited.insert(*r) {
                return;
            }
            Some(*r)
        }
        _ => None,
    };
    let Some(d) = dict(resolver, node, revision) else {
        return;
    };
    let part = d
        .get(b"T")
        .and_then(Object::as_string)
        .map(|s| crate::pdf::sign::decode_pdf_text(&s.bytes));
    let name = match (&part, parent_name.is_empty()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{parent_name}.{p}"),
        (None, _) => parent_name.to_owned(),
    };
    let is_sig = match d.get(b"FT").and_then(Object::as_name) {
        Some(ft) => ft == b"Sig",
        None => parent_sig,
    };
    let kids = d
        .get(b"Kids")
        .and_then(|k| array(resolver, k, revision))
        .unwrap_or_default();
    // Kids with /T are fields; kids without are widgets of this field.
    let mut field_kids = Vec::new();
    let mut widgets = Vec::new();
    for k in kids.iter() {
        match dict(resolver, k, revision) {
            Some(kd) if kd.get(b"T").is_some() => field_kids.push(k.clone()),
            Some(_) => {
                if let Object::Ref(r) = k {
                    widgets.push(*r);
                }
            }
            None => {}
        }
    }
    if !field_kids.is_empty() {
        for k in &field_kids {
            walk(resolver, revision, k, &name, is_sig, visited, budget, out);
        }
        return;
    }
    if is_sig {
        if widgets.is_empty() {
            if let Some(r) = obj {
                widgets.push(r);
            }
        }
        out.push(SigField {
            name,
            obj,
            value: d.get(b"V").cloned(),
            widgets,
        });
    }
}

/// The dictionary an object is or refers to.
pub(crate) fn dict<'o>(
    resolver: &'o Resolver<'_>,
    o: &'o Object,
    revision: usize,
) -> Option<DictRef<'o>> {
    DictRef::new(resolver.resolve(o, revision).ok()?)
}

/// The array an object is or refers to, without a copy (borrowed, or shared with the
/// resolver's cache).
pub(crate) fn array<'o>(
    resolver: &'o Resolver<'_>,
    o: &'o Object,
    revision: usize,
) -> Option<ArrayRef<'o>> {
    let resolved = resolver.resolve(o, revision).ok()?;
    matches!(&*resolved, Object::Array(_)).then_some(ArrayRef(resolved))
}

/// An array as read at a revision; dereferences to its items.
#[derive(Debug, Clone)]
pub(crate) struct ArrayRef<'o>(Resolved<'o>);

static EMPTY_ARRAY: Object = Object::Array(Vec::new());

impl Default for ArrayRef<'_> {
    fn default() -> Self {
        ArrayRef(Resolved::Direct(&EMPTY_ARRAY))
    }
}

impl std::ops::Deref for ArrayRef<'_> {
    type Target = [Object];
    fn deref(&self) -> &[Object] {
        match &*self.0 {
            Object::Array(a) => a,
            _ => &[],
        }
    }
}

/// A signature dictionary found in the file.
#[derive(Debug, Clone)]
pub(crate) struct FoundSignature {
    /// Discovery order (form order, then file order), a tie-breaker.
    pub order: usize,
    /// The field's name, `None` for a dictionary the form does not reach.
    pub field: Option<String>,
    /// The signature dictionary (`None` when `/V` is a direct dictionary, which is malformed).
    pub dict: Option<ObjRef>,
    /// Other fields whose `/V` is the same dictionary.
    pub shared_with: Vec<String>,
}

/// The signatures of the file and the form's empty signature fields (last revision).
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub signatures: Vec<FoundSignature>,
    /// Signature fields without a value.
    pub empty_fields: Vec<SigField>,
    /// All signature fields of the last revision.
    pub fields: Vec<SigField>,
}

/// Finds the signatures of the last revision's form, and the signature dictionaries the form
/// does not reach.
pub(crate) fn find_signatures(resolver: &Resolver<'_>) -> Found {
    let last = resolver.revision_count();
    let fields = sig_fields(resolver, last);
    let mut found = Found::default();
    let mut by_dict: BTreeMap<ObjRef, usize> = BTreeMap::new();
    for f in &fields {
        match &f.value {
            None | Some(Object::Null) => found.empty_fields.push(f.clone()),
            Some(Object::Ref(r)) => {
                if let Some(&i) = by_dict.get(r) {
                    found.signatures[i].shared_with.push(f.name.clone());
                    continue;
                }
                // A reference to nothing (free or missing) is an empty field too.
                if matches!(resolver.get(*r, last), Ok(None)) {
                    found.empty_fields.push(f.clone());
                    continue;
                }
                by_dict.insert(*r, found.signatures.len());
                found.signatures.push(FoundSignature {
                    order: found.signatures.len(),
                    field: Some(f.name.clone()),
                    dict: Some(*r),
                    shared_with: Vec::new(),
                });
            }
            Some(_) => found.signatures.push(FoundSignature {
                order: found.signatures.len(),
                field: Some(f.name.clone()),
                dict: None,
                shared_with: Vec::new(),
            }),
        }
    }
    for r in unreachable_signature_dicts(resolver, last) {
        if by_dict.contains_key(&r) {
            continue;
        }
        by_dict.insert(r, found.signatures.len());
        found.signatures.push(FoundSignature {
            order: found.signatures.len(),
            field: None,
            dict: Some(r),
            shared_with: Vec::new(),
        });
    }
    found.fields = fields;
    found
}

/// Live objects (at `last`) that are dictionaries with a `/ByteRange`: candidates are found by
/// searching the file for `/ByteRange` and mapping each hit to the object written there, and by
/// reading the objects of object streams.
fn unreachable_signature_dicts(resolver: &Resolver<'_>, last: usize) -> Vec<ObjRef> {
    let file = resolver.file();
    let mut offsets: Vec<(usize, u32)> = Vec::new();
    let mut compressed: BTreeSet<u32> = BTreeSet::new();
    for rev in &resolver.revisions().revisions {
        for (num, e) in &rev.entries {
            match e {
                Entry::InFile { offset, .. } => offsets.push((*offset, *num)),
                Entry::Compressed { .. } => {
                    compressed.insert(*num);
                }
                Entry::Free { .. } => {}
            }
        }
    }
    offsets.sort_unstable();
    let mut candidates: BTreeSet<u32> = BTreeSet::new();
    for hit in memchr::memmem::find_iter(file, b"/ByteRange") {
        let i = offsets.partition_point(|(o, _)| *o <= hit);
        if i == 0 {
            continue;
        }
        let (offset, num) = offsets[i - 1];
        if let Some((_, Entry::InFile { offset: live, .. })) = resolver.lookup(num, last) {
            if live == offset {
                candidates.insert(num);
            }
        }
    }
    for num in compressed {
        if let Some((_, Entry::Compressed { .. })) = resolver.lookup(num, last) {
            candidates.insert(num);
        }
    }
    let mut out = Vec::new();
    for num in candidates {
        let Some((_, entry)) = resolver.lookup(num, last) else {
            continue;
        };
        let gen = match entry {
            Entry::InFile { gen, .. } => gen,
            _ => 0,
        };
        let r = ObjRef { num, gen };
        if let Ok(Some(loc)) = resolver.get(r, last) {
            if let Object::Dict(d) = &*loc.object {
                if d.get(b"ByteRange").is_some() {
                    out.push(r);
                }
            }
        }
    }
    out
}
