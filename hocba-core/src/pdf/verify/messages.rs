//! The catalogue of verification message codes (`signing.md`, "Verification report"): each code
//! declared once with its severity, the clause it implements and its message templates, like the
//! finding codes of [`crate::rules::codes`]. `hocba codes` lists both catalogues.
//!
//! Templates name values in braces (`{field}`); a code is never renamed and never reused.

use std::fmt::Write as _;

/// How serious a verification message is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum MessageSeverity {
    /// Lỗi — the signature or document cannot pass.
    Error,
    /// Cảnh báo — worth a look; does not change the verdict by itself.
    Warning,
    /// Ghi chú — information.
    Note,
}

impl MessageSeverity {
    /// `"error"`, `"warning"` or `"note"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageSeverity::Error => "error",
            MessageSeverity::Warning => "warning",
            MessageSeverity::Note => "note",
        }
    }
}

/// One verification message code of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageCode {
    /// The stable snake_case code.
    pub code: &'static str,
    /// Severity.
    pub severity: MessageSeverity,
    /// The clause of the standard or of `signing.md` the check implements.
    pub clause: &'static str,
    /// The topic: `structure`, `cms`, `certificate`, `revocation`, `changes`, `document`.
    pub topic: &'static str,
    /// English template.
    pub en: &'static str,
    /// Vietnamese template.
    pub vi: &'static str,
}

use MessageSeverity::{Error as E, Note as N, Warning as W};

macro_rules! codes {
    ($( $id:ident = ($code:literal, $sev:expr, $clause:literal, $topic:literal, $en:literal, $vi:literal); )+) => {
        $(
            #[doc = concat!("`", $code, "`: ", $en)]
            pub const $id: MessageCode = MessageCode { code: $code, severity: $sev, clause: $clause, topic: $topic, en: $en, vi: $vi };
        )+
        /// Every verification message code.
        pub const ALL: &[MessageCode] = &[$($id),+];
    };
}

