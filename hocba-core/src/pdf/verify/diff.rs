//! Changes after a signature (`signing.md` step 7): the state of the last revision is compared
//! with the signed revision object by object, against the whitelist:
//!
//! - filling the value (`/V`) and appearance (`/AP`) of signature fields that were empty in the
//!   signed revision, and the objects of the new signature (its dictionary, its appearance);
//! - `/DSS` and document timestamps (a new signature field whose value is a `/DocTimeStamp`,
//!   with its widget in the form's `/Fields` and the page's `/Annots`);
//! - the catalog, AcroForm (`/SigFlags`) and page `/Annots` references those need.
//!
//! Anything else — page content, resources, fonts, pages, the embedded XML, new annotations or
//! fields, objects freed, object streams that redefine old objects with other content — is a
//! modification after signing, reported with the object numbers and what changed. New objects
//! are allowed only when nothing but the whitelisted places reaches them: a walk from the last
//! trailer that does not enter the whitelisted roots must not meet a new object (this catches an
//! old object whose dangling reference an update fills in).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use super::fields::{self, Found, SigField};
use super::report::ChangedObject;
use crate::pdf::revisions::{Entry, Resolver};
use crate::pdf::syntax::{Dict, ObjRef, Object};

/// Objects a reachability walk visits at most.
const MAX_WALK: usize = 200_000;
/// Page tree nodes visited at most when naming what changed.
const MAX_PAGE_NODES: usize = 100_000;
/// Changed objects listed at most in a report entry (the message says how many more).
pub(crate) const MAX_LISTED: usize = 1000;

/// The changes after one signed revision.
#[derive(Debug, Clone, Default)]
pub(crate) struct Changes {
    /// Disallowed changes.
    pub changed: Vec<ChangedObject>,
    /// How many disallowed changes there are (`changed` lists at most [`MAX_LISTED`]).
    pub total: usize,
    /// Whether the document information or the XMP metadata were updated (allowed, noted).
    pub metadata_updated: bool,
}

/// The comparison of every signed revision with the last one (memoised per revision).
pub(crate) struct Analysis<'r, 'a> {
    resolver: &'r Resolver<'a>,
    last: usize,
    memo: RefCell<BTreeMap<usize, Changes>>,
    contents: RefCell<BTreeMap<usize, std::rc::Rc<BTreeSet<u32>>>>,
    /// The signature fields of each revision compared (memoised: the last revision's are
    /// needed by every comparison).
    sig_fields: RefCell<BTreeMap<usize, std::rc::Rc<Vec<SigField>>>>,
}

impl std::fmt::Debug for Analysis<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("last", &self.last)
            .finish()
    }
}

fn kind_vi(kind: &str) -> &'static str {
    match kind {
        "catalog" => "danh mục tài liệu",
        "form" => "biểu mẫu",
        "form field" => "trường biểu mẫu",
        "page" => "trang",
        "page tree" => "cây trang",
        "page content" => "nội dung trang",
        "font" => "phông chữ",
        "annotation" => "chú thích",
        "embedded file" => "tệp nhúng",
        "file specification" => "đặc tả tệp",
        "metadata" => "siêu dữ liệu",
        "image or form XObject" => "hình ảnh hoặc XObject",
        "signature dictionary" => "từ điển chữ ký",
        "object deleted" => "đối tượng bị xóa",
        "new page" => "trang mới",
        "new annotation" => "chú thích mới",
        "new form field" => "trường biểu mẫu mới",
        "new object" => "đối tượng mới",
        "document information" => "thông tin tài liệu",
        "trailer" => "phần trailer",
        "analysis budget exceeded" => "vượt giới hạn phân tích",
        "unreadable object" => "đối tượng không đọc được",
        _ => "đối tượng",
    }
}

