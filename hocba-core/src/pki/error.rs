//! Why certificates or CRLs could not be loaded ([`PkiError`]).

/// Why certificates or CRLs could not be loaded: an operational error (the input cannot be
/// read), not a verdict on a signature.
///
/// Every variant has an English ([`PkiError::message`]) and a Vietnamese
/// ([`PkiError::message_vi`]) message that says what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[error("{}", self.message())]
pub enum PkiError {
    /// The input is neither DER nor PEM.
    NotDerOrPem {
        /// What was found.
        detail: String,
    },
    /// A PEM block is broken (unbalanced BEGIN/END, bad base64).
    Pem {
        /// What is wrong.
        detail: String,
    },
    /// The input holds no certificate.
    NoCertificate,
    /// The input holds no CRL.
    NoCrl,
    /// A certificate cannot be parsed.
    MalformedCertificate {
        /// Its position in the input (0 for the first).
        index: usize,
        /// What is wrong.
        detail: String,
    },
    /// A CRL cannot be parsed.
    MalformedCrl {
        /// Its position in the input (0 for the first).
        index: usize,
        /// What is wrong.
        detail: String,
    },
}

impl PkiError {
    /// The message in English: what is wrong and what to do.
    pub fn message(&self) -> String {
        match self {
            PkiError::NotDerOrPem { detail } => format!(
                "the input is neither a DER nor a PEM certificate or CRL ({detail}); \
                 export it again as .cer/.crt/.pem (DER or Base64)"
            ),
            PkiError::Pem { detail } => format!(
                "the PEM text is damaged ({detail}); copy the whole block, from -----BEGIN to \
                 -----END, again"
            ),
            PkiError::NoCertificate => "the input holds no certificate (no -----BEGIN \
                 CERTIFICATE----- block and no DER certificate); supply the certificate file"
                .to_owned(),
            PkiError::NoCrl => "the input holds no CRL (no -----BEGIN X509 CRL----- block and \
                 no DER CRL); supply the CA's .crl file"
                .to_owned(),
            PkiError::MalformedCertificate { index, detail } => format!(
                "certificate #{} cannot be read ({detail}); obtain the certificate again from \
                 its CA or the signed file",
                index + 1
            ),
            PkiError::MalformedCrl { index, detail } => format!(
                "CRL #{} cannot be read ({detail}); download the CRL again from the CA",
                index + 1
            ),
        }
    }

    /// The message in Vietnamese (*thông báo tiếng Việt*).
    pub fn message_vi(&self) -> String {
        match self {
            PkiError::NotDerOrPem { detail } => format!(
                "dữ liệu không phải chứng thư số hay danh sách thu hồi dạng DER hoặc PEM \
                 ({detail}); hãy xuất lại tệp .cer/.crt/.pem (DER hoặc Base64)"
            ),
            PkiError::Pem { detail } => format!(
                "khối PEM bị hỏng ({detail}); hãy sao chép lại toàn bộ khối, từ -----BEGIN \
                 đến -----END"
            ),
            PkiError::NoCertificate => "dữ liệu không chứa chứng thư số nào; hãy cung cấp tệp \
                 chứng thư số"
                .to_owned(),
            PkiError::NoCrl => "dữ liệu không chứa danh sách chứng thư số bị thu hồi (CRL) nào; \
                 hãy cung cấp tệp .crl của tổ chức cung cấp dịch vụ chứng thực"
                .to_owned(),
            PkiError::MalformedCertificate { index, detail } => format!(
                "không đọc được chứng thư số thứ {} ({detail}); hãy lấy lại chứng thư số từ tổ \
                 chức cung cấp dịch vụ chứng thực hoặc từ tệp đã ký",
                index + 1
            ),
            PkiError::MalformedCrl { index, detail } => format!(
                "không đọc được CRL thứ {} ({detail}); hãy tải lại CRL từ tổ chức cung cấp \
                 dịch vụ chứng thực",
                index + 1
            ),
        }
    }
}