codes! {
    // --- file structure (signing.md Verification 1) ---
    UNSUPPORTED_STRUCTURE = ("unsupported_structure", E, "signing.md Verification 1; ISO 32000-1 7.5", "structure",
        "the file's revisions cannot be determined unambiguously ({detail}); it cannot be verified as it is — ask the sender for the original signed file",
        "không xác định được rõ ràng các phiên bản của tệp ({detailVi}); không thể kiểm tra tệp này — hãy yêu cầu bên gửi cung cấp tệp đã ký gốc");
    ENCRYPTED = ("encrypted", E, "signing.md Verification 1; ISO 32000-1 7.6", "structure",
        "the file is encrypted; hocba verifies unencrypted signed records only — ask for an unencrypted copy",
        "tệp bị mã hóa; hocba chỉ kiểm tra học bạ đã ký không mã hóa — hãy yêu cầu bản không mã hóa");
    TRAILING_BLANK = ("trailing_blank", N, "signing.md Verification 1", "structure",
        "{length} blank or NUL bytes follow the last revision (ignored)",
        "có {length} byte trắng hoặc NUL sau phiên bản cuối của tệp (bỏ qua)");
    TRAILING_DATA = ("trailing_data", E, "signing.md Verification 1", "changes",
        "{length} bytes that are not part of any revision follow the last %%EOF (from offset {offset}): the file was changed after signing",
        "có {length} byte không thuộc phiên bản nào sau %%EOF cuối cùng (từ vị trí {offset}): tệp đã bị thay đổi sau khi ký");
    NO_SIGNATURE = ("no_signature", E, "signing.md Indications", "structure",
        "the file holds no signature; there is nothing to verify",
        "tệp không có chữ ký số nào; không có gì để kiểm tra");
    // --- signature fields and byte range (signing.md Verification 2–3) ---
    SIGNATURE_UNREACHABLE = ("signature_unreachable", E, "signing.md Verification 2; ISO 32000-1 12.7.4.5", "structure",
        "signature dictionary {object} is not reachable from the form (/AcroForm /Fields); a signature outside the form is never valid",
        "từ điển chữ ký {object} không thuộc biểu mẫu (/AcroForm /Fields); chữ ký nằm ngoài biểu mẫu không bao giờ hợp lệ");
    SIGNATURE_SHARED = ("signature_shared", E, "signing.md Verification 2", "structure",
        "signature dictionary {object} is the value of two fields ({fields}); each field needs its own signature",
        "từ điển chữ ký {object} được dùng cho hai trường ({fields}); mỗi trường phải có chữ ký riêng");
    SIGNATURE_DICT_MALFORMED = ("signature_dict_malformed", E, "ISO 32000-1 12.8.1", "structure",
        "the signature dictionary of field {field} is malformed: {detail}",
        "từ điển chữ ký của trường {field} bị sai cấu trúc: {detailVi}");
    BYTE_RANGE_INVALID = ("byte_range_invalid", E, "signing.md Verification 3; ISO 32000-1 12.8.1", "structure",
        "the /ByteRange of field {field} is invalid: {detail}; the signature cannot protect the document",
        "/ByteRange của trường {field} không hợp lệ: {detailVi}; chữ ký không thể bảo vệ tài liệu");
    CONTENTS_MISMATCH = ("contents_mismatch", E, "signing.md Verification 3", "structure",
        "the unsigned gap of field {field} is not exactly the /Contents hex string of its signature dictionary ({detail})",
        "khoảng không được ký của trường {field} không đúng bằng chuỗi hex /Contents của từ điển chữ ký ({detailVi})");
    COVERAGE_PARTIAL = ("coverage_partial", E, "signing.md Verification 3", "structure",
        "the signature of field {field} covers bytes up to offset {end}, which is not the end of a revision of the file; it does not protect a whole revision",
        "chữ ký của trường {field} chỉ bao phủ đến vị trí {end}, không phải điểm kết thúc một phiên bản của tệp; chữ ký không bảo vệ trọn một phiên bản");
    SIGNATURE_DICT_OUTSIDE = ("signature_dict_outside", E, "signing.md Verification 3", "structure",
        "the signature dictionary of field {field} lies outside the bytes its signature covers",
        "từ điển chữ ký của trường {field} nằm ngoài phần dữ liệu được ký");
    // --- CMS (signing.md Verification 4; RFC 5652) ---
    CMS_MALFORMED = ("cms_malformed", E, "signing.md Verification 4; RFC 5652 5", "cms",
        "the signature of field {field} is not a readable CMS SignedData: {detail}",
        "chữ ký của trường {field} không phải CMS SignedData đọc được: {detailVi}");
    CMS_SIGNER_COUNT = ("cms_signer_count", E, "signing.md Verification 4", "cms",
        "the CMS of field {field} has {count} SignerInfos; exactly one is allowed",
        "CMS của trường {field} có {count} SignerInfo; chỉ được có đúng một");
    CMS_ECONTENT = ("cms_econtent", E, "signing.md Verification 4; ETSI EN 319 142-1 5.1", "cms",
        "the CMS of field {field} encapsulates content (eContent); a PDF signature must be detached",
        "CMS của trường {field} chứa nội dung (eContent); chữ ký PDF phải tách rời (detached)");
    CONTENTS_PADDING = ("contents_padding", W, "ISO 32000-1 12.8.1", "cms",
        "the /Contents of field {field} holds non-zero bytes after the CMS; they are not signed and were ignored",
        "/Contents của trường {field} chứa dữ liệu khác 0 sau CMS; phần này không được ký và đã bị bỏ qua");
    SUBFILTER_UNSUPPORTED = ("subfilter_unsupported", E, "ISO 32000-1 12.8.3", "cms",
        "field {field} uses /SubFilter {value}, which hocba does not verify (supported: ETSI.CAdES.detached, adbe.pkcs7.detached)",
        "trường {field} dùng /SubFilter {value}, hocba không kiểm tra loại này (hỗ trợ: ETSI.CAdES.detached, adbe.pkcs7.detached)");
    SIGNER_CERT_MISSING = ("signer_cert_missing", E, "RFC 5652 5.3", "cms",
        "the certificate of the signer of field {field} is neither in the CMS nor among the supplied certificates; supply it with --intermediates",
        "không tìm thấy chứng thư số của người ký trường {field} trong CMS hay trong các chứng thư được cung cấp; hãy cung cấp bằng --intermediates");
    DIGEST_MISMATCH = ("digest_mismatch", E, "signing.md Verification 4; RFC 5652 11.2", "cms",
        "the document bytes signed in field {field} have changed: their hash differs from the signed message digest",
        "dữ liệu được ký ở trường {field} đã bị thay đổi: mã băm khác với giá trị đã ký");
    SIGNATURE_INVALID = ("signature_invalid", E, "signing.md Verification 4; RFC 5652 5.6", "cms",
        "the signature value of field {field} does not verify with the signer's public key ({detail})",
        "giá trị chữ ký của trường {field} không khớp với khóa công khai của người ký ({detailVi})");
    ATTRIBUTES_MISSING = ("attributes_missing", E, "RFC 5652 5.3; ETSI EN 319 122-1 5.2", "cms",
        "the CMS of field {field} lacks the signed attribute {attribute}",
        "CMS của trường {field} thiếu thuộc tính ký {attribute}");
    SIGNING_CERTIFICATE_MISMATCH = ("signing_certificate_mismatch", E, "signing.md Verification 4; RFC 5035", "cms",
        "the signing-certificate attribute of field {field} does not match the signer's certificate",
        "thuộc tính signing-certificate của trường {field} không khớp với chứng thư số của người ký");
    WEAK_ALGORITHM = ("weak_algorithm", E, "signing.md Verification 4", "cms",
        "{what} of field {field} uses {algorithm}, a weak algorithm; the signature cannot be accepted as valid",
        "{whatVi} của trường {field} dùng {algorithm}, một thuật toán yếu; chữ ký không thể được chấp nhận là hợp lệ");
    NO_SIGNING_TIME = ("no_signing_time", N, "signing.md What real Vietnamese signed files look like", "cms",
        "the CMS of field {field} has no signing-time attribute; the claimed time is the dictionary's /M",
        "CMS của trường {field} không có thuộc tính thời điểm ký; thời điểm khai báo lấy từ /M của từ điển chữ ký");
    // --- certificates (signing.md Verification 5; RFC 5280) ---
    NO_CHAIN = ("no_chain", E, "signing.md Verification 5; RFC 5280 6.1", "certificate",
        "no path from the signer of field {field} ({subject}) to a trust anchor: {detail}; supply the right root with --trust and intermediates with --intermediates",
        "không xây dựng được đường dẫn chứng thực từ người ký trường {field} ({subject}) tới chứng thư gốc tin cậy: {detailVi}; hãy cung cấp chứng thư gốc bằng --trust và chứng thư trung gian bằng --intermediates");
    CERT_EXPIRED = ("cert_expired", E, "signing.md Verification 5; RFC 5280 4.1.2.5", "certificate",
        "the certificate {subject} expired on {notAfter}, before the time used ({at}), and no timestamp proves the signature existed earlier",
        "chứng thư số {subject} đã hết hạn ngày {notAfter}, trước thời điểm dùng để kiểm tra ({at}), và không có dấu thời gian chứng minh chữ ký có từ trước");
    CERT_NOT_YET_VALID = ("cert_not_yet_valid", E, "signing.md Verification 5; RFC 5280 4.1.2.5", "certificate",
        "the certificate {subject} is valid only from {notBefore}, after the time used ({at})",
        "chứng thư số {subject} chỉ có hiệu lực từ {notBefore}, sau thời điểm dùng để kiểm tra ({at})");
    CHAIN_CONSTRAINTS = ("chain_constraints", E, "signing.md Verification 5; RFC 5280 4.2.1.3, 4.2.1.9", "certificate",
        "the certificate {subject} may not be used this way: {detail}",
        "chứng thư số {subject} không được phép dùng như vậy: {detailVi}");
    WEAK_KEY = ("weak_key", E, "signing.md Indications", "certificate",
        "the certificate {subject} has a {bits}-bit RSA key, under the minimum of 2048 bits",
        "chứng thư số {subject} có khóa RSA {bits} bit, dưới mức tối thiểu 2048 bit");
    PATH_BUDGET = ("path_budget", E, "design.md: bounded work", "certificate",
        "building the certificate path of field {field} exceeded the work budget ({what}); the file may be hostile",
        "việc xây dựng đường dẫn chứng thực của trường {field} vượt giới hạn xử lý ({what}); tệp có thể độc hại");
    CLAIMED_TIME_ONLY = ("claimed_time_only", W, "signing.md Verification 5", "certificate",
        "judged at the claimed signing time {at} (--at claimed): the signing time is stated by the signer and proven by nothing; the verdict is on the caller's responsibility",
        "kiểm tra tại thời điểm ký do người ký khai báo {at} (--at claimed): thời điểm này không được chứng minh; kết luận thuộc trách nhiệm của người dùng");
    VALID_AT_CLAIMED_TIME = ("valid_at_claimed_time", N, "signing.md Verification 5", "certificate",
        "at the claimed signing time {at} the signature would be {indication}; without a timestamp that time is not proven",
        "tại thời điểm ký được khai báo {at}, chữ ký sẽ có kết quả {indication}; khi không có dấu thời gian, thời điểm đó chưa được chứng minh");
    // --- revocation (signing.md Verification 6) ---
    CERT_REVOKED = ("cert_revoked", E, "signing.md Verification 6; RFC 5280 6.3", "revocation",
        "the certificate {subject} was revoked on {revokedAt}, before the time used ({at})",
        "chứng thư số {subject} đã bị thu hồi ngày {revokedAt}, trước thời điểm dùng để kiểm tra ({at})");
    REVOCATION_MISSING = ("revocation_missing", E, "signing.md Verification 6; Circular 15/2025/TT-BKHCN", "revocation",
        "no usable revocation data (CRL) for {subject}: {detail}; supply a current CRL of its issuer with --crl",
        "không có dữ liệu thu hồi (CRL) dùng được cho {subject}: {detailVi}; hãy cung cấp CRL hiện hành của đơn vị cấp bằng --crl");
    REVOCATION_UNCHECKED = ("revocation_unchecked", W, "signing.md Verification 6", "revocation",
        "the revocation of {subject} could not be checked ({detail}); passed under the policy revocation=prefer",
        "không kiểm tra được tình trạng thu hồi của {subject} ({detailVi}); vẫn chấp nhận theo chính sách revocation=prefer");
    REVOCATION_OFF = ("revocation_off", N, "signing.md Verification 6", "revocation",
        "revocation was not checked (policy revocation=off)",
        "không kiểm tra tình trạng thu hồi (chính sách revocation=off)");
    OCSP_NOT_CHECKED = ("ocsp_not_checked", N, "signing.md Verification 6", "revocation",
        "{count} OCSP responses found in the file were not checked (not supported in this version)",
        "có {count} phản hồi OCSP trong tệp chưa được kiểm tra (phiên bản này chưa hỗ trợ)");
    // --- changes after signing (signing.md Verification 7) ---
    MODIFIED_AFTER_SIGNING = ("modified_after_signing", E, "signing.md Verification 7; ISO 32000-1 12.8.2.2", "changes",
        "revision {revision} changed the document after the signature of field {field}: {changes}",
        "phiên bản {revision} đã thay đổi tài liệu sau chữ ký của trường {field}: {changesVi}");
    DOCMDP_VIOLATION = ("docmdp_violation", E, "ISO 32000-1 12.8.2.2 (DocMDP)", "changes",
        "revision {revision} makes a change that the certification signature of field {field} forbids (DocMDP P={p}): {changes}",
        "phiên bản {revision} có thay đổi bị chữ ký chứng nhận của trường {field} cấm (DocMDP P={p}): {changesVi}");
    FILE_REWRITTEN = ("file_rewritten", E, "signing.md What real Vietnamese signed files look like", "changes",
        "the signature of field {field} covers bytes that are no longer a revision of this file: the document was rewritten (re-saved) after signing",
        "chữ ký của trường {field} bao phủ dữ liệu không còn là một phiên bản của tệp: tài liệu đã bị lưu lại (ghi đè) sau khi ký");
    METADATA_UPDATED = ("metadata_updated", N, "signing.md Verification 7", "changes",
        "the document information or XMP metadata were updated after the signature of field {field} (allowed: not displayed content)",
        "thông tin tài liệu hoặc siêu dữ liệu XMP đã được cập nhật sau chữ ký của trường {field} (được phép: không phải nội dung hiển thị)");
    TIMESTAMP_USED = ("timestamp_used", N, "signing.md Verification 5; RFC 3161", "timestamp",
        "the signature of field {field} carries a valid timestamp of {tsa} at {at}: the certificates were judged at that time",
        "chữ ký của trường {field} có dấu thời gian hợp lệ của {tsa} lúc {at}: các chứng thư số được kiểm tra tại thời điểm đó");
    TIMESTAMP_WEAK_IMPRINT = ("timestamp_weak_imprint", N, "signing.md Verification 5", "timestamp",
        "the timestamp of field {field} hashes with {algorithm} (accepted for timestamps, as signing.md allows)",
        "dấu thời gian của trường {field} dùng hàm băm {algorithm} (được chấp nhận với dấu thời gian theo signing.md)");
    TIMESTAMP_INVALID = ("timestamp_invalid", W, "signing.md Verification 5; RFC 3161", "timestamp",
        "the timestamp of field {field} cannot be used: {detail}",
        "không dùng được dấu thời gian của trường {field}: {detailVi}");
    TIMESTAMP_BEFORE_CLAIMED = ("timestamp_before_claimed", N, "signing.md What real Vietnamese signed files look like", "timestamp",
        "the timestamp of field {field} ({at}) is earlier than the claimed signing time ({claimed}); clocks differ, this alone does not invalidate the signature",
        "dấu thời gian của trường {field} ({at}) sớm hơn thời điểm ký được khai báo ({claimed}); đồng hồ các máy lệch nhau, điều này không làm chữ ký mất hiệu lực");
    CLAIMED_TIME_LOCAL = ("claimed_time_local", N, "signing.md What real Vietnamese signed files look like", "timestamp",
        "the claimed signing time of field {field} ({claimed}) is seven hours after its timestamp ({at}): local time (UTC+7) written as UTC; this alone does not invalidate the signature",
        "thời điểm ký khai báo của trường {field} ({claimed}) muộn hơn dấu thời gian ({at}) bảy giờ: giờ Việt Nam bị ghi như giờ UTC; điều này không làm chữ ký mất hiệu lực");
    // --- document checks (profile hocba) ---
    PROFILE_GENERIC = ("profile_generic", N, "signing.md Profiles", "document",
        "the file is not a hocba record (no embedded hocba.xml, no hb: metadata, no GVCN and HT fields); only its signatures were verified",
        "tệp không phải học bạ số (không có hocba.xml, siêu dữ liệu hb: hay các trường GVCN và HT); chỉ kiểm tra các chữ ký");
    XML_MISSING = ("xml_missing", E, "signing.md Document checks", "document",
        "the signed document does not embed hocba.xml{detail}; a signed record must carry its data",
        "tài liệu đã ký không chứa tệp hocba.xml{detailVi}; học bạ đã ký phải kèm dữ liệu");
    XML_CHANGED = ("xml_changed", E, "signing.md Document checks", "document",
        "the embedded hocba.xml differs between revision {from} and revision {to}: the record data changed after the first signature",
        "tệp hocba.xml nhúng khác nhau giữa phiên bản {from} và phiên bản {to}: dữ liệu học bạ đã bị thay đổi sau chữ ký đầu tiên");
    XML_UNREADABLE = ("xml_unreadable", E, "signing.md Document checks", "document",
        "the embedded hocba.xml cannot be read: {detail}",
        "không đọc được tệp hocba.xml nhúng: {detailVi}");
    XML_YEAR_COUNT = ("xml_year_count", E, "signing.md The signed unit", "document",
        "the embedded record holds {count} school years; a signed document holds exactly one",
        "học bạ nhúng có {count} năm học; mỗi tài liệu ký chỉ được chứa đúng một năm học");
    XMP_MISMATCH = ("xmp_mismatch", E, "signing.md Container", "document",
        "the XMP metadata says {name} = \"{xmp}\" but the embedded record says \"{record}\"",
        "siêu dữ liệu XMP ghi {name} = \"{xmp}\" nhưng học bạ nhúng ghi \"{record}\"");
    XML_INVALID = ("xml_invalid", E, "signing.md Document checks", "document",
        "the embedded record has {count} findings of severity error (see document.validation)",
        "học bạ nhúng có {count} lỗi (xem document.validation)");
    ROLE_MISSING = ("role_missing", E, "signing.md Document checks", "document",
        "the {role} signature is missing{detail}",
        "thiếu chữ ký {roleVi}{detailVi}");
    ROLE_OUT_OF_ORDER = ("role_out_of_order", E, "signing.md Signing", "document",
        "the {role} signature (revision {revision}) comes before the {before} signature; the order is GVCN, HT, DAU",
        "chữ ký {roleVi} (phiên bản {revision}) đứng trước chữ ký {beforeVi}; thứ tự phải là GVCN, HT, DAU");
    ROLE_DUPLICATE = ("role_duplicate", E, "signing.md Signing", "document",
        "the field {field} is signed more than once",
        "trường {field} được ký nhiều hơn một lần");
    ROLE_FAILED = ("role_failed", E, "signing.md Document checks", "document",
        "the {role} signature did not pass ({indication}); the record is not fully signed",
        "chữ ký {roleVi} không đạt ({indication}); học bạ chưa được ký hợp lệ đầy đủ");
    IDENTITY_DIACRITICS = ("identity_diacritics", W, "signing.md Document checks", "document",
        "the {role} certificate is issued to \"{certificate}\" and the record names \"{record}\": equal only when diacritics are ignored",
        "chứng thư số {roleVi} cấp cho \"{certificate}\" còn học bạ ghi \"{record}\": chỉ trùng khi bỏ dấu");
    IDENTITY_MISMATCH = ("identity_mismatch", E, "signing.md Document checks", "document",
        "the {role} certificate is issued to \"{certificate}\" but the record names \"{record}\"; the signer is not the person (or school) the record names",
        "chứng thư số {roleVi} cấp cho \"{certificate}\" nhưng học bạ ghi \"{record}\"; người ký không phải người (hoặc trường) được ghi trong học bạ");
    SEAL_NOT_ORGANIZATION = ("seal_not_organization", E, "signing.md Document checks", "document",
        "the school seal (DAU) is signed with a personal certificate ({subject}); the seal needs the school's organisation certificate",
        "con dấu của trường (DAU) được ký bằng chứng thư số cá nhân ({subject}); con dấu phải dùng chứng thư số của tổ chức");
    SIGNED_BEFORE_CONFIRMATION = ("signed_before_confirmation", W, "signing.md Document checks", "document",
        "the {role} signature is dated {date}, before the confirmation date of the year page ({ngayXacNhan})",
        "chữ ký {roleVi} có ngày {date}, trước ngày xác nhận của trang năm học ({ngayXacNhan})");
}