impl<'r, 'a> Analysis<'r, 'a> {
    /// The analysis of the file `resolver` reads; `found` holds the signature fields of its
    /// last revision ([`fields::find_signatures`]).
    pub(crate) fn new(resolver: &'r Resolver<'a>, found: &Found) -> Self {
        let last = resolver.revision_count();
        let mut sig_fields = BTreeMap::new();
        sig_fields.insert(last, std::rc::Rc::new(found.fields.clone()));
        Analysis {
            resolver,
            last,
            memo: RefCell::new(BTreeMap::new()),
            contents: RefCell::new(BTreeMap::new()),
            sig_fields: RefCell::new(sig_fields),
        }
    }

    /// [`fields::sig_fields`] of `revision`, computed once.
    fn sig_fields(&self, revision: usize) -> std::rc::Rc<Vec<SigField>> {
        if let Some(f) = self.sig_fields.borrow().get(&revision) {
            return std::rc::Rc::clone(f);
        }
        let f = std::rc::Rc::new(fields::sig_fields(self.resolver, revision));
        self.sig_fields
            .borrow_mut()
            .insert(revision, std::rc::Rc::clone(&f));
        f
    }

    /// English and Vietnamese lists of changes, for messages (at most 10 named).
    pub(crate) fn describe(changed: &[ChangedObject], total: usize) -> (String, String) {
        let mut en = Vec::new();
        let mut vi = Vec::new();
        for c in changed.iter().take(10) {
            en.push(format!("object {} ({})", c.object, c.kind));
            vi.push(format!("đối tượng {} ({})", c.object, kind_vi(&c.kind)));
        }
        let shown = changed.len().min(10);
        if total > shown {
            en.push(format!("and {} more", total - shown));
            vi.push(format!("và {} đối tượng khác", total - shown));
        }
        (en.join(", "), vi.join(", "))
    }

    /// The DocMDP permission level when the signature dictionary `sig` is a certification
    /// signature (`/Perms /DocMDP` of the catalog at `revision`, or a `/Reference` with
    /// `/TransformMethod /DocMDP`); `None` for an approval signature.
    pub(crate) fn docmdp_p(&self, sig: ObjRef, revision: usize) -> Option<i64> {
        let r = self.resolver;
        let catalog = r.catalog(revision).ok()?;
        let perms = catalog
            .get(b"Perms")
            .and_then(|p| fields::dict(r, p, revision));
        let certified = perms
            .as_ref()
            .and_then(|p| p.get(b"DocMDP"))
            .is_some_and(|d| matches!(d, Object::Ref(x) if *x == sig));
        let located = r.get(sig, revision).ok()??;
        let Object::Dict(sig_dict) = &*located.object else {
            return None;
        };
        let mut p = None;
        if let Some(refs) = sig_dict
            .get(b"Reference")
            .and_then(|o| fields::array(r, o, revision))
        {
            for item in refs.iter() {
                let Some(d) = fields::dict(r, item, revision) else {
                    continue;
                };
                if d.get(b"TransformMethod").and_then(Object::as_name) == Some(&b"DocMDP"[..]) {
                    let params = d
                        .get(b"TransformParams")
                        .and_then(|t| fields::dict(r, t, revision));
                    p = Some(
                        params
                            .and_then(|t| t.get(b"P").and_then(Object::as_int))
                            .unwrap_or(2),
                    );
                }
            }
        }
        if certified || p.is_some() {
            Some(p.unwrap_or(2))
        } else {
            None
        }
    }

    /// The disallowed changes between `revision` and the last one.
    pub(crate) fn after(&self, revision: usize) -> Changes {
        if let Some(c) = self.memo.borrow().get(&revision) {
            return c.clone();
        }
        let c = self.compute(revision);
        self.memo.borrow_mut().insert(revision, c.clone());
        c
    }

    fn get(&self, num: u32, revision: usize) -> Option<(ObjRef, std::sync::Arc<Object>, usize)> {
        self.try_get(num, revision).ok().flatten()
    }

