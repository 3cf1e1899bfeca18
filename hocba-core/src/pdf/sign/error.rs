//! Why a signature could not be added ([`SignError`]).

/// Why a signature could not be added to a document.
///
/// Every variant has an English ([`SignError::message`]) and a Vietnamese
/// ([`SignError::message_vi`]) message that says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("{}", self.message())]
pub enum SignError {
    /// The role name is none of `GVCN`, `HT`, `DAU`.
    UnknownRole {
        /// The name given.
        given: String,
    },
    /// The input does not start like a PDF.
    NotPdf,
    /// The PDF cannot be parsed, was repaired by the parser, or is encrypted.
    Unreadable {
        /// What is wrong.
        reason: String,
    },
    /// The document has no signature field for the role.
    FieldMissing {
        /// The field's name (`GVCN`, `HT`, `DAU`).
        field: String,
    },
    /// The field of the role exists but is not a signature field (`/FT /Sig`).
    NotSignatureField {
        /// The field's name.
        field: String,
    },
    /// The field of the role already holds a signature.
    AlreadySigned {
        /// The field's name.
        field: String,
    },
    /// The role signs after another one that has not signed yet (order `GVCN`, `HT`, `DAU`).
    OutOfOrder {
        /// The field asked for.
        field: String,
        /// The field that must be signed first.
        requires: String,
    },
    /// The certification signature (`GVCN`) must be the first signature of the document.
    NotFirst {
        /// The field asked for.
        field: String,
        /// A field already signed.
        signed: String,
    },
    /// The document has no embedded record `hocba.xml`, or it cannot be read.
    NoRecord {
        /// What is wrong.
        reason: String,
    },
    /// The embedded record has findings of severity error and the caller did not insist.
    InvalidRecord {
        /// How many findings of severity error.
        errors: usize,
        /// The first of them, as `code at path` (at most five).
        first: Vec<String>,
    },
    /// The private key cannot be read.
    Key {
        /// What is wrong.
        reason: String,
    },
    /// The key is not of a supported kind (this version signs with RSA keys).
    UnsupportedKey {
        /// What was found.
        found: String,
    },
    /// The PKCS#12 file (`.p12`, `.pfx`) cannot be read: not DER PKCS#12, damaged, or beyond
    /// the bounds on work (iterations, size, number of parts).
    Pkcs12 {
        /// What is wrong.
        reason: String,
    },
    /// The password does not open the PKCS#12 file.
    Pkcs12Password,
    /// The PKCS#12 file's integrity check (MAC) fails although the password opens its key: the
    /// file was altered or damaged.
    Pkcs12Mac,
    /// The PKCS#12 file uses an algorithm or mode this version does not read.
    Pkcs12Unsupported {
        /// What was found.
        algorithm: String,
    },
    /// The PKCS#12 file holds no private key (or several).
    Pkcs12NoKey {
        /// How many keys it holds.
        found: usize,
    },
    /// Neither the PKCS#12 file nor the certificates given with it hold a certificate.
    Pkcs12NoCertificate,
    /// The certificate chain cannot be read, or is empty.
    Certificate {
        /// What is wrong.
        reason: String,
    },
    /// The first certificate of the chain is not the private key's certificate.
    KeyMismatch,
    /// The signature does not fit in the space reserved for `/Contents`.
    ContentsTooSmall {
        /// Bytes needed by the CMS signature.
        needed: usize,
        /// Bytes reserved.
        reserved: usize,
    },
    /// The raw signature value given to [`complete`](super::complete) does not verify with the
    /// signer certificate's public key over the prepared signed attributes (wrong key, wrong
    /// hash, another document, or a damaged value).
    SignatureMismatch,
    /// The CMS given to [`complete`](super::complete) is not usable: not a detached SignedData
    /// with one SignerInfo, SHA-256 and signed attributes.
    BadCms {
        /// What is wrong.
        reason: String,
    },
    /// The CMS given to [`complete`](super::complete) signs another document: its
    /// message-digest is not the SHA-256 of the prepared document's `/ByteRange`.
    CmsMismatch,
    /// The [`PreparedSignature`](super::PreparedSignature) given to
    /// [`complete`](super::complete) is inconsistent or was altered since
    /// [`prepare`](super::prepare).
    BadPrepared {
        /// What is wrong.
        reason: String,
    },
    /// The time-stamping authority (the caller's [`TimestampClient`](super::TimestampClient))
    /// failed, refused, or returned something that is not an RFC 3161 token over this
    /// signature's value (SHA-256). Nothing was written.
    Timestamp {
        /// What is wrong.
        reason: String,
    },
    /// The signature could not be computed or encoded.
    Crypto {
        /// What failed.
        reason: String,
    },
}

