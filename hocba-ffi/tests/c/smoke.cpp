// The header is usable from C++: it compiles in a C++ translation unit, its declarations get
// C linkage (extern "C"), and the program links against libhocba.
#include "hocba.h"

#include <cstdio>
#include <cstring>
#include <string>

int main() {
    const std::string expected = std::to_string(HOCBA_VERSION_MAJOR) + "." +
                                 std::to_string(HOCBA_VERSION_MINOR) + "." +
                                 std::to_string(HOCBA_VERSION_PATCH);
    const char *version = hocba_version();
    if (version == nullptr || std::strncmp(version, expected.c_str(), expected.size()) != 0) {
        std::fprintf(stderr, "hocba_version() = %s, header says %s\n", version,
                     expected.c_str());
        return 1;
    }

    hocba_record *record = nullptr;
    hocba_error *error = nullptr;
    const char text[] = "<HocBa/>";
    hocba_result rc = hocba_record_parse(reinterpret_cast<const uint8_t *>(text),
                                         sizeof text - 1, &record, &error);
    if (rc != HOCBA_RESULT_PARSE_ERROR || record != nullptr || error == nullptr) {
        std::fprintf(stderr, "expected a parse error, got %s\n", hocba_result_message(rc));
        return 1;
    }
    std::printf("smoke: hocba %s; %s\n", version, hocba_error_message(error, HOCBA_LANG_VI));
    hocba_error_free(error);
    return 0;
}