    /// Object `num` as of `revision`: `Ok(None)` when free or absent, `Err` when its entry
    /// exists but the object cannot be read (a change the verifier cannot judge).
    #[allow(clippy::type_complexity)]
    fn try_get(
        &self,
        num: u32,
        revision: usize,
    ) -> Result<Option<(ObjRef, std::sync::Arc<Object>, usize)>, ()> {
        let Some((defined_in, entry)) = self.resolver.lookup(num, revision) else {
            return Ok(None);
        };
        let gen = match entry {
            Entry::InFile { gen, .. } => gen,
            Entry::Compressed { .. } => 0,
            Entry::Free { .. } => return Ok(None),
        };
        let r = ObjRef { num, gen };
        match self.resolver.get(r, revision) {
            Ok(Some(loc)) => Ok(Some((r, loc.object, defined_in))),
            Ok(None) => Ok(None),
            Err(_) => Err(()),
        }
    }

    fn compute(&self, rev: usize) -> Changes {
        let r = self.resolver;
        let last = self.last;
        let mut changed = Vec::new();
        // Object numbers touched after `rev`, with the last revision that touched each.
        let mut touched: BTreeMap<u32, usize> = BTreeMap::new();
        for (i, revision) in r.revisions().revisions.iter().enumerate().skip(rev) {
            for num in revision.entries.keys() {
                touched.insert(*num, i + 1);
            }
        }
        let fields_then = self.sig_fields(rev);
        let fields_now = self.sig_fields(last);
        let empty_then: BTreeSet<ObjRef> = fields_then
            .iter()
            .filter(|f| matches!(f.value, None | Some(Object::Null)))
            .filter_map(|f| f.obj)
            .collect();
        let widgets_then: BTreeSet<ObjRef> = fields_then
            .iter()
            .filter(|f| f.obj.is_some_and(|o| empty_then.contains(&o)))
            .flat_map(|f| f.widgets.iter().copied())
            .collect();
        let known_then: BTreeSet<ObjRef> = fields_then.iter().filter_map(|f| f.obj).collect();
        // Appearance streams of the empty fields as signed (they may be replaced).
        let mut appearance_then: BTreeSet<ObjRef> = BTreeSet::new();
        for w in widgets_then.iter().chain(empty_then.iter()) {
            if let Some((_, o, _)) = self.get(w.num, rev) {
                if let Object::Dict(d) = &*o {
                    collect_ap(r, d, rev, &mut appearance_then);
                }
            }
        }
        // Whitelisted roots in the last revision.
        let mut roots: BTreeSet<ObjRef> = BTreeSet::new();
        let mut new_ts_fields: BTreeSet<ObjRef> = BTreeSet::new();
        let mut new_ts_widgets: BTreeSet<ObjRef> = BTreeSet::new();
        for f in fields_now.iter() {
            let Some(obj) = f.obj else { continue };
            let filled = empty_then.contains(&obj);
            let new_ts = !known_then.contains(&obj) && is_doc_timestamp(r, f, last);
            if !(filled || new_ts) {
                continue;
            }
            if let Some(Object::Ref(v)) = &f.value {
                roots.insert(*v);
            }
            for w in f.widgets.iter().chain(std::iter::once(&obj)) {
                if let Some((_, o, _)) = self.get(w.num, last) {
                    if let Object::Dict(d) = &*o {
                        collect_ap(r, d, last, &mut roots);
                    }
                }
            }
            if new_ts {
                new_ts_fields.insert(obj);
                new_ts_widgets.extend(f.widgets.iter().copied());
                roots.insert(obj);
                roots.extend(f.widgets.iter().copied());
            }
        }
        let catalog_now = r.catalog(last).ok();
        if let Some(Object::Ref(dss)) = catalog_now.as_ref().and_then(|c| c.get(b"DSS")) {
            roots.insert(*dss);
        }
        // Metadata (the trailer's /Info and the catalog's XMP /Metadata) may be updated by
        // signing tools (pyHanko, Adobe): they are not displayed content. The hb: properties
        // are checked at the first signed revision by the document checks.
        let info_ref = |rev: usize| {
            r.trailer(rev)
                .and_then(|t| t.get(b"Info"))
                .and_then(Object::as_ref)
        };
        let metadata_ref = |rev: usize| {
            r.catalog(rev)
                .ok()
                .and_then(|c| c.get(b"Metadata").and_then(Object::as_ref))
        };
        let (info_then, metadata_then) = (info_ref(rev), metadata_ref(rev));
        roots.extend(info_ref(last));
        roots.extend(metadata_ref(last));
        let mut metadata_updated =
            info_ref(last) != info_then || metadata_ref(last) != metadata_then;
        let root_then = root_ref(r, rev);
        let form_then = r.catalog(rev).ok().and_then(|c| match c.get(b"AcroForm") {
            Some(Object::Ref(x)) => Some(*x),
            _ => None,
        });
        if root_ref(r, last) != root_then {
            changed.push(ChangedObject {
                object: 0,
                generation: 0,
                revision: last,
                kind: "trailer".into(),
            });
        }

        let mut new_objects: BTreeMap<u32, (ObjRef, usize)> = BTreeMap::new();
        for (&num, &by) in &touched {
            let old = self.get(num, rev);
            let new = match self.try_get(num, last) {
                Ok(n) => n,
                Err(()) => {
                    // Fail closed: an object a later revision writes but that cannot be read
                    // might be read differently by a viewer.
                    changed.push(ChangedObject {
                        object: num,
                        generation: old.as_ref().map_or(0, |(o, _, _)| o.gen),
                        revision: by,
                        kind: "unreadable object".into(),
                    });
                    continue;
                }
            };
            match (old, new) {
                (None, None) => {}
                (Some((oref, _, _)), None) => changed.push(ChangedObject {
                    object: num,
                    generation: oref.gen,
                    revision: by,
                    kind: "object deleted".into(),
                }),
                (None, Some((nref, obj, _))) => {
                    if !is_container(&obj) {
                        new_objects.insert(num, (nref, by));
                    }
                }
                (Some((oref, old, _)), Some((nref, new, _))) => {
                    if oref == nref && same(&old, &new, r) {
                        continue;
                    }
                    let allowed = if oref != nref {
                        false
                    } else if Some(oref) == root_then {
                        dict_diff_allowed(
                            r.file(),
                            &old,
                            &new,
                            &[b"DSS", b"Extensions", b"Metadata"],
                            |k, o, n| {
                                k == b"AcroForm"
                                    && o.is_some_and(|o| form_allowed(o, n, &new_ts_fields))
                            },
                        )
                    } else if Some(oref) == form_then {
                        form_allowed(&old, &new, &new_ts_fields)
                    } else if empty_then.contains(&oref) {
                        dict_diff_allowed(r.file(), &old, &new, &[b"V", b"AP"], |_, _, _| false)
                    } else if widgets_then.contains(&oref) {
                        dict_diff_allowed(r.file(), &old, &new, &[b"AP"], |_, _, _| false)
                    } else if appearance_then.contains(&oref) {
                        true
                    } else if Some(oref) == info_then || Some(oref) == metadata_then {
                        metadata_updated = true;
                        true
                    } else if type_is(&old, b"Page") {
                        dict_diff_allowed(r.file(), &old, &new, &[], |k, o, n| {
                            k == b"Annots" && grows_by(o, n, &new_ts_widgets)
                        })
                    } else {
                        false
                    };
                    if !allowed {
                        changed.push(ChangedObject {
                            object: num,
                            generation: oref.gen,
                            revision: by,
                            kind: self.kind(&old, num, rev).into(),
                        });
                    }
                }
            }
        }

        // New objects must be reachable only through the whitelisted roots. The walk holds
        // references, not objects: each indirect object is read (shared with the resolver's
        // cache) and its direct parts searched for references where it lies.
        if !new_objects.is_empty() {
            let mut visited: BTreeSet<u32> = BTreeSet::new();
            let mut todo: Vec<ObjRef> = Vec::new();
            let mut steps = 0usize;
            let empty = Dict::default();
            let trailer = r.trailer(last).unwrap_or(&empty);
            for (k, v) in &trailer.entries {
                if k.as_slice() != b"Prev" && k.as_slice() != b"XRefStm" {
                    refs_in(v, &mut todo, &mut steps);
                }
            }
            while let Some(x) = todo.pop() {
                steps += 1;
                if steps > MAX_WALK {
                    break;
                }
                if roots.contains(&x) || !visited.insert(x.num) {
                    continue;
                }
                if let Some((nref, by)) = new_objects.get(&x.num) {
                    if *nref == x {
                        let kind = self
                            .get(x.num, last)
                            .map(|(_, o, _)| new_kind(&o))
                            .unwrap_or("new object");
                        changed.push(ChangedObject {
                            object: x.num,
                            generation: x.gen,
                            revision: *by,
                            kind: kind.into(),
                        });
                    }
                }
                if let Ok(Some(loc)) = r.get(x, last) {
                    refs_in(&loc.object, &mut todo, &mut steps);
                }
            }
            // Fail closed: a walk cut short may have missed a new object.
            if steps > MAX_WALK {
                changed.push(ChangedObject {
                    object: 0,
                    generation: 0,
                    revision: last,
                    kind: "analysis budget exceeded".into(),
                });
            }
        }
        changed.sort_by_key(|c| (c.revision, c.object));
        changed.dedup_by_key(|c| (c.revision, c.object, c.kind.clone()));
        let total = changed.len();
        changed.truncate(MAX_LISTED);
        Changes {
            changed,
            total,
            metadata_updated,
        }
    }

