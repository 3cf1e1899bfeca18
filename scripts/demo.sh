#!/usr/bin/env bash
# The main job of hocba, end to end on the bundled sample records.
#
# Read a sample record, validate it, convert it between XML and JSON canonically, check it against
# the XSD, render its PDF/A-3 document with the XML embedded, extract the XML back, and sign the
# document GVCN -> HT -> DAU with the bundled test PKI. Verification joins when it lands.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null || { echo "demo: cargo is required (https://rustup.rs)" >&2; exit 2; }
cargo build --release -q -p hocba-cli
hocba=target/release/hocba
sample=fixtures/records/valid/grade-5.xml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== 1. Đọc học bạ mẫu / read the sample record: $sample"
"$hocba" validate "$sample"
"$hocba" --format json validate "$sample"

echo "== 2. XML -> JSON -> XML (dạng chuẩn / canonical form)"
"$hocba" convert "$sample" --to json -o "$out/hocba.json"
"$hocba" convert "$out/hocba.json" --to xml -o "$out/hocba.xml"
if cmp -s "$sample" "$out/hocba.xml"; then
  echo "   giống hệt từng byte / byte-identical ($(wc -c <"$sample") bytes)"
else
  echo "   KHÁC / DIFFERENT" >&2; exit 1
fi

echo "== 3. Lược đồ XSD / XML Schema"
"$hocba" schema xsd >"$out/hocba-1.xsd"
if command -v xmllint >/dev/null; then
  xmllint --noout --schema "$out/hocba-1.xsd" "$sample"
else
  echo "   (xmllint not installed: apt-get install libxml2-utils)"
fi

echo "== 4. Lỗi đọc được nêu rõ vị trí / unreadable input is reported with its position"
printf '<HocBa xmlns="urn:hocba:tieu-hoc:1" phienBan="1">\n  <hocSinh>\n    <biDanh>Bo</biDanh>\n' >"$out/bad.xml"
"$hocba" validate "$out/bad.xml" || echo "   (exit code $?: cannot read)"

echo "== 5. Xuất PDF/A-3 và trích lại XML / render the PDF/A-3 document, extract the XML back"
"$hocba" render "$sample" -o "$out/hocba.pdf" --require-valid
echo "   $out/hocba.pdf ($(wc -c <"$out/hocba.pdf") bytes)"
"$hocba" extract "$out/hocba.pdf" >"$out/hocba-extracted.xml"
if cmp -s "$sample" "$out/hocba-extracted.xml"; then
  echo "   XML nhúng giống hệt từng byte / embedded XML byte-identical"
else
  echo "   KHÁC / DIFFERENT" >&2; exit 1
fi

echo "== 6. Ký số GVCN -> HT -> DAU bằng PKI thử nghiệm / sign with the bundled test PKI"
# The sample's signers (fixtures/pki/README.md): keys and certificates that exist for tests only.
pki=fixtures/pki/ee
signer=$(basename "$sample" .xml)
prev="$out/hocba.pdf"
for role in gvcn ht dau; do
  "$hocba" sign "$prev" --role "$role" \
    --key "$pki/$signer-$role/key.pem" --cert "$pki/$signer-$role/cert.pem" \
    --chain "$pki/$signer-$role/chain.pem" --time 2026-05-27T08:00:00+07:00 \
    -o "$out/signed-$role.pdf"
  prev="$out/signed-$role.pdf"
done
echo "   $prev ($(wc -c <"$prev") bytes): 3 chữ ký / 3 signatures"
if command -v qpdf >/dev/null; then echo "   qpdf: $(qpdf --check "$prev" | tail -2 | tr "\n" " ")"; fi

echo "== 7. Xác minh chữ ký / verify the signed record (trust anchors and CRLs of the test PKI)"
"$hocba" verify "$prev" --trust fixtures/pki/trust/bundle.pem --crl fixtures/pki/ca/all-crls.pem
echo "   (exit code 0: TOTAL_PASSED)"
echo "== 8. Một thay đổi sau khi ký bị phát hiện / a change after signing is caught"
cp "$prev" "$out/tampered.pdf"
printf '%% appended after signing\n' >>"$out/tampered.pdf"
if "$hocba" --lang en verify "$out/tampered.pdf" --trust fixtures/pki/trust/bundle.pem \
  --crl fixtures/pki/ca/all-crls.pem | head -5; then :; fi
if "$hocba" verify "$out/tampered.pdf" --trust fixtures/pki/trust/bundle.pem \
  --crl fixtures/pki/ca/all-crls.pem >/dev/null; then
  echo "   KHÔNG PHÁT HIỆN / NOT CAUGHT" >&2; exit 1
else
  echo "   (exit code 1: TOTAL_FAILED / MODIFIED_AFTER_SIGNING)"
fi