impl SignError {
    /// The message in English.
    pub fn message(&self) -> String {
        match self {
            SignError::UnknownRole { given } => format!(
                "unknown signing role {given:?}: use GVCN (homeroom teacher), HT (principal) or DAU (school seal)"
            ),
            SignError::NotPdf => {
                "the file is not a PDF (no %PDF- header in its first 1024 bytes); give the PDF rendered by hocba render".to_owned()
            }
            SignError::Unreadable { reason } => format!(
                "the PDF cannot be signed ({reason}); the file may be damaged or encrypted, render it again"
            ),
            SignError::FieldMissing { field } => format!(
                "the document has no signature field {field}; render it again (a DAU field exists only when the school seal is used)"
            ),
            SignError::NotSignatureField { field } => format!(
                "the field {field} of the document is not a signature field; render the document again with hocba render"
            ),
            SignError::AlreadySigned { field } => format!(
                "the field {field} is already signed; a field is signed once (render the document again to start over)"
            ),
            SignError::OutOfOrder { field, requires } => format!(
                "{field} cannot sign yet: {requires} must sign first (order GVCN, HT, DAU)"
            ),
            SignError::NotFirst { field, signed } => format!(
                "{field} must be the first signature (it certifies the document), but {signed} is already signed; render the document again"
            ),
            SignError::NoRecord { reason } => format!(
                "the document's embedded record cannot be read ({reason}); sign a PDF made by hocba render"
            ),
            SignError::InvalidRecord { errors, first } => format!(
                "the embedded record has {errors} error(s) ({}{}): correct them and render again, or sign with --allow-invalid",
                first.join(", "),
                if *errors > first.len() { ", …" } else { "" }
            ),
            SignError::Key { reason } => format!(
                "the private key cannot be read ({reason}); give an unencrypted PKCS#8 PEM key or a PKCS#12 file (.p12) with its password"
            ),
            SignError::Pkcs12 { reason } => format!(
                "the PKCS#12 file cannot be read ({reason}); export the key and certificate again as .p12/.pfx"
            ),
            SignError::Pkcs12Password => {
                "the password does not open the PKCS#12 file (or the file is damaged); check the password".to_owned()
            }
            SignError::Pkcs12Mac => {
                "the PKCS#12 file fails its integrity check although the password opens it: the file was altered or damaged; export it again".to_owned()
            }
            SignError::Pkcs12Unsupported { algorithm } => format!(
                "the PKCS#12 file uses {algorithm}, which this version does not read; export it again with AES-256 (OpenSSL 3 default) or 3DES"
            ),
            SignError::Pkcs12NoKey { found } => format!(
                "the PKCS#12 file holds {found} private keys, not one; export exactly the signer's key and certificate"
            ),
            SignError::Pkcs12NoCertificate => {
                "the PKCS#12 file holds no certificate; export it with the certificate, or give the certificate with --cert".to_owned()
            }
            SignError::UnsupportedKey { found } => format!(
                "the key is {found}; this version signs with RSA keys only"
            ),
            SignError::Certificate { reason } => format!(
                "the certificate chain cannot be read ({reason}); give PEM certificates, the signer's first"
            ),
            SignError::KeyMismatch => {
                "the first certificate of the chain does not belong to the private key; put the signer's certificate first".to_owned()
            }
            SignError::ContentsTooSmall { needed, reserved } => format!(
                "the signature needs {needed} bytes but only {reserved} are reserved; sign with a larger reserve"
            ),
            SignError::SignatureMismatch => {
                "the signature value does not verify with the signer certificate's public key over the prepared data; sign the prepared hash with the certificate's own key (nothing was written)".to_owned()
            }
            SignError::BadCms { reason } => format!(
                "the CMS signature cannot be used ({reason}); give a detached CMS SignedData with one SignerInfo over the prepared document"
            ),
            SignError::CmsMismatch => {
                "the CMS signature is for another document: its message digest is not the hash of the prepared document; sign the hash returned by prepare".to_owned()
            }
            SignError::BadPrepared { reason } => format!(
                "the prepared signature cannot be completed ({reason}); prepare the document again"
            ),
            SignError::Timestamp { reason } => format!(
                "the timestamp could not be added ({reason}); check the time-stamping authority and sign again, or sign without a timestamp"
            ),
            SignError::Crypto { reason } => format!("the signature could not be computed: {reason}"),
        }
    }