    /// What an object of the signed revision is, for the report.
    fn kind(&self, o: &Object, num: u32, rev: usize) -> &'static str {
        let d = match o {
            Object::Dict(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return "object",
        };
        let ty = d.get(b"Type").and_then(Object::as_name);
        let sub = d.get(b"Subtype").and_then(Object::as_name);
        match ty {
            Some(b"Catalog") => return "catalog",
            Some(b"Pages") => return "page tree",
            Some(b"Page") => return "page",
            Some(b"Font" | b"FontDescriptor") => return "font",
            Some(b"Annot") => {
                return if d.get(b"FT").is_some() {
                    "form field"
                } else {
                    "annotation"
                }
            }
            Some(b"EmbeddedFile") => return "embedded file",
            Some(b"Filespec") => return "file specification",
            Some(b"Metadata") => return "metadata",
            Some(b"XObject") => return "image or form XObject",
            Some(b"Sig" | b"DocTimeStamp") => return "signature dictionary",
            _ => {}
        }
        if d.get(b"FT").is_some() || d.get(b"Fields").is_some() {
            return if d.get(b"Fields").is_some() {
                "form"
            } else {
                "form field"
            };
        }
        if matches!(sub, Some(b"Image" | b"Form")) {
            return "image or form XObject";
        }
        if d.get(b"Length1").is_some()
            || d.get(b"Length2").is_some()
            || matches!(sub, Some(b"OpenType" | b"Type1C" | b"CIDFontType0C"))
        {
            return "font";
        }
        if matches!(self.resolver.trailer(rev).and_then(|t| t.get(b"Info")), Some(Object::Ref(x)) if x.num == num)
        {
            return "document information";
        }
        if matches!(o, Object::Stream(_)) && self.page_contents(rev).contains(&num) {
            return "page content";
        }
        "object"
    }