/// The code with this name.
pub fn find(code: &str) -> Option<&'static MessageCode> {
    ALL.iter().find(|c| c.code == code)
}

/// The catalogue as JSON, in the shape of [`crate::rules::codes::to_json`] (with `topic`
/// prefixed `verify/` so the two catalogues can be listed together).
pub fn to_json() -> serde_json::Value {
    ALL.iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code,
                "severity": c.severity.as_str(),
                "clause": c.clause,
                "topic": format!("verify/{}", c.topic),
                "message": c.en,
                "messageVi": c.vi,
            })
        })
        .collect()
}

/// Replaces `{key}` in `template` with the value given for `key` (unknown keys stay as written).
pub(crate) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match args.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        let _ = write!(out, "{{{key}}}");
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_bilingual() {
        let mut seen = std::collections::BTreeSet::new();
        for c in ALL {
            assert!(seen.insert(c.code), "duplicate {}", c.code);
            assert!(
                c.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                c.code
            );
            assert!(!c.vi.is_empty() && c.vi != c.en, "{}", c.code);
            assert!(
                crate::rules::codes::find(c.code).is_none(),
                "{} clashes with a finding code",
                c.code
            );
        }
    }

    #[test]
    fn fill_replaces_known_keys_only() {
        assert_eq!(fill("a {x} b {y}", &[("x", "1")]), "a 1 b {y}");
        assert_eq!(fill("{", &[]), "{");
    }
}