    /// The message in Vietnamese.
    pub fn message_vi(&self) -> String {
        match self {
            SignError::UnknownRole { given } => format!(
                "vai trò ký {given:?} không hợp lệ: dùng GVCN (giáo viên chủ nhiệm), HT (hiệu trưởng) hoặc DAU (con dấu của trường)"
            ),
            SignError::NotPdf => {
                "tệp không phải PDF (không có phần đầu %PDF- trong 1024 byte đầu tiên); hãy dùng tệp PDF do hocba render tạo ra".to_owned()
            }
            SignError::Unreadable { reason } => format!(
                "không ký được tệp PDF ({reason}); tệp có thể bị hỏng hoặc được mã hóa, hãy xuất lại"
            ),
            SignError::FieldMissing { field } => format!(
                "văn bản không có ô chữ ký {field}; hãy xuất lại (ô DAU chỉ có khi trường dùng con dấu)"
            ),
            SignError::NotSignatureField { field } => format!(
                "trường {field} của văn bản không phải ô chữ ký; hãy xuất lại văn bản bằng hocba render"
            ),
            SignError::AlreadySigned { field } => format!(
                "ô chữ ký {field} đã được ký; mỗi ô chỉ ký một lần (xuất lại văn bản để ký lại từ đầu)"
            ),
            SignError::OutOfOrder { field, requires } => format!(
                "{field} chưa thể ký: {requires} phải ký trước (thứ tự GVCN, HT, DAU)"
            ),
            SignError::NotFirst { field, signed } => format!(
                "{field} phải là chữ ký đầu tiên (chữ ký chứng thực văn bản), nhưng {signed} đã ký; hãy xuất lại văn bản"
            ),
            SignError::NoRecord { reason } => format!(
                "không đọc được học bạ đính kèm trong văn bản ({reason}); hãy ký tệp PDF do hocba render tạo ra"
            ),
            SignError::InvalidRecord { errors, first } => format!(
                "học bạ đính kèm có {errors} lỗi ({}{}): hãy sửa rồi xuất lại, hoặc ký với --allow-invalid",
                first.join(", "),
                if *errors > first.len() { ", …" } else { "" }
            ),
            SignError::Key { reason } => format!(
                "không đọc được khóa bí mật ({reason}); hãy dùng khóa PKCS#8 PEM không mã hóa hoặc tệp PKCS#12 (.p12) kèm mật khẩu"
            ),
            SignError::Pkcs12 { reason } => format!(
                "không đọc được tệp PKCS#12 ({reason}); hãy xuất lại khóa và chứng thư số dạng .p12/.pfx"
            ),
            SignError::Pkcs12Password => {
                "mật khẩu không mở được tệp PKCS#12 (hoặc tệp bị hỏng); hãy kiểm tra lại mật khẩu".to_owned()
            }
            SignError::Pkcs12Mac => {
                "tệp PKCS#12 không qua được kiểm tra toàn vẹn dù mật khẩu mở được: tệp đã bị sửa đổi hoặc hỏng; hãy xuất lại".to_owned()
            }
            SignError::Pkcs12Unsupported { algorithm } => format!(
                "tệp PKCS#12 dùng {algorithm}, phiên bản này chưa đọc được; hãy xuất lại với AES-256 (mặc định của OpenSSL 3) hoặc 3DES"
            ),
            SignError::Pkcs12NoKey { found } => format!(
                "tệp PKCS#12 chứa {found} khóa bí mật, không phải đúng một; hãy xuất đúng khóa và chứng thư của người ký"
            ),
            SignError::Pkcs12NoCertificate => {
                "tệp PKCS#12 không chứa chứng thư số; hãy xuất kèm chứng thư, hoặc đưa chứng thư bằng --cert".to_owned()
            }
            SignError::UnsupportedKey { found } => format!(
                "khóa thuộc loại {found}; phiên bản này chỉ ký bằng khóa RSA"
            ),
            SignError::Certificate { reason } => format!(
                "không đọc được chuỗi chứng thư số ({reason}); hãy dùng chứng thư PEM, chứng thư của người ký đứng đầu"
            ),
            SignError::KeyMismatch => {
                "chứng thư đầu tiên của chuỗi không ứng với khóa bí mật; hãy đặt chứng thư của người ký lên đầu".to_owned()
            }
            SignError::ContentsTooSmall { needed, reserved } => format!(
                "chữ ký cần {needed} byte nhưng chỉ dành sẵn {reserved} byte; hãy ký với vùng dành sẵn lớn hơn"
            ),
            SignError::SignatureMismatch => {
                "giá trị chữ ký không khớp với khóa công khai của chứng thư người ký trên dữ liệu đã chuẩn bị; hãy ký giá trị băm đã chuẩn bị bằng đúng khóa của chứng thư (chưa ghi gì)".to_owned()
            }
            SignError::BadCms { reason } => format!(
                "không dùng được chữ ký CMS ({reason}); hãy đưa CMS SignedData tách rời, có một SignerInfo, ký trên văn bản đã chuẩn bị"
            ),
            SignError::CmsMismatch => {
                "chữ ký CMS dành cho văn bản khác: giá trị băm thông điệp không phải giá trị băm của văn bản đã chuẩn bị; hãy ký giá trị băm do bước chuẩn bị trả về".to_owned()
            }
            SignError::BadPrepared { reason } => format!(
                "không hoàn tất được chữ ký đã chuẩn bị ({reason}); hãy chuẩn bị lại văn bản"
            ),
            SignError::Timestamp { reason } => format!(
                "không thêm được dấu thời gian ({reason}); hãy kiểm tra đơn vị cấp dấu thời gian rồi ký lại, hoặc ký không kèm dấu thời gian"
            ),
            SignError::Crypto { reason } => format!("không tính được chữ ký: {reason}"),
        }
    }
}