    /// The object numbers of the page content streams of revision `rev` (memoised).
    fn page_contents(&self, rev: usize) -> std::rc::Rc<BTreeSet<u32>> {
        if let Some(c) = self.contents.borrow().get(&rev) {
            return std::rc::Rc::clone(c);
        }
        let r = self.resolver;
        let mut out = BTreeSet::new();
        if let Ok(catalog) = r.catalog(rev) {
            let mut stack: Vec<Object> = catalog.get(b"Pages").cloned().into_iter().collect();
            let mut seen = BTreeSet::new();
            let mut steps = 0;
            while let Some(o) = stack.pop() {
                steps += 1;
                if steps > MAX_PAGE_NODES {
                    break;
                }
                if let Object::Ref(x) = &o {
                    if !seen.insert(*x) {
                        continue;
                    }
                }
                let Some(d) = fields::dict(r, &o, rev) else {
                    continue;
                };
                if let Some(kids) = d.get(b"Kids").and_then(|k| fields::array(r, k, rev)) {
                    stack.extend(kids.iter().cloned());
                }
                match d.get(b"Contents") {
                    Some(Object::Ref(x)) => {
                        out.insert(x.num);
                        if let Some(items) = fields::array(r, &Object::Ref(*x), rev) {
                            out.extend(items.iter().filter_map(Object::as_ref).map(|y| y.num));
                        }
                    }
                    Some(Object::Array(items)) => {
                        out.extend(items.iter().filter_map(Object::as_ref).map(|y| y.num));
                    }
                    _ => {}
                }
            }
        }
        let out = std::rc::Rc::new(out);
        self.contents
            .borrow_mut()
            .insert(rev, std::rc::Rc::clone(&out));
        out
    }
}

