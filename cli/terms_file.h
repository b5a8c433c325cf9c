// Contract terms written in a file by hand, for `poche contract create --terms FILE`: a
// ContractTerms message (proto/argentpoche/v1/contract.proto) in protobuf text format
// (.txtpb, .textproto, .pb.txt) or in JSON (.json), the format chosen by the extension.
// A mistake is reported with the file, line and column where it is, and nothing is sent.
//
//   POCHE_ASSIGN_OR_RETURN(v1::ContractTerms terms, ReadTermsFile("docs/examples/x.txtpb"));
//
// Pure but for reading the file; thread-safe.
#ifndef ARGENTPOCHE_CLI_TERMS_FILE_H_
#define ARGENTPOCHE_CLI_TERMS_FILE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "argentpoche/v1/contract.pb.h"

namespace argentpoche::cli {

enum class TermsFormat { kText, kJson };

// The format a file name's extension means. Usage error "UNKNOWN_TERMS_FORMAT" for any other
// extension.
[[nodiscard]] absl::StatusOr<TermsFormat> TermsFormatOf(std::string_view file_name);

// The terms written in `text`. Usage error "MALFORMED_TERMS" with a message
// "FILE:LINE:COLUMN: what is wrong" (lines and columns from 1; the column is left out when
// unknown) for text that does not parse, names an unknown field or holds a value of the wrong
// type, and for terms that choose no template.
[[nodiscard]] absl::StatusOr<v1::ContractTerms> ParseTerms(std::string_view text,
                                                           TermsFormat format,
                                                           std::string_view file_name);

// ParseTerms of the file at `path`, in the format of its extension. Usage error
// "TERMS_FILE" when the file cannot be read or is larger than 1 MiB.
[[nodiscard]] absl::StatusOr<v1::ContractTerms> ReadTermsFile(std::string_view path);

}  // namespace argentpoche::cli

#endif  // ARGENTPOCHE_CLI_TERMS_FILE_H_