fn new_kind(o: &Object) -> &'static str {
    let d = match o {
        Object::Dict(d) => d,
        Object::Stream(s) => &s.dict,
        _ => return "new object",
    };
    match d.get(b"Type").and_then(Object::as_name) {
        Some(b"Page") => "new page",
        Some(b"Annot") => {
            if d.get(b"FT").is_some() {
                "new form field"
            } else {
                "new annotation"
            }
        }
        _ if d.get(b"FT").is_some() => "new form field",
        _ => "new object",
    }
}

fn is_container(o: &Object) -> bool {
    match o {
        Object::Stream(s) => matches!(
            s.dict.get(b"Type").and_then(Object::as_name),
            Some(b"XRef" | b"ObjStm")
        ),
        _ => false,
    }
}

fn type_is(o: &Object, ty: &[u8]) -> bool {
    match o {
        Object::Dict(d) => d.get(b"Type").and_then(Object::as_name) == Some(ty),
        _ => false,
    }
}

fn is_doc_timestamp(r: &Resolver<'_>, f: &SigField, rev: usize) -> bool {
    let Some(v) = &f.value else { return false };
    fields::dict(r, v, rev).is_some_and(|d| {
        d.get(b"Type").and_then(Object::as_name) == Some(&b"DocTimeStamp"[..])
            || d.get(b"SubFilter").and_then(Object::as_name) == Some(&b"ETSI.RFC3161"[..])
    })
}

/// Adds the appearance streams referenced by a widget's `/AP` (`/N`, `/R`, `/D`, each a stream
/// or a dictionary of states).
fn collect_ap(r: &Resolver<'_>, widget: &Dict, rev: usize, out: &mut BTreeSet<ObjRef>) {
    let Some(ap) = widget.get(b"AP") else { return };
    if let Object::Ref(x) = ap {
        out.insert(*x);
    }
    let Some(ap) = fields::dict(r, ap, rev) else {
        return;
    };
    for (_, v) in &ap.entries {
        match v {
            Object::Ref(x) => {
                out.insert(*x);
                if let Some(states) = fields::dict(r, v, rev) {
                    if !matches!(r.resolve(v, rev).as_deref(), Ok(Object::Stream(_))) {
                        for (_, s) in &states.entries {
                            if let Object::Ref(y) = s {
                                out.insert(*y);
                            }
                        }
                    }
                }
            }
            Object::Dict(states) => {
                for (_, s) in &states.entries {
                    if let Object::Ref(y) = s {
                        out.insert(*y);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether two objects are the same (spans and formatting aside; streams by their raw data).
fn same(a: &Object, b: &Object, r: &Resolver<'_>) -> bool {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => {
            dict_eq(&x.dict, &y.dict, r)
                && r.file().get(x.data.clone()) == r.file().get(y.data.clone())
        }
        (Object::Dict(x), Object::Dict(y)) => dict_eq(x, y, r),
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q, r))
        }
        (Object::String(x), Object::String(y)) => x.bytes == y.bytes,
        (Object::Real(x), Object::Real(y)) => x.to_bits() == y.to_bits(),
        _ => a.equivalent(b, r.file()),
    }
}

fn dict_eq(x: &Dict, y: &Dict, r: &Resolver<'_>) -> bool {
    // Lengths differ when a stream's /Length is written differently; compare the rest.
    x.entries.len() == y.entries.len()
        && x.entries
            .iter()
            .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, r)) && x.count(k) == y.count(k))
}

/// Whether `new` differs from `old` only in `free` keys, or in keys `special` accepts.
fn dict_diff_allowed(
    file: &[u8],
    old: &Object,
    new: &Object,
    free: &[&[u8]],
    special: impl Fn(&[u8], Option<&Object>, &Object) -> bool,
) -> bool {
    let (Object::Dict(o), Object::Dict(n)) = (old, new) else {
        return false;
    };
    let keys: BTreeSet<&[u8]> = o
        .entries
        .iter()
        .chain(n.entries.iter())
        .map(|(k, _)| k.as_slice())
        .collect();
    keys.into_iter().all(|k| {
        let (a, b) = (o.get(k), n.get(k));
        let equal = match (a, b) {
            (Some(a), Some(b)) => a.equivalent(b, file) && o.count(k) == n.count(k),
            (None, None) => true,
            _ => false,
        };
        equal
            || free.contains(&k)
            || match b {
                Some(b) => special(k, a, b),
                None => false,
            }
    })
}

/// The AcroForm may change `/SigFlags`, and `/Fields` only by new document-timestamp fields.
fn form_allowed(old: &Object, new: &Object, new_fields: &BTreeSet<ObjRef>) -> bool {
    dict_diff_allowed(&[], old, new, &[b"SigFlags"], |k, o, n| {
        k == b"Fields" && grows_by(o, n, new_fields)
    })
}

/// `new` is the array `old` (none: empty) plus references from `extra`.
fn grows_by(old: Option<&Object>, new: &Object, extra: &BTreeSet<ObjRef>) -> bool {
    let empty = Vec::new();
    let o = match old {
        None => &empty,
        Some(Object::Array(o)) => o,
        Some(_) => return false,
    };
    let Object::Array(n) = new else {
        return false;
    };
    n.len() >= o.len()
        && o.iter().zip(n.iter()).all(|(a, b)| a.equivalent(b, &[]))
        && n[o.len()..]
            .iter()
            .all(|x| matches!(x, Object::Ref(r) if extra.contains(r)))
}

/// The catalog reference of a revision's trailer (or the latest earlier one that has it).
fn root_ref(r: &Resolver<'_>, rev: usize) -> Option<ObjRef> {
    r.revisions().revisions[..rev.min(r.revision_count())]
        .iter()
        .rev()
        .find_map(|x| x.trailer.get(b"Root"))
        .and_then(Object::as_ref)
}

/// Pushes the references among `o`'s direct parts (its array items and dictionary values, a
/// stream's dictionary, at any depth) onto `out`, counting every part visited in `steps`; stops
/// past [`MAX_WALK`] steps (the caller reports the walk as over budget). Only nested arrays and
/// dictionaries go on a stack, so the usual flat dictionary costs no allocation.
fn refs_in(o: &Object, out: &mut Vec<ObjRef>, steps: &mut usize) {
    let mut nested: Vec<&Object> = Vec::new();
    let mut next = Some(o);
    while let Some(o) = next.take().or_else(|| nested.pop()) {
        *steps += 1;
        if *steps > MAX_WALK {
            return;
        }
        let parts: &mut dyn Iterator<Item = &Object> = match o {
            Object::Ref(x) => {
                out.push(*x);
                continue;
            }
            Object::Array(a) => &mut a.iter(),
            Object::Dict(d) => &mut d.entries.iter().map(|(_, v)| v),
            Object::Stream(s) => &mut s.dict.entries.iter().map(|(_, v)| v),
            _ => continue,
        };
        for part in parts {
            match part {
                Object::Ref(x) => {
                    *steps += 1;
                    out.push(*x);
                }
                Object::Array(_) | Object::Dict(_) | Object::Stream(_) => nested.push(part),
                _ => *steps += 1,
            }
        }
    }
}
